"""Where a projection starts and what it is checked against, read from the store.

The simulation takes numbers and never reads the store. The command line
(:mod:`spreiding.cli.simulation`) and the Prefect flow (:mod:`spreiding.flows.projection`)
both compose its input here, from the store readers of the components that own the data:

* :func:`load_start` — the fte per organisation and province on a complete peildatum
  (:func:`spreiding.models.figures.start_counts`) and the weights of the regional
  opportunities (:func:`spreiding.opportunities.store.regional_weights`), as a
  :class:`~spreiding.simulation.baseline.Baseline`;
* the fte per sector and province on every complete peildatum up to the start, from which
  the simulation fits the reference growth (:mod:`spreiding.simulation.fitting`);
* :func:`load_history` — the observed total and Randstad share on every complete peildatum
  (:func:`spreiding.models.figures.distribution`), for the fan chart and the backtest;
* :func:`with_pipeline` — the open and decided location cases of the store as
  :class:`~spreiding.simulation.pipeline.KnownPlan` values (the known pipeline), read today.

* :func:`load_prognoses` and :func:`prognosis_growth` — the ministries' own prognoses in
  their deliveries for the start peildatum, turned into the yearly growth rate per sector
  they imply (the plain numbers a scenario's ``growth.<sector>`` takes), and
  :func:`with_prognoses`, a scenario that grows at those rates.

``spreiding simulate``, ``spreiding sensitivity`` and the ``scenario-projection`` flow read the
pipeline through the same :func:`with_pipeline`, so they project the same known plans.

This module imports no Prefect, so the command line can use it without Prefect's start-up.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace

from sqlalchemy import Engine
from sqlmodel import Session, select

from spreiding.core.errors import InvalidInput
from spreiding.core.settings import get_settings
from spreiding.inventory.deliveries import organisation_prognoses
from spreiding.models.db import session_scope
from spreiding.models.figures import (
    current_fte_counts,
    distribution,
    start_counts,
    store_complete_peildata,
)
from spreiding.models.tables import Case, Municipality, Organisation
from spreiding.opportunities.store import regional_weights
from spreiding.simulation.baseline import Baseline, Observed
from spreiding.simulation.parameters import Scenario
from spreiding.simulation.pipeline import KINDS, KnownPlan


def load_start(engine: Engine, *, randstad: Sequence[str], year: int | None = None) -> Baseline:
    """The start of a projection on 1 January ``year`` (default: the newest complete one)."""
    with session_scope(engine) as session:
        start = start_counts(session, year)
        weights = regional_weights(session, randstad)
        history = _history(session, randstad)
        past = [
            (d.year, sector, province, fte)
            for d in store_complete_peildata(session)
            if d <= start.peildatum
            for sector, province, fte, _synthetic in current_fte_counts(
                session, d, ("sector", "province")
            )
        ]
    return Baseline.from_cells(
        start.cells,
        peildatum=start.peildatum,
        randstad=randstad,
        synthetic=start.synthetic,
        source=start.source,
        opportunities=weights,
        history=history,
        past=past,
    )


def with_pipeline(engine: Engine, baseline: Baseline) -> Baseline:
    """``baseline`` with the open and decided cases of the store (read today) as known plans.

    Plans of the model's kinds only (no masterplan or VtW); withdrawn and out-of-scope cases
    are settled and left out. Locations are read as the province of their municipality; the
    advice and the decision from the case's dossier.
    """
    settled = ("withdrawn", "out_of_scope")
    with session_scope(engine) as session:
        province = dict(session.exec(select(Municipality.code, Municipality.province_code)).all())
        codes = dict(session.exec(select(Organisation.id, Organisation.code)).all())
        cases = session.exec(
            select(Case)
            .where(Case.case_type.in_(KINDS))  # type: ignore[attr-defined]
            .where(Case.state.not_in(settled))  # type: ignore[attr-defined]
            .order_by(Case.id)  # type: ignore[arg-type]
        ).all()
        plans = []
        for case in cases:
            dossier = case.dossier or {}
            decision = dossier.get("decision") or {}
            advice = dossier.get("advice") or {}
            plans.append(
                KnownPlan(
                    case=int(case.id or 0),
                    kind=case.case_type,
                    fte=float(case.fte),
                    unit=codes[case.organisation_id],
                    state=case.state,
                    in_scope=case.in_scope,
                    suspended_from=case.suspended_from,
                    location=province[case.location_code],
                    target=province.get(case.target_code or ""),
                    advice=province.get(str(advice.get("location") or "")),
                    decided=province.get(str(decision.get("location") or "")),
                    route=(
                        ("mr" if decision.get("by") == "mr" else "agreement") if decision else None
                    ),
                    follows_advice=decision.get("follows_advice"),
                )
            )
    return replace(baseline, pipeline=tuple(plans), known_on=get_settings().current_date())


def load_history(engine: Engine, *, randstad: Sequence[str]) -> tuple[Observed, ...]:
    """The observed total and Randstad share on every complete peildatum, oldest first."""
    with session_scope(engine) as session:
        return _history(session, randstad)


def _history(session: Session, randstad: Sequence[str]) -> tuple[Observed, ...]:
    observed = []
    for peildatum in store_complete_peildata(session):
        figures = distribution(session, peildatum.year, randstad)
        observed.append(Observed(peildatum, figures.total_fte, figures.randstad_share))
    return tuple(observed)


def load_prognoses(engine: Engine, year: int) -> dict[str, dict[int, float]]:
    """The ministries' prognoses delivered with peildatum 1 January ``year``, per organisation."""
    with session_scope(engine) as session:
        return organisation_prognoses(session, year)


