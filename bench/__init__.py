"""Benchmarks: each module prints figures; `python -m bench` runs them all as one table."""
