"""Micro-benchmarks of Protection Desk. Run with ``make bench`` (or ``python -m bench``).

Numbers are medians of repeated runs on this machine; what matters are the ratios (the cost
of decryption relative to the same work without it), which travel between machines.
"""
