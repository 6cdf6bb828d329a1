"""Benchmarks run by hand (python -m tests.benchmarks): they print figures and ratios only."""
