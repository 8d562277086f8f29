"""The outbox and its delivery over SMTP: reminders that are never lost and never doubled."""
