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
  (:func:`spreiding.models.figures.distribution`), for the fan chart and the backtest.

This module imports no Prefect, so the command line can use it without Prefect's start-up.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine
from sqlmodel import Session

from spreiding.models.db import session_scope
from spreiding.models.figures import (
    current_fte_counts,
    distribution,
    start_counts,
    store_complete_peildata,
)
from spreiding.opportunities.store import regional_weights
from spreiding.simulation.baseline import Baseline, Observed


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
