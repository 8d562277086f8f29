"""Zbo consultations (measure M4): cycles, recorded talks and the reminder rules."""
