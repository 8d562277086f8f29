"""Tests of the SimPy projection: scenarios, case walk, Monte Carlo, outputs, CLI and flow."""
