"""Developer tools: the fake SMS gateway the tests, the demo and the benchmarks send to."""
