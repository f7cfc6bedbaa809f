"""Benchmarks: each prints ratios against a floor measured in the same run (`python -m bench.X`)."""