def prognosis_growth(
    baseline: Baseline, prognoses: Mapping[str, Mapping[int, float]]
) -> dict[str, float]:
    """The yearly growth rate per sector that the ministries' prognoses imply.

    Per sector, the organisations of the baseline that gave a prognosis for the sector's
    furthest year: (their prognosed fte / their fte at the start) ** (1 / years) - 1. Their
    rate stands for the whole sector; a sector without prognoses is not in the result.
    Prognoses of organisations the baseline does not hold are left out.
    """
    start = baseline.peildatum.year
    now = {unit: math.fsum(row) for unit, row in zip(baseline.units, baseline.fte, strict=True)}
    sector_of = dict(zip(baseline.units, baseline.sectors, strict=True))
    rates: dict[str, float] = {}
    for sector in sorted(set(baseline.sectors)):
        given = {u: prognoses[u] for u in now if sector_of[u] == sector and prognoses.get(u)}
        if not given:
            continue
        last = max(y for years in given.values() for y in years)
        if last <= start:
            raise InvalidInput(f"prognoses for {last} are not after the start year {start}")
        current = math.fsum(now[u] for u, years in given.items() if last in years)
        expected = math.fsum(years[last] for years in given.values() if last in years)
        if current <= 0:
            continue  # organisations without fte now: no rate to take from them
        rates[sector] = (expected / current) ** (1 / (last - start)) - 1
    return rates


def with_prognoses(scenario: Scenario, rates: Mapping[str, float]) -> Scenario:
    """``scenario`` growing at the rates of the ministries' prognoses (``<name>-prognoses``).

    The sectors with prognoses take their rate as a choice; the reference growth then comes
    from the scenario's assumed values (``growth.source = "aanname"``), so the other sectors
    grow at their assumed rates instead of the fit. A rate outside the model's bounds is
    refused, naming the sector and the value.
    """
    if not rates:
        raise InvalidInput(
            "no prognoses: no ministry gave prognoses with its delivery for the start peildatum"
        )
    changes: dict[str, object] = {"growth.source": "aanname"}
    changes.update({f"growth.{sector}": rate for sector, rate in rates.items()})
    return scenario.with_values(changes, name=f"{scenario.name}-prognoses")
