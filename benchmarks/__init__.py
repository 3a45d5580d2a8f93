"""Benchmarks: `python -m benchmarks` measures the targets set in the issues."""
