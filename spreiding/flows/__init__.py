"""Prefect flows: scheduled reminders, deadline signals, the annual inventory and overviews.

:data:`FLOWS` names every flow with the module that defines it and its schedule, so that
``spreiding serve`` and ``spreiding flows run`` find them without importing Prefect (or the
flow modules) until a flow really runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from spreiding.core.settings import YearRhythm
from spreiding.flows.rhythm import inventory_crons, projection_crons

if TYPE_CHECKING:
    from prefect import Flow


@dataclass(frozen=True, slots=True)
class FlowSpec:
    """Where a flow lives, when it runs (cron in Europe/Amsterdam), its tag and its description.

    ``crons`` takes the year's rhythm from the settings (:mod:`spreiding.flows.rhythm`), so
    that the yearly flows follow ``SPREIDING_RHYTHM__*``. ``description`` is Dutch: the Prefect
    UI shows it to BZK's staff (what the flow does, when, for whom).
    """

    name: str
    module: str
    attribute: str
    domain: str
    crons: Callable[[YearRhythm], tuple[str, ...]]
    description: str
    window_hours: int = 2
    """How long a due run may take to finish before BZK's operator is alerted."""

    @property
    def tags(self) -> list[str]:
        """The deployment's tags: ``spreiding`` and the flow's domain."""
        return ["spreiding", self.domain]


TIMEZONE = "Europe/Amsterdam"


def _fixed(*crons: str) -> Callable[[YearRhythm], tuple[str, ...]]:
    return lambda _rhythm: crons


FLOWS: dict[str, FlowSpec] = {
    spec.name: spec
    for spec in (
        FlowSpec(
            "zbo-consultation-reminders",
            "spreiding.flows.reminders",
            "zbo_consultation_reminders",
            "zbo",
            # Daily rather than monthly: a monthly run would send the "30 days before" reminder
            # up to a month early or late and skip "on the due date"; reruns send nothing twice.
            _fixed("0 7 * * 1-5"),
            "Herinnert ministeries per e-mail aan het gesprek over de locatie met elk van hun "
            "zbo's: 30 dagen vooraf en op de uiterste datum. Elke werkdag om 7.00 uur. Voor de "
            "contactpersonen van de ministeries; BZK ziet de samenvatting in het artefact.",
        ),
        FlowSpec(
            "case-deadline-signals",
            "spreiding.flows.reminders",
            "case_deadline_signals",
            "zaken",
            _fixed("30 7 * * 1-5"),
            "Signaleert per e-mail de zaken (locatieadviezen) die binnen 5 werkdagen hun termijn "
            "bereiken of die over hun termijn zijn. Elke werkdag om 7.30 uur. Voor de "
            "behandelaars bij BZK en de ministeries.",
        ),
        FlowSpec(
            "annual-inventory",
            "spreiding.flows.inventory",
            "annual_inventory",
            "inventarisatie",
            inventory_crons,
            "Jaarlijkse inventarisatie van de rijkswerkgelegenheid (peildatum 1 januari): laadt "
            "de fte-leveringen van de ministeries en herinnert wie nog niet leverde, wekelijks "
            "tijdens de leverperiode (standaard 1 maart t/m 30 april); na de leverperiode "
            "(standaard 1 mei) schrijft de run de rapportage aan de Tweede Kamer. Voor BZK en "
            "de ministeries.",
            window_hours=6,
        ),
        FlowSpec(
            "regional-opportunities-overview",
            "spreiding.flows.opportunities",
            "regional_opportunities_overview",
            "regionale-kansen",
            _fixed("0 6 1 9 *"),
            "Stelt het overzicht van regionale kansen per provincie en regio samen (maatregel "
            "M5). Jaarlijks op 1 september. Voor ministeries die een locatie voor een dienst "
            "zoeken, en voor BZK.",
        ),
        FlowSpec(
            "scenario-projection",
            "spreiding.flows.projection",
            "scenario_projection",
            "projectie",
            projection_crons,
            "Projecteert de verdeling van de rijkswerkgelegenheid over de provincies onder elk "
            "scenario, met de bijsluiter. Jaarlijks na de rapportage (standaard 15 mei), op de "
            "gerapporteerde cijfers. Voor de beleidsmedewerkers van BZK en de Kamerbrief.",
            window_hours=12,
        ),
    )
}


def spec_of(name: str) -> FlowSpec:
    """The registry entry of flow ``name``; an unknown name is one clear line."""
    from spreiding.core.errors import NotFound

    spec = FLOWS.get(name)
    if spec is None:
        raise NotFound(f"unknown flow {name!r}; flows: {', '.join(FLOWS)}")
    return spec


def crons(spec: FlowSpec) -> tuple[str, ...]:
    """The cron expressions of ``spec`` under the configured year's rhythm."""
    from spreiding.core.settings import get_settings

    return spec.crons(get_settings().rhythm)


def load_flow(name: str) -> Flow[..., Any]:
    """Import and return the Prefect flow called ``name``."""
    from importlib import import_module

    spec = spec_of(name)
    return getattr(import_module(spec.module), spec.attribute)
