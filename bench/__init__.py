"""pyperf benchmark suites and fixtures (see bench/README.md)."""
