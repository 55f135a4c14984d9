"""Benchmarks: synthetic desks (``generate``), page timings and their ratios (``pages``, ``run``)."""
