"""The reminder flows: zbo consultation reminders and case deadline signals (both on working days).

Each flow has two tasks. The first decides which reminders are due on ``today`` and puts
them in the outbox, all in **one** transaction, so a decision and its message are committed
together or not at all. The second delivers every pending message
(see :mod:`spreiding.mail.outbox`),
including ones an earlier run could not deliver: because case deadline signals run every
working-day morning, a zbo reminder that met an SMTP outage goes out the next working day,
not a month later. Each flow returns a small summary and publishes a Markdown artifact.

The decisions are plain functions (:func:`queue_zbo_reminders`, :func:`queue_case_signals`)
taking a session and ``today``; :func:`run_zbo_reminders` and :func:`run_case_signals` do what
the flows do without Prefect. The rules for zbo's live in
:mod:`spreiding.zbo.consultations`; the rule for case deadlines is :func:`deadline_stage`:

- ``verlopen``: the due date has passed (the case is overdue);
- ``binnenkort``: the due date is today or within :data:`SOON_WORKING_DAYS` working days.

Only cases whose clock runs are signalled: not suspended and not in a final state. Each
signal is sent once per case, due date and stage; a new due date (the case moved on, or was
resumed) starts afresh. The handler (``Case.handler_email``) receives it, or BZK's general
address when no handler is known. The title of a vertrouwelijk case stays out of the mail.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import MissingContextError
from sqlalchemy import select

from spreiding.core.dutch import date_text
from spreiding.core.settings import get_settings
from spreiding.mail.outbox import DeliveryReport, cancel_stale, deliver_pending, enqueue
from spreiding.models.db import get_engine, session_scope
from spreiding.models.tables import Case, Confidentiality, Organisation
from spreiding.statemachine.calendar import add_working_days, working_days_between
from spreiding.statemachine.chart import FINAL_STATES, STATE_LABELS
from spreiding.zbo import consultations as zbo

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

ZBO_FLOW = "zbo-consultation-reminders"
CASE_FLOW = "case-deadline-signals"
SOON_WORKING_DAYS = 5
CASE_KIND = "case-deadline"
BINNENKORT, VERLOPEN = "binnenkort", "verlopen"


@dataclass(frozen=True, slots=True)
class Queued:
    """A reminder put in the outbox by this run: what it is about and to whom it goes."""

    key: str
    to: str
    subject: str
    about: str
    stage: str
    due: date


# -- zbo consultation reminders --------------------------------------------------------------


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


# -- case deadline signals -------------------------------------------------------------------


def deadline_stage(today: date, due: date, soon: int = SOON_WORKING_DAYS) -> str | None:
    """``verlopen`` past the due date, ``binnenkort`` within ``soon`` working days, else None."""
    if due < today:
        return VERLOPEN
    if due <= add_working_days(today, soon):
        return BINNENKORT
    return None


def case_signal_text(
    case: Case, organisation: str, stage: str, today: date, *, to_bzk_instead: bool
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
    title = "" if case.confidentiality == Confidentiality.VERTROUWELIJK else (case.title or "")
    body = (
        "Beste behandelaar,\n\n"
        f"{fallback}{when}\n\n"
        f"Zaak: {case.id}" + (f" ({title})" if title else "") + "\n"
        f"Organisatie: {organisation} (ministerie {case.ministry_code})\n"
        f"Toestand: {STATE_LABELS[case.state]}\n"
        f"Termijn: {date_text(due)}\n\n"
        f"Bekijk de zaak met: spreiding case show {case.id} --as bzk\n\n"
        "Dit bericht is automatisch verstuurd.\n"
    )
    return subject, body


def queue_case_signals(
    session: Session, today: date, *, bzk_email: str | None = None
) -> list[Queued]:
    """Put the deadline signals due on ``today`` in the outbox (each one once, ever)."""
    fallback = bzk_email or get_settings().bzk_email
    horizon = add_working_days(today, SOON_WORKING_DAYS)
    query = (
        select(Case, Organisation.name)
        .join(Organisation, Case.organisation_id == Organisation.id)
        .where(
            Case.due_date.is_not(None),
            Case.due_date <= horizon,
            Case.state.not_in([*FINAL_STATES, "suspended"]),
        )
        .order_by(Case.due_date, Case.id)
    )
    queued = []
    live = []  # the signals true today; a waiting one that is not among them is cancelled
    for case, organisation in session.execute(query).all():
        stage = deadline_stage(today, case.due_date)
        if stage is None:
            continue
        live.append(f"case:{case.id}:{case.due_date.isoformat()}:{stage}")
        to = case.handler_email or fallback
        subject, body = case_signal_text(
            case, organisation, stage, today, to_bzk_instead=not case.handler_email
        )
        key = live[-1]
        if enqueue(session, key=key, kind=CASE_KIND, to=to, subject=subject, body=body):
            queued.append(Queued(key, to, subject, f"zaak {case.id}", stage, case.due_date))
    cancel_stale(session, kind=CASE_KIND, prefix="case:", keep=live)
    return queued


# -- summaries -------------------------------------------------------------------------------


def summary(flow_name: str, today: date, queued: list[Queued], report: DeliveryReport) -> dict:
    """The small result of a run: the date, what was queued and what delivery did."""
    return {
        "flow": flow_name,
        "date": today.isoformat(),
        "queued": len(queued),
        "queued_keys": [q.key for q in queued],
        **asdict(report),
    }


def summary_markdown(title: str, today: date, queued: list[Queued], report: DeliveryReport) -> str:
    """A Dutch Markdown summary of a run, for the Prefect artifact."""
    lines = [f"# {title}, {date_text(today)}", ""]
    if queued:
        lines += ["| over | herinnering | uiterste datum | aan |", "|---|---|---|---|"]
        lines += [
            f"| {q.about} | {zbo.STAGE_LABELS.get(q.stage, q.stage)} | {date_text(q.due)} "
            f"| {q.to} |"
            for q in queued
        ]
    else:
        lines.append("Geen nieuwe herinneringen vandaag.")
    lines += [
        "",
        f"**Bezorging:** {report.sent} verstuurd, {report.failed} mislukt, "
        f"{report.pending} nog in de wachtrij.",
    ]
    if report.error:
        lines += [
            "",
            f"**Storing:** {report.error}. De berichten blijven bewaard en gaan mee met de "
            "volgende run.",
        ]
    return "\n".join(lines) + "\n"


def _log() -> logging.Logger | logging.LoggerAdapter:
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger(__name__)


def _report(
    flow_name: str, title: str, day: date, queued: list[Queued], report: DeliveryReport
) -> dict:
    log = _log()
    log.info(
        "%s: %d queued, %d sent, %d pending", flow_name, len(queued), report.sent, report.pending
    )
    if report.error:
        log.error("%s: delivery stopped: %s", flow_name, report.error)
    create_markdown_artifact(
        summary_markdown(title, day, queued, report),
        key=flow_name,
        description=f"{title}: wat in de wachtrij is gezet en wat is verstuurd",
    )
    return summary(flow_name, day, queued, report)


# -- runs without Prefect ----------------------------------------------------------------------


def run_zbo_reminders(today: date | None = None, *, engine: Engine | None = None) -> dict:
    """Decide and deliver the zbo reminders of ``today``, as the flow does, without Prefect."""
    day = today or get_settings().current_date()
    with session_scope(engine or get_engine()) as session:
        queued = queue_zbo_reminders(session, day)
    report = deliver_pending(engine)
    return summary(ZBO_FLOW, day, queued, report)


def run_case_signals(today: date | None = None, *, engine: Engine | None = None) -> dict:
    """Decide and deliver the case deadline signals of ``today``, without Prefect."""
    day = today or get_settings().current_date()
    with session_scope(engine or get_engine()) as session:
        queued = queue_case_signals(session, day)
    report = deliver_pending(engine)
    return summary(CASE_FLOW, day, queued, report)


# -- the Prefect tasks and flows -------------------------------------------------------------


@task(name="queue-zbo-reminders", cache_policy=NO_CACHE)
def queue_zbo_reminders_task(today: date) -> list[Queued]:
    """Decide the zbo reminders of ``today`` and put them in the outbox, in one transaction."""
    with session_scope() as session:
        return queue_zbo_reminders(session, today)


@task(name="queue-case-signals", cache_policy=NO_CACHE)
def queue_case_signals_task(today: date) -> list[Queued]:
    """Decide the deadline signals of ``today`` and put them in the outbox, in one transaction."""
    with session_scope() as session:
        return queue_case_signals(session, today)


@task(name="deliver-outbox", cache_policy=NO_CACHE)
def deliver_outbox_task() -> DeliveryReport:
    """Send every pending outbox message over one SMTP connection."""
    return deliver_pending()


@flow(name=ZBO_FLOW)
def zbo_consultation_reminders(today: date | None = None) -> dict:
    """Working days: remind ministries of the location talk with each of their zbo's."""
    day = today or get_settings().current_date()
    queued = queue_zbo_reminders_task(day)
    report = deliver_outbox_task()
    return _report(ZBO_FLOW, "Herinneringen gesprekken met zbo's", day, queued, report)


@flow(name=CASE_FLOW)
def case_deadline_signals(today: date | None = None) -> dict:
    """Working-day mornings: signal cases due within 5 working days or overdue."""
    day = today or get_settings().current_date()
    queued = queue_case_signals_task(day)
    report = deliver_outbox_task()
    return _report(CASE_FLOW, "Termijnsignalen zaken", day, queued, report)
