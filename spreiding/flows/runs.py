"""What every flow shares: running a step with or without Prefect, the run logger, artifact
keys, and the one mail-delivery task.

A flow's body calls its steps through :func:`step`: inside a Prefect flow run a step runs as
the Prefect task it is; called as ``some_flow.fn(...)`` (no Prefect runtime: tests, a
notebook) the same step runs as its plain function. So there is one way to run a flow's steps
without Prefect, ``flow.fn``, and :func:`in_flow_run` says which of the two is happening, for
the parts (artifacts) that exist only under Prefect.

:func:`deliver_mail` sends whatever waits in the outbox. Just before each message goes out,
the mail component asks the check its kind registered whether the message still holds
(:mod:`spreiding.mail.checks`). The domain modules that register those checks are imported
here, at the top, so that every delivery a flow makes knows all of them.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.exceptions import MissingContextError
from prefect.logging import get_run_logger
from prefect.states import Failed, State

# Imported for their registration with spreiding.mail.checks (see the module docstring).
import spreiding.inventory.deliveries
import spreiding.statemachine.signals
import spreiding.zbo.reminders  # noqa: F401
from spreiding.core.settings import get_settings
from spreiding.flows import TIMEZONE
from spreiding.mail.outbox import DeliveryReport, deliver_pending


def in_flow_run() -> bool:
    """Whether this code runs inside a Prefect flow run (rather than as ``flow.fn``)."""
    return FlowRunContext.get() is not None


def run_day() -> date:
    """The day this run is for: a deployment run's scheduled day (Europe/Amsterdam), else today.

    A scheduled run that starts late (caught up after downtime) still handles the day it was
    scheduled for; a run started by hand, or ``flow.fn``, handles today
    (``SPREIDING_TODAY`` in demos and tests).
    """
    context = FlowRunContext.get()
    run = context.flow_run if context is not None else None
    if run is None or run.deployment_id is None or run.expected_start_time is None:
        return get_settings().current_date()
    return run.expected_start_time.astimezone(ZoneInfo(TIMEZONE)).date()


def run_parameters() -> dict[str, Any]:
    """The parameters of the flow run being named (empty outside a run)."""
    context = FlowRunContext.get()
    return dict(context.parameters) if context is not None else {}


def delivery_problem(report: DeliveryReport) -> list[str]:
    """The reason, in Dutch, why a run's mail was not all delivered; [] when it was."""
    if report.error is None and report.failed == 0:
        return []
    reason = f": {report.error}" if report.error else f": {report.failed} bericht(en) geweigerd"
    return [
        f"Bezorging van de e-mail mislukt{reason}. {report.pending} bericht(en) blijven in de "
        "wachtrij voor de volgende run."
    ]


class RunProblems(Exception):
    """Why a run ended Failed, with its summary: the data of that Failed state.

    Prefect resolves a Failed state's data into an exception when a deployment's run ends (in
    a worker or ``serve``); a plain dict there makes the engine raise a TypeError and the run
    end Crashed. An exception carrying the summary keeps both: the reason and the summary.
    """

    def __init__(self, message: str, summary: dict[str, Any]) -> None:
        super().__init__(message)
        self.summary = summary

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.summary))


def finish(summary: dict[str, Any], problems: list[str]) -> dict[str, Any] | State:
    """End a run: its summary, or a Failed state naming ``problems`` when there are any.

    The summary lists the problems either way (``summary["problems"]``); under Prefect a run
    with problems ends Failed with them as its state message (its data a :class:`RunProblems`
    holding the summary), so the dashboard counts it. ``flow.fn`` returns the summary.
    """
    summary["problems"] = problems
    if problems and in_flow_run():
        message = " ".join(problems)
        return Failed(message=message, data=RunProblems(message, summary))
    return summary


def step(task_: Any, *args: Any, **kwargs: Any) -> Any:
    """Run ``task_`` as a Prefect task inside a flow run, as its plain function outside one."""
    return (task_ if in_flow_run() else task_.fn)(*args, **kwargs)


def run_logger(name: str = "spreiding.flows") -> logging.Logger | logging.LoggerAdapter:
    """The run's logger inside a flow or task run; the logger ``name`` outside one."""
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger(name)


def artifact_key(*parts: object) -> str:
    """A Prefect artifact key from ``parts``: lowercase letters, digits and dashes only.

    Any other character becomes a dash, so a key made from stored text never fails a run.
    """
    text = "-".join(str(part) for part in parts).lower()
    return "".join(c if c.isascii() and c.isalnum() else "-" for c in text).strip("-")


@task(name="deliver-mail", cache_policy=NO_CACHE)
def deliver_mail() -> DeliveryReport:
    """Send what waits in the outbox; an SMTP outage leaves it waiting for the next run.

    A message whose registered check says it no longer holds is cancelled, not sent.
    """
    return deliver_pending()
