"""The reminder flows: zbo consultation reminders and case deadline signals (both on working days).

Each flow has two tasks. The first decides which reminders are due on ``today`` and puts
them in the outbox, all in **one** transaction, so a decision and its message are committed
together or not at all (:func:`spreiding.zbo.reminders.queue_zbo_reminders`,
:func:`spreiding.statemachine.signals.queue_case_signals`). The second delivers every pending
message (:func:`spreiding.flows.runs.deliver_mail`), including ones an earlier run could not
deliver: because case deadline signals run every working-day morning, a zbo reminder that met
an SMTP outage goes out the next working day, not a month later. Whichever flow delivers a
message, the check its kind registered decides just before sending whether it still holds.
Each flow returns a small summary and publishes a Markdown artifact.

``zbo_consultation_reminders.fn(today)`` and ``case_deadline_signals.fn(today)`` run the same
steps without Prefect (no artifact then). The artifact of the case signals names no
vertrouwelijk case: those are only counted, since the Prefect UI is not filtered by role
(``spreiding case signals --as ROLE`` is).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.states import State

from spreiding.core.dutch import date_text
from spreiding.core.templates import markdown_cell, markdown_escape
from spreiding.flows.runs import (
    deliver_mail,
    delivery_problem,
    finish,
    in_flow_run,
    run_day,
    run_logger,
    run_parameters,
    step,
)
from spreiding.mail.outbox import DeliveryReport
from spreiding.mail.queued import Queued
from spreiding.models.db import session_scope
from spreiding.statemachine.signals import queue_case_signals
from spreiding.zbo import consultations as zbo
from spreiding.zbo.reminders import queue_zbo_reminders

ZBO_FLOW = "zbo-consultation-reminders"
CASE_FLOW = "case-deadline-signals"


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
    """A Dutch Markdown summary of a run, for the Prefect artifact.

    A message about something confidential (a vertrouwelijk case) is counted, not listed.
    """
    lines = [f"# {title}, {date_text(today)}", ""]
    shown = [q for q in queued if not q.confidential]
    hidden = len(queued) - len(shown)
    if shown:
        lines += ["| over | herinnering | uiterste datum | aan |", "|---|---|---|---|"]
        lines += [
            f"| {markdown_cell(q.about)} | {zbo.STAGE_LABELS.get(q.stage, q.stage)} "
            f"| {date_text(q.due)} | {markdown_cell(q.to)} |"
            for q in shown
        ]
    elif not hidden:
        lines.append("Geen nieuwe herinneringen vandaag.")
    if hidden:
        lines += ["", f"Verder {hidden} signaal/signalen over vertrouwelijke zaken (niet getoond)."]
    lines += [
        "",
        f"**Bezorging:** {report.sent} verstuurd, {report.failed} mislukt, "
        f"{report.pending} nog in de wachtrij.",
    ]
    if report.error:
        lines += [
            "",
            f"**Storing:** {markdown_escape(report.error)}. De berichten blijven bewaard en gaan "
            "mee met de volgende run.",
        ]
    return "\n".join(lines) + "\n"


def _report(
    flow_name: str, title: str, day: date, queued: list[Queued], report: DeliveryReport
) -> dict:
    log = run_logger(__name__)
    log.info(
        "%s: %d queued, %d sent, %d pending", flow_name, len(queued), report.sent, report.pending
    )
    if report.error:
        log.error("%s: delivery stopped: %s", flow_name, report.error)
    if in_flow_run():
        create_markdown_artifact(
            summary_markdown(title, day, queued, report),
            key=flow_name,
            description=f"{title}: wat in de wachtrij is gezet en wat is verstuurd",
        )
    return summary(flow_name, day, queued, report)


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


def _day_name(prefix: str) -> str:
    day = run_parameters().get("today") or run_day()
    return f"{prefix}-{day:%Y-%m-%d}"


def zbo_run_name() -> str:
    """``zbo-herinneringen-2026-12-01``: the day the run decides the reminders of."""
    return _day_name("zbo-herinneringen")


def case_run_name() -> str:
    """``termijnsignalen-2026-12-01``: the day the run decides the signals of."""
    return _day_name("termijnsignalen")


@flow(name=ZBO_FLOW, flow_run_name=zbo_run_name)
def zbo_consultation_reminders(today: date | None = None) -> dict | State:
    """Working days: remind ministries of the location talk with each of their zbo's.

    Args:
        today: De dag waarvoor de herinneringen worden bepaald (JJJJ-MM-DD). Leeg: de
            geplande dag van de run, of vandaag bij een run met de hand.
    """
    day = today or run_day()
    queued = step(queue_zbo_reminders_task, day)
    report = step(deliver_mail)
    summary = _report(ZBO_FLOW, "Herinneringen gesprekken met zbo's", day, queued, report)
    return finish(summary, delivery_problem(report))


@flow(name=CASE_FLOW, flow_run_name=case_run_name)
def case_deadline_signals(today: date | None = None) -> dict | State:
    """Working-day mornings: signal cases due within 5 working days or overdue.

    Args:
        today: De dag waarvoor de termijnsignalen worden bepaald (JJJJ-MM-DD). Leeg: de
            geplande dag van de run, of vandaag bij een run met de hand.
    """
    day = today or run_day()
    queued = step(queue_case_signals_task, day)
    report = step(deliver_mail)
    summary = _report(CASE_FLOW, "Termijnsignalen zaken", day, queued, report)
    return finish(summary, delivery_problem(report))
