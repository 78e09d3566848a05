"""Datasets: readers of literature instances (Minimum Shift Design) and generators of
synthetic scenarios (the bundled ones among them)."""
