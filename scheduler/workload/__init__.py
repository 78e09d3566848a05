"""Workload: from forecast contacts to agents required per slot (Erlang C/A, chat
concurrency, deferred work, shrinkage), and back to the service a roster achieves."""
