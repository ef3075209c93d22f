"""Benchmarks at national scale. `make bench` runs them; see bench/README.md."""
