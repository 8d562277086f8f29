"""The reference growth fitted to the store's history: sector rates, their spread, and where
growth landed.

From the fte per sector and province on the complete peildata up to the start of a
projection (:attr:`~.baseline.Baseline.past`; never a later one, so a backtest cannot peek),
:func:`fit_growth` estimates:

* **the rate of each sector**: the mean of its yearly growth ``fte(t+1) / fte(t) - 1`` over
  the consecutive peildata;
* **the spread**: the standard deviation of those yearly rates around their sector's mean,
  pooled over the sectors (``n - k`` degrees of freedom); with a single year of growth it
  cannot be estimated, and the scenario's ``growth.sd`` (an assumption) stays;
* **the common spread**: the standard deviation of the yearly growth of the total over the
  consecutive peildata (at least two years of growth; else the scenario's
  ``growth.common_sd``): a shock that all sectors share in a year (budgets, the labour
  market), which the sector spread alone cannot show once averaged over six sectors;
* **how sure the rates are**: the number of yearly rates behind each sector's mean and the
  total's, so that the model can draw the true rate around the estimate (its standard error
  is the spread over the square root of that number);
* **where growth landed**: per sector, the share of each province in the sector's positive
  change over the window (first to last peildatum): net growth is allocated like that, not
  like today's stock, so the growth can concentrate (or spread) the way it did. A sector
  without any positive change keeps the pattern of its stock.

A fit needs at least two complete peildata; with fewer the scenario's own values
(provenance ``aanname``) are used. The result carries the peildata it used, which the
bijsluiter shows as provenance ``data``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise


@dataclass(frozen=True)
class GrowthFit:
    """Sector rates, the pooled spread (None: not estimable) and the allocation of growth."""

    years: tuple[int, ...]  # the peildata used (1 January)
    rates: dict[str, float]  # per sector, mean yearly growth
    sd: float | None  # pooled spread of the yearly rates; None with one year of growth
    allocation: dict[str, dict[str, float]]  # sector -> province -> share of its growth
    counts: dict[str, int] = field(default_factory=dict)  # yearly rates behind each rate
    common_sd: float | None = None  # spread of the total's yearly growth; None: < 2 years
    years_of_growth: int = 0  # yearly rates of the total

    @property
    def window(self) -> str:
        """The peildata used, as text: ``2021-2023``."""
        return f"{self.years[0]}-{self.years[-1]}"


def fit_growth(
    past: Iterable[tuple[int, str, str, float]], sectors: Sequence[str], provinces: Sequence[str]
) -> GrowthFit | None:
    """Fit the reference growth on ``(year, sector, province, fte)``; None with < 2 years."""
    cells: dict[int, dict[tuple[str, str], float]] = {}
    for year, sector, province, fte in past:
        cell = cells.setdefault(year, {})
        cell[sector, province] = cell.get((sector, province), 0.0) + fte
    years = sorted(cells)
    consecutive = [(a, b) for a, b in pairwise(years) if b == a + 1]
    if not consecutive:
        return None
    totals = {
        y: {s: sum(cells[y].get((s, p), 0.0) for p in provinces) for s in sectors} for y in years
    }
    yearly: dict[str, list[float]] = {}
    for a, b in consecutive:
        for s in sectors:
            if totals[a][s] > 0:
                yearly.setdefault(s, []).append(totals[b][s] / totals[a][s] - 1.0)
    rates = {s: sum(v) / len(v) for s, v in yearly.items()}
    overall = [
        sum(totals[b].values()) / sum(totals[a].values()) - 1.0
        for a, b in consecutive
        if sum(totals[a].values()) > 0
    ]
    common_sd = None
    if len(overall) >= 2:
        mean = sum(overall) / len(overall)
        common_sd = math.sqrt(sum((g - mean) ** 2 for g in overall) / (len(overall) - 1))
    squares = sum((r - rates[s]) ** 2 for s, v in yearly.items() for r in v)
    freedom = sum(len(v) for v in yearly.values()) - len(yearly)
    sd = math.sqrt(squares / freedom) if freedom > 0 else None
    first, last = years[0], years[-1]
    allocation = {}
    for s in sectors:
        gains = {
            p: max(cells[last].get((s, p), 0.0) - cells[first].get((s, p), 0.0), 0.0)
            for p in provinces
        }
        total = sum(gains.values())
        if total > 0:
            allocation[s] = {p: g / total for p, g in gains.items()}
    counts = {s: len(v) for s, v in yearly.items()}
    return GrowthFit(tuple(years), rates, sd, allocation, counts, common_sd, len(overall))
