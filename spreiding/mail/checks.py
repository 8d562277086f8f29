"""Per kind of message, the check "is this still true?" that delivery asks before sending.

A message can wait in the outbox for days (an SMTP outage, a scheduler that was down) and be
sent by whichever flow delivers next. By then the reminder may no longer hold: the ministry
has delivered, the talk was recorded, the case moved on. Mail sits below the domains and
knows none of them, so each domain registers, for the ``kind`` of message it queues, a check::

    checks.register("zbo-reminder", reminder_still_due)

The check gets the delivery's session and the message and returns whether it still holds,
judged on the day of sending (:meth:`spreiding.core.settings.Settings.current_date`).
:func:`spreiding.mail.outbox.deliver_pending` calls :func:`still_true` for each message just
before it sends it; a message that no longer holds is cancelled (``cancelled_at``), never sent.

A kind that no check was registered for is sent as it is, the behaviour from before checks
existed: a check is a guard a domain adds, and mail must not hold back messages of a kind it
cannot judge. The domains register when their module is imported; the flows import every
registering module before they deliver (:mod:`spreiding.flows.runs`), and a test checks that
every kind the domains queue has its check.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from spreiding.models.tables import OutboxMessage

Check = Callable[[Session, OutboxMessage], bool]

_CHECKS: dict[str, Check] = {}


def register(kind: str, check: Check) -> None:
    """Make ``check`` decide, at delivery, whether a message of ``kind`` still holds."""
    _CHECKS[kind] = check


def registered() -> dict[str, Check]:
    """The checks registered so far, by kind of message."""
    return dict(_CHECKS)


def still_true(session: Session, message: OutboxMessage) -> bool:
    """Whether ``message`` should still be sent: its kind's check, or True without one."""
    check = _CHECKS.get(message.kind)
    return True if check is None else check(session, message)
