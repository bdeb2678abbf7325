"""Benchmarks: throughput and start-up, each reported as a ratio against a baseline measured in the same run."""
