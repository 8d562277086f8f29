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
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.exceptions import MissingContextError
from prefect.logging import get_run_logger

# Imported for their registration with spreiding.mail.checks (see the module docstring).
import spreiding.inventory.deliveries
import spreiding.statemachine.signals
import spreiding.zbo.reminders  # noqa: F401
from spreiding.mail.outbox import DeliveryReport, deliver_pending


def in_flow_run() -> bool:
    """Whether this code runs inside a Prefect flow run (rather than as ``flow.fn``)."""
    return FlowRunContext.get() is not None


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
