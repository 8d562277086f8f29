"""The zbo reminders: which are due today, into the outbox, and whether one still holds.

:func:`queue_zbo_reminders` decides, for ``today``, the reminder each zbo's cycle has reached
(:func:`spreiding.zbo.consultations.due_stage`) and puts it in the outbox once, ever (its key
names zbo, due date and stage); a waiting reminder that a recorded talk or a later stage has
overtaken is cancelled. :func:`reminder_still_due` is the same rule asked again at delivery
time, registered with :mod:`spreiding.mail.checks` for the kind ``zbo-reminder``, so a
reminder that waited out an outage is never sent once it stopped being true, whichever flow
delivers it.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from spreiding.core.errors import InvalidInput, NotFound
from spreiding.core.settings import get_settings
from spreiding.mail import checks
from spreiding.mail.outbox import cancel_stale, enqueue
from spreiding.mail.queued import Queued
from spreiding.models.tables import OutboxMessage
from spreiding.zbo import consultations as zbo


def queue_zbo_reminders(
    session: Session, today: date, *, bzk_email: str | None = None
) -> list[Queued]:
    """Put the zbo reminders due on ``today`` in the outbox (each one once, ever).

    A zbo seen for the first time gets its cycle here. The ministry's contact receives the
    reminder, or ``bzk_email`` (default: the setting) when the ministry has none.
    """
    fallback = bzk_email or get_settings().bzk_email
    queued = []
    for state in zbo.zbo_states(session, today):
        due = state.cycle.next_due
        stage = zbo.due_stage(today, due)
        prefix = f"zbo:{state.organisation.code}:"
        if stage is None or zbo.talk_recorded_for(session, state.organisation.id, due):
            cancel_stale(session, kind=zbo.OUTBOX_KIND, prefix=prefix)
            continue
        key = zbo.reminder_key(state.organisation.code, due, stage)
        # An earlier stage still waiting (an SMTP outage) is no longer true: only this one is.
        cancel_stale(session, kind=zbo.OUTBOX_KIND, prefix=prefix, keep=[key])
        to = state.ministry.contact_email or fallback
        subject, body = zbo.reminder_text(
            stage,
            zbo=state.organisation.name,
            ministry=state.ministry.name,
            due=due,
            today=today,
            cycle_months=state.cycle.cycle_months,
            to_bzk_instead=not state.ministry.contact_email,
        )
        if enqueue(session, key=key, kind=zbo.OUTBOX_KIND, to=to, subject=subject, body=body):
            queued.append(Queued(key, to, subject, state.organisation.name, stage.value, due))
    return queued


def due_reminder_key(session: Session, org_code: str, today: date) -> str | None:
    """The key of the one reminder that holds for the zbo ``org_code`` on ``today``, if any."""
    try:
        state = zbo.zbo_state(session, org_code, today)
    except (NotFound, InvalidInput):  # the organisation is gone or no longer a zbo
        return None
    due = state.cycle.next_due
    stage = zbo.due_stage(today, due)
    if stage is None or zbo.talk_recorded_for(session, state.organisation.id, due):
        return None
    return zbo.reminder_key(state.organisation.code, due, stage)


def reminder_still_due(session: Session, message: OutboxMessage) -> bool:
    """Whether a queued zbo reminder is still the one due today (the delivery check)."""
    _, _, rest = message.key.partition(":")
    org_code = rest.partition(":")[0]
    today = get_settings().current_date()
    return due_reminder_key(session, org_code, today) == message.key


checks.register(zbo.OUTBOX_KIND, reminder_still_due)
