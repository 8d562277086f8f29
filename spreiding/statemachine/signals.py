"""Case deadline signals: which cases to signal today, into the outbox, and who may see them.

The rule for a case's deadline is :func:`deadline_stage`:

- ``verlopen``: the due date has passed (the case is overdue);
- ``binnenkort``: the due date is today or within :data:`SOON_WORKING_DAYS` working days.

Only cases whose clock runs are signalled: not suspended and not in a final state. Each
signal is sent once per case, due date and stage (its outbox key ``case:<id>:<due>:<stage>``);
a new due date (the case moved on, or was resumed) starts afresh. It goes to whoever must act
next (:data:`~spreiding.statemachine.rules.ACTS_NEXT`): the ministry's contact
(``Ministry.contact_email``) when the ministry must answer, BZK's handler
(``Case.handler_email``) when BZK must; BZK's general address when no one is known. The
title of a vertrouwelijk case stays out of the mail.

:func:`signal_still_true` asks the same rule again when the signal is about to be sent
(registered with :mod:`spreiding.mail.checks` for the kind ``case-deadline``): a signal that
waited in the outbox is cancelled if the case has left the state it was signalled in (its due
date changed, it was suspended or closed) or its stage is no longer right.

:func:`signal_messages` lists the signals in the outbox as a role may see them: a signal about
a case the role may not view (:func:`spreiding.statemachine.service.may_view`, the rule of
``case show``) is left out.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from spreiding.core.dutch import date_text
from spreiding.core.settings import get_settings
from spreiding.mail import checks
from spreiding.mail.outbox import cancel_stale, enqueue, outbox_messages
from spreiding.mail.queued import Queued
from spreiding.models.tables import Case, Confidentiality, Ministry, Organisation, OutboxMessage
from spreiding.statemachine.calendar import add_working_days, working_days_between
from spreiding.statemachine.chart import FINAL_STATES, STATE_LABELS
from spreiding.statemachine.rules import ACTS_NEXT
from spreiding.statemachine.service import may_view

SOON_WORKING_DAYS = 5
CASE_KIND = "case-deadline"
BINNENKORT, VERLOPEN = "binnenkort", "verlopen"
_NOT_RUNNING = (*FINAL_STATES, "suspended")


def deadline_stage(today: date, due: date, soon: int = SOON_WORKING_DAYS) -> str | None:
    """``verlopen`` past the due date, ``binnenkort`` within ``soon`` working days, else None."""
    if due < today:
        return VERLOPEN
    if due <= add_working_days(today, soon):
        return BINNENKORT
    return None


def signal_key(case_id: int, due: date, stage: str) -> str:
    """The outbox key of the signal about ``case_id`` for this due date and stage."""
    return f"case:{case_id}:{due.isoformat()}:{stage}"


def case_of_key(key: str) -> int | None:
    """The case id a signal's outbox key names, or None for a key of another form."""
    prefix, _, rest = key.partition(":")
    number = rest.partition(":")[0]
    return int(number) if prefix == "case" and number.isdigit() else None


