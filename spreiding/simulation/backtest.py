"""The backtest ("terugrekening"): project from every complete peildatum to every later one.

For each complete peildatum in the store that has a later one, :func:`backtest` projects each
scenario from it to the last complete peildatum and compares, per later peildatum, the
projection with what the store observed, for two measures:

* ``totaal`` — the total fte; the error is relative (``median / observed - 1``);
* ``aandeel_randstad`` — the Randstad share; the error is the difference in share
  (``median - observed``, 0.01 = one percentage point).

A row is ``{scenario, measure, start, year, median, low, high, observed, error, covered}``
with ``low``/``high`` the 5% and 95% quantiles over the replications and ``covered`` whether
the observation lies in that 90% interval. ``spreiding backtest`` computes it and stores it in
the data folder (:func:`write_backtest`); ``spreiding simulate`` shows the latest stored one in
the bijsluiter (:func:`read_backtest`) and never computes it itself.

The simulation takes numbers: each start is a :class:`~.baseline.Baseline` read by the caller,
with the observed history of the store in :attr:`~.baseline.Baseline.history`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from spreiding.core.errors import InvalidInput
from spreiding.simulation.montecarlo import BatchSpec, project
from spreiding.simulation.quantiles import randstad_share

if TYPE_CHECKING:
    from spreiding.simulation.baseline import Baseline
    from spreiding.simulation.parameters import Scenario

MEASURES = ("totaal", "aandeel_randstad")
FILE_NAME = "backtest.json"
"""The file in the data folder that holds the latest backtest."""


@dataclass(frozen=True)
class BacktestRow:
    """One scenario, measure, start and year: the projection against the observation."""

    scenario: str
    measure: str  # totaal or aandeel_randstad
    start: int
    year: int
    median: float
    low: float
    high: float
    observed: float
    error: float  # relative for totaal, a difference in share for aandeel_randstad
    covered: bool  # the observation lies in the 90% interval

    def to_json(self) -> dict[str, Any]:
        """The row as JSON (numbers rounded: fte to 0.1, shares and errors to 1e-6)."""
        digits = 1 if self.measure == "totaal" else 6
        row = asdict(self)
        for key in ("median", "low", "high", "observed"):
            row[key] = round(row[key], digits)
        row["error"] = round(self.error, 6)
        return row


def backtest(
    scenarios: Sequence[Scenario],
    starts: Sequence[Baseline],
    *,
    replications: int,
    seed: int,
    workers: int = 1,
    on_done: Callable[[BatchSpec], None] | None = None,
) -> list[BacktestRow]:
    """Project every scenario from every start to each later observed peildatum."""
    rows: list[BacktestRow] = []
    for base in starts:
        later = [o for o in base.history if o.peildatum > base.peildatum]
        if not later:
            continue
        first = base.peildatum.year
        years = later[-1].peildatum.year - first
        projection = project(
            scenarios,
            base,
            replications=replications,
            years=years,
            seed=seed,
            workers=workers,
            on_done=on_done,
        )
        for run in projection.runs:
            totals = run.provinces.sum(axis=2)
            shares = randstad_share(projection, run)
            for seen in later:
                y = seen.peildatum.year - first
                for measure, values, observed in (
                    ("totaal", totals[:, y], seen.total_fte),
                    ("aandeel_randstad", shares[:, y], seen.randstad_share),
                ):
                    low, median, high = (float(q) for q in np.quantile(values, (0.05, 0.5, 0.95)))
                    error = median / observed - 1 if measure == "totaal" else median - observed
                    rows.append(
                        BacktestRow(
                            run.scenario.name,
                            measure,
                            first,
                            seen.peildatum.year,
                            median,
                            low,
                            high,
                            observed,
                            error,
                            low <= observed <= high,
                        )
                    )
    return rows


def backtest_starts(history_years: Sequence[int]) -> list[int]:
    """The start years of a backtest: every complete peildatum that has a later one."""
    if len(history_years) < 2:
        known = ", ".join(str(y) for y in history_years) or "geen"
        raise InvalidInput(
            "backtest: the store needs at least two complete peildata to project from one to "
            f"the next (complete: {known})"
        )
    return list(history_years[:-1])


def write_backtest(path: Path, rows: Sequence[BacktestRow], about: dict[str, Any]) -> Path:
    """Store the backtest as JSON: ``about`` (how it was computed) and the rows."""
    data = {**about, "rows": [row.to_json() for row in rows]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read_backtest(path: Path) -> dict[str, Any] | None:
    """The stored backtest, or None when there is none (or it cannot be read)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
        return None
    return data
