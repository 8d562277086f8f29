"""Prefect flows: scheduled reminders, deadline signals, the annual inventory and overviews."""
