"""Tests of the case lifecycle: the StateChart, its rules, checks, diagrams and calendar."""