def case_signal_text(
    case: Case,
    organisation: str,
    stage: str,
    today: date,
    *,
    to_bzk_instead: bool,
    to_ministry: bool = False,
) -> tuple[str, str]:
    """The Dutch subject and body of a deadline signal about ``case``."""
    due = case.due_date
    assert due is not None, "only a case with a due date is signalled"
    days = working_days_between(today, due)
    if stage == VERLOPEN:
        subject = f"Termijn verlopen: zaak {case.id} ({organisation}), {date_text(due)}"
        when = f"De termijn van zaak {case.id} is op {date_text(due)} verlopen"
        when += f", {-days} werkdag(en) geleden." if days < 0 else "."
    else:
        subject = f"Termijn verloopt binnenkort: zaak {case.id} ({organisation}), {date_text(due)}"
        when = f"De termijn van zaak {case.id} verloopt op {date_text(due)}"
        when += f", over {days} werkdag(en)." if days > 0 else ": vandaag."
    fallback = (
        "Voor deze zaak is geen behandelaar vastgelegd; daarom gaat dit signaal naar het "
        "algemene adres van BZK.\n\n"
        if to_bzk_instead
        else ""
    )
    turn = "het ministerie" if ACTS_NEXT.get(case.state) == "ministry" else "BZK"
    greeting = "Beste contactpersoon" if to_ministry else "Beste behandelaar"
    view_as = f"ministry:{case.ministry_code}" if to_ministry else "bzk"
    title = "" if case.confidentiality == Confidentiality.VERTROUWELIJK else (case.title or "")
    body = (
        f"{greeting},\n\n"
        f"{fallback}{when} Aan zet: {turn}.\n\n"
        f"Zaak: {case.id}" + (f" ({title})" if title else "") + "\n"
        f"Organisatie: {organisation} (ministerie {case.ministry_code})\n"
        f"Toestand: {STATE_LABELS[case.state]}\n"
        f"Termijn: {date_text(due)}\n\n"
        f"Bekijk de zaak met: spreiding case show {case.id} --as {view_as}\n\n"
        "Dit bericht is automatisch verstuurd.\n"
    )
    return subject, body


def _signal_today(case: Case, today: date) -> str | None:
    """The key of the signal that holds for ``case`` on ``today``, or None."""
    if case.due_date is None or case.state in _NOT_RUNNING:
        return None
    stage = deadline_stage(today, case.due_date)
    return None if stage is None else signal_key(case.id or 0, case.due_date, stage)


def queue_case_signals(
    session: Session, today: date, *, bzk_email: str | None = None
) -> list[Queued]:
    """Put the deadline signals due on ``today`` in the outbox (each one once, ever)."""
    fallback = bzk_email or get_settings().bzk_email
    horizon = add_working_days(today, SOON_WORKING_DAYS)
    query = (
        select(Case, Organisation.name, Ministry.contact_email)
        .join(Organisation, Case.organisation_id == Organisation.id)
        .join(Ministry, Case.ministry_code == Ministry.code)
        .where(
            Case.due_date.is_not(None),
            Case.due_date <= horizon,
            Case.state.not_in(_NOT_RUNNING),
        )
        .order_by(Case.due_date, Case.id)
    )
    queued = []
    live = []  # the signals true today; a waiting one that is not among them is cancelled
    for case, organisation, contact in session.execute(query).all():
        key = _signal_today(case, today)
        if key is None:
            continue
        live.append(key)
        stage = key.rpartition(":")[2]
        to_ministry = ACTS_NEXT.get(case.state) == "ministry" and bool(contact)
        to = contact if to_ministry else (case.handler_email or fallback)
        subject, body = case_signal_text(
            case,
            organisation,
            stage,
            today,
            to_bzk_instead=not to_ministry and not case.handler_email,
            to_ministry=to_ministry,
        )
        if enqueue(session, key=key, kind=CASE_KIND, to=to, subject=subject, body=body):
            confidential = case.confidentiality == Confidentiality.VERTROUWELIJK
            queued.append(
                Queued(key, to, subject, f"zaak {case.id}", stage, case.due_date, confidential)
            )
    cancel_stale(session, kind=CASE_KIND, prefix="case:", keep=live)
    return queued


def signal_still_true(session: Session, message: OutboxMessage) -> bool:
    """Whether a queued signal still holds today: same case, due date and stage (the check)."""
    case_id = case_of_key(message.key)
    case = session.get(Case, case_id) if case_id is not None else None
    if case is None:
        return False
    return _signal_today(case, get_settings().current_date()) == message.key


def signal_messages(
    session: Session, role: str, *, pending: bool = False, limit: int | None = None
) -> list[OutboxMessage]:
    """The deadline signals in the outbox that ``role`` may see, newest first."""
    visible = []
    for message in outbox_messages(session, pending=pending, kind=CASE_KIND):
        case_id = case_of_key(message.key)
        case = session.get(Case, case_id) if case_id is not None else None
        if case is not None and may_view(case, role):
            visible.append(message)
            if limit is not None and len(visible) == limit:
                break
    return visible


checks.register(CASE_KIND, signal_still_true)
