"""The outbox and its delivery over SMTP: reminders that are never lost and never doubled.

:mod:`~spreiding.mail.outbox` queues and delivers; :mod:`~spreiding.mail.checks` holds, per kind
of message, the "still true?" check each domain registers and delivery asks before sending;
:class:`~spreiding.mail.queued.Queued` is what a domain reports about a message it queued.
"""
