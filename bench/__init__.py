"""Benchmarks: each module prints figures; ``python -m bench`` runs them all and prints one table."""
