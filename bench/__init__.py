"""`make bench`: suite, app and HTTP-load benchmarks for Student Records (see docs/benchmarks.md)."""
