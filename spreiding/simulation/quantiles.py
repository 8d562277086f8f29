"""The numbers a projection's outputs show: Randstad shares, quantiles, headlines, changes.

Pure functions over a :class:`~spreiding.simulation.montecarlo.Projection`'s arrays. The CSV
tables (:mod:`.outputs`), the charts (:mod:`.charts`) and the bijsluiter (:mod:`.bijsluiter`)
all read them from here, so that none of those needs another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from spreiding.simulation.montecarlo import QUANTILES, Projection, ScenarioRun


def randstad_mask(projection: Projection) -> np.ndarray:
    """True for each province (in baseline order) that counts as Randstad."""
    baseline = projection.baseline
    return np.array([p in baseline.randstad for p in baseline.provinces])


def randstad_share(projection: Projection, run: ScenarioRun) -> np.ndarray:
    """The Randstad share per replication and year (NaN where no fte are left at all)."""
    mask = randstad_mask(projection)
    with np.errstate(invalid="ignore", divide="ignore"):
        return run.provinces[:, :, mask].sum(axis=2) / run.provinces.sum(axis=2)


def quantiles(values: np.ndarray) -> np.ndarray:
    """Quantiles over the replications (axis 0): QUANTILES x the remaining axes."""
    return np.quantile(values, QUANTILES, axis=0)


def median_change(projection: Projection, run: ScenarioRun) -> dict[str, float]:
    """Per province, the median over replications of (last year - start year) fte."""
    change = np.median(run.provinces[:, -1] - run.provinces[:, 0], axis=0)
    return {code: float(v) for code, v in zip(projection.baseline.provinces, change, strict=True)}


@dataclass(frozen=True)
class Headline:
    """The share outside the Randstad for one scenario and year: median and 90% interval."""

    scenario: str
    year: int
    median: float
    low: float
    high: float
    total_fte: float


def reference_run(projection: Projection) -> ScenarioRun | None:
    """The run the others are compared with: ``trend`` if it ran, else the first; None alone."""
    if len(projection.runs) < 2:
        return None
    named = [run for run in projection.runs if run.scenario.name == "trend"]
    return named[0] if named else projection.runs[0]


@dataclass(frozen=True)
class Effect:
    """The policy effect: a scenario's share outside the Randstad minus the reference's."""

    scenario: str
    reference: str
    year: int
    median: float
    low: float
    high: float


def effects(projection: Projection, years: Sequence[int] | None = None) -> list[Effect]:
    """Per scenario and year the difference with the reference, replication by replication.

    The scenarios share their random numbers (the same plans, growth and drawn assumptions
    where their ranges agree), so the difference per replication is the effect of their
    rules; its median and 5-95% interval are taken over the replications.
    """
    reference = reference_run(projection)
    if reference is None:
        return []
    calendar = projection.calendar_years
    wanted = years or [calendar[min(5, len(calendar) - 1)], calendar[-1]]
    base = 1.0 - randstad_share(projection, reference)
    rows = []
    for run in projection.runs:
        if run is reference:
            continue
        difference = (1.0 - randstad_share(projection, run)) - base
        for year in dict.fromkeys(wanted):
            y = calendar.index(year)
            low, mid, high = np.quantile(difference[:, y], (0.05, 0.5, 0.95))
            rows.append(Effect(run.scenario.name, reference.scenario.name, year, mid, low, high))
    return rows


def headlines(projection: Projection, years: Sequence[int] | None = None) -> list[Headline]:
    """Median share outside the Randstad (5-95% interval) per scenario for ``years``."""
    calendar = projection.calendar_years
    wanted = years or [calendar[0], calendar[min(5, len(calendar) - 1)], calendar[-1]]
    lines = []
    for run in projection.runs:
        outside = 1.0 - randstad_share(projection, run)
        totals = run.provinces.sum(axis=2)
        for year in dict.fromkeys(wanted):
            y = calendar.index(year)
            low, mid, high = np.quantile(outside[:, y], (0.05, 0.5, 0.95))
            lines.append(
                Headline(run.scenario.name, year, mid, low, high, float(np.median(totals[:, y])))
            )
    return lines
