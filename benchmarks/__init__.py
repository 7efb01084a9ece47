"""netfolio's benchmarks: ``python -m benchmarks [NAME ...]``.

Each benchmark measures netfolio and a baseline in the same run (the machines are shared
and noisy) and reports the ratio. See docs/performance.md for the figures.
"""
