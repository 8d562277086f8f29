"""Tests of the inventory of regional opportunities (measure M5)."""
