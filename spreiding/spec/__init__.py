"""The living specification: which transitions the features exercise, the gate and the report."""
