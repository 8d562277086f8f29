"""Tests of the reminder flows, the outbox and SMTP delivery, and the zbo commands."""
