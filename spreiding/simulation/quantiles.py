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


def reference_run(projection: Projection, run: ScenarioRun | None = None) -> ScenarioRun | None:
    """The run ``run`` is compared with: ``trend`` in the same reference if it ran, else the
    first run of that reference; None when that is ``run`` itself or the reference ran alone.

    Without ``run``: the reference of the first run's group.
    """
    group = [
        r
        for r in projection.runs
        if r.scenario.reference == (run or projection.runs[0]).scenario.reference
    ]
    if len(group) < 2:
        return None
    named = [r for r in group if r.scenario.variant == "trend"]
    reference = named[0] if named else group[0]
    return None if reference is run else reference


def comparisons(projection: Projection) -> list[tuple[ScenarioRun, ScenarioRun]]:
    """(run, its reference run) for every run that has one, in run order."""
    pairs = []
    for run in projection.runs:
        reference = reference_run(projection, run)
        if reference is not None:
            pairs.append((run, reference))
    return pairs


@dataclass(frozen=True)
class Effect:
    """The policy effect: a scenario's share outside the Randstad minus the reference's."""

    scenario: str
    reference: str
    year: int
    median: float
    low: float
    high: float
    world: str = ""  # the reference world (hoog, laag) both runs are in, or ""
    variant: str = ""  # the policy variant of ``scenario`` (nieuwe-aanpak)

    def to_json(self) -> dict[str, object]:
        """The effect as a JSON object (shares as fractions)."""
        return {
            "world": self.world,
            "variant": self.variant,
            "scenario": self.scenario,
            "versus": self.reference,
            "year": self.year,
            "median": round(float(self.median), 6),
            "low": round(float(self.low), 6),
            "high": round(float(self.high), 6),
        }


def effects(projection: Projection, years: Sequence[int] | None = None) -> list[Effect]:
    """Per scenario and year the difference with its reference, replication by replication.

    The scenarios share their random numbers (the same plans, growth and drawn assumptions
    where their ranges agree), so the difference per replication is the effect of their
    rules; its median and 5-95% interval are taken over the replications. With reference
    worlds (``--reference``), each variant is compared with ``trend`` in its own world.
    """
    calendar = projection.calendar_years
    wanted = years or [calendar[min(5, len(calendar) - 1)], calendar[-1]]
    rows = []
    for run, reference in comparisons(projection):
        base = 1.0 - randstad_share(projection, reference)
        difference = (1.0 - randstad_share(projection, run)) - base
        for year in dict.fromkeys(wanted):
            y = calendar.index(year)
            low, mid, high = np.quantile(difference[:, y], (0.05, 0.5, 0.95))
            rows.append(
                Effect(
                    run.scenario.name,
                    reference.scenario.name,
                    year,
                    float(mid),
                    float(low),
                    float(high),
                    run.scenario.reference,
                    run.scenario.variant,
                )
            )
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
