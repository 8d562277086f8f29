"""The spreiding test suite."""
