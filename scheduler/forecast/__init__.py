"""Forecasting contacts from history (issue 18): reading and checking a history file
(`history.py`), the methods (`methods.py`), day effects of holidays and promotions
(`effects.py`), rolling-origin backtests, error measures and intervals (`backtest.py`),
the forecast of every channel (`core.py`), the output files and chart (`output.py`) and
a scenario's `forecast:` key (`scenario.py`).

Ranked between scenario and workload: it imports errors, models, scenario and itself."""
