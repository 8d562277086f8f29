"""Prefect flows: scheduled reminders, deadline signals, the annual inventory and overviews.

:data:`FLOWS` names every flow with the module that defines it and its schedule, so that
``spreiding serve`` and ``spreiding flows run`` find them without importing Prefect (or the
flow modules) until a flow really runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prefect import Flow


@dataclass(frozen=True, slots=True)
class FlowSpec:
    """Where a flow lives and when it runs (cron in Europe/Amsterdam)."""

    name: str
    module: str
    attribute: str
    cron: str
    description: str


TIMEZONE = "Europe/Amsterdam"

FLOWS: dict[str, FlowSpec] = {
    spec.name: spec
    for spec in (
        FlowSpec(
            "zbo-consultation-reminders",
            "spreiding.flows.reminders",
            "zbo_consultation_reminders",
            "0 7 * * 1-5",
            # Daily rather than monthly: a monthly run would send the "30 days before" reminder
            # up to a month early or late and skip "on the due date"; reruns send nothing twice.
            "Working-day mornings: remind ministries of the location talk with their zbo's.",
        ),
        FlowSpec(
            "case-deadline-signals",
            "spreiding.flows.reminders",
            "case_deadline_signals",
            "30 7 * * 1-5",
            "Working-day mornings: signal cases due within 5 working days or overdue.",
        ),
        FlowSpec(
            "annual-inventory",
            "spreiding.flows.inventory",
            "annual_inventory",
            "0 6 1 3 *",
            "1 March: load the ministries' fte deliveries and write the report to parliament.",
        ),
        FlowSpec(
            "regional-opportunities-overview",
            "spreiding.flows.opportunities",
            "regional_opportunities_overview",
            "0 6 1 9 *",
            "1 September: compile the inventory of regional opportunities per region.",
        ),
        FlowSpec(
            "scenario-projection",
            "spreiding.flows.projection",
            "scenario_projection",
            "0 6 15 4 *",
            "Yearly after the inventory: project the fte distribution under the scenarios.",
        ),
    )
}


def load_flow(name: str) -> Flow[..., Any]:
    """Import and return the Prefect flow called ``name``."""
    from importlib import import_module

    from spreiding.core.errors import NotFound

    spec = FLOWS.get(name)
    if spec is None:
        raise NotFound(f"unknown flow {name!r}; flows: {', '.join(FLOWS)}")
    return getattr(import_module(spec.module), spec.attribute)
