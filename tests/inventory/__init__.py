"""Tests of the annual inventory: loading deliveries, the report and the annual-inventory flow."""
