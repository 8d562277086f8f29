"""The SimPy Monte Carlo projection of fte per province under the guiding principles."""
