"""The projection's stochastic model written as whole-array numpy: the limit for the benchmark.

Not used by ``spreiding``: this is how fast the same model can run when every replication
is a row of an array and nothing is an event. It draws what the SimPy model draws (yearly
growth per sector, Poisson plans of the four kinds with log-normal sizes, the case walk
compiled from the lifecycle chart, exemptions and compliance, an RVB with limited capacity,
first come first served, and a gamma housing time) with the same scenario values, but
simplifies where the SimPy model follows the state of the moment:

* a plan's organisation and provinces are picked from the start fte, not the fte of its
  arrival;
* changes land at the end of the year in which the case closes (or the project completes),
  after that year's growth, instead of at their moment;
* a krimp is taken pro rata from its organisation's row at that year end, from the Randstad
  first when the principles decide.

So its numbers are close to the model's but not the same; it is a bound on the speed, not a
second implementation. :func:`project` returns fte per replication, year and province.
"""

from __future__ import annotations

import numpy as np

from spreiding.simulation.model import ModelConfig, _decisions, walk_cases


def project(config: ModelConfig, replications: int, seed: int) -> np.ndarray:
    """fte per replication x (years + 1) x province, vectorised over every replication."""
    c = config
    rng = np.random.default_rng(seed)
    n_units, n_prov = c.fte.shape
    years = c.years
    kinds = [k for k, rate in c.rates if rate > 0]
    rates = np.array([rate for _k, rate in c.rates if rate > 0])
    # -- the plans of every replication at once
    counts = rng.poisson(rates.sum() * years, size=replications)
    n = int(counts.sum())
    rep = np.repeat(np.arange(replications), counts)
    at = rng.random(n) * years
    kind = np.minimum(
        np.searchsorted(np.cumsum(rates) / rates.sum(), rng.random(n)), len(kinds) - 1
    )
    size = np.maximum(c.threshold, rng.lognormal(c.size_mu, c.size_sigma, n))
    start_totals = c.fte.sum(axis=1)
    unit = np.minimum(
        np.searchsorted(np.cumsum(start_totals) / start_totals.sum(), rng.random(n)), n_units - 1
    )
    krimp = np.array([k == "krimp" for k in kinds])[kind]
    herv = np.array([k == "hervestiging" for k in kinds])[kind]
    housing = ~krimp
    size = np.where(krimp, np.minimum(size, start_totals[unit]), size)
    codes, took = walk_cases(c.walk_table, size >= c.threshold, rng.random((n, 32)))
    names = c.walk_table.outcomes
    u = rng.random((n, 5))
    _exempted, follows = _decisions(c, names, codes, u)
    withdrawn = codes == names.index("withdrawn")
    # the ministry's own plan and the principles' province
    sector_cdf = np.array(c.sector_cdf)[c.unit_sector[unit]]
    own = np.minimum((sector_cdf < rng.random(n)[:, None]).sum(axis=1), n_prov - 1)
    outside = np.minimum(np.searchsorted(c.outside_cdf, u[:, 4], side="right"), n_prov - 1)
    target = np.where(follows, outside, own)
    row_cdf = np.cumsum(c.fte[unit], axis=1) / start_totals[unit][:, None]
    source = np.minimum((row_cdf < rng.random(n)[:, None]).sum(axis=1), n_prov - 1)
    # -- the RVB: capacity slots per replication, requests in the order they are made
    closed = at + took
    lands = closed.copy()
    ask = housing & ~withdrawn
    order = np.lexsort((closed, rep))
    build = rng.gamma(4.0, 0.25, n) * c.rvb_mean_years
    asked = order[ask[order]]
    per_rep = np.bincount(rep[asked], minlength=replications)
    first = np.concatenate([[0], np.cumsum(per_rep)[:-1]])
    free = np.zeros((replications, c.rvb_capacity))
    rows = np.arange(replications)
    for k in range(int(per_rep.max(initial=0))):
        has = rows[per_rep > k]
        plan = asked[first[has] + k]
        slot = free[has].argmin(axis=1)
        begin = np.maximum(closed[plan], free[has, slot])
        free[has, slot] = begin + build[plan]
        lands[plan] = begin + build[plan]
    land_year = np.floor(lands).astype(np.intp)  # lands at the end of this year
    acts = ~withdrawn & (land_year < years)
    # -- the years, every replication at once
    fte = np.broadcast_to(c.fte, (replications, n_units, n_prov)).copy()
    out = np.empty((replications, years + 1, n_prov))
    out[:, 0] = fte.sum(axis=1)
    for y in range(years):
        shock = rng.standard_normal((replications, len(c.growth))) * c.growth_sd
        shock += rng.standard_normal((replications, 1)) * c.common_sd  # shared by the sectors
        factor = np.maximum(1.0 + c.growth + c.growth_offset + shock, 0.0)
        fte *= factor[:, c.unit_sector][:, :, None]
        if c.first_year + y in c.cut_years:
            _cut(c, fte)
        now = acts & (land_year == y)
        grow = now & housing
        np.add.at(fte, (rep[grow], unit[grow], target[grow]), size[grow])
        moved = grow & herv
        np.add.at(fte, (rep[moved], unit[moved], source[moved]), -size[moved])
        shrink = now & krimp
        if shrink.any():
            _krimp(c, fte, rep[shrink], unit[shrink], size[shrink], follows[shrink])
        np.maximum(fte, 0.0, out=fte)
        out[:, y + 1] = fte.sum(axis=1)
    return out


def _cut(c: ModelConfig, fte: np.ndarray) -> None:
    rows = fte[:, c.cut_units]
    amount = c.cut_rate * rows.sum(axis=2)
    inside = rows[:, :, c.randstad].sum(axis=2)
    taken = np.minimum(amount * c.compliance if c.applied else 0.0 * amount, inside)
    keep = np.divide(inside - taken, inside, out=np.ones_like(inside), where=inside > 0)
    rows[:, :, c.randstad] *= keep[:, :, None]
    left = rows.sum(axis=2)
    rest = np.divide(amount - taken, left, out=np.zeros_like(left), where=left > 0)
    rows *= np.clip(1.0 - rest, 0.0, 1.0)[:, :, None]
    fte[:, c.cut_units] = rows


def _krimp(
    c: ModelConfig,
    fte: np.ndarray,
    rep: np.ndarray,
    unit: np.ndarray,
    size: np.ndarray,
    first: np.ndarray,
) -> None:
    row = fte[rep, unit]
    inside = (row * c.randstad).sum(axis=1)
    taken = np.where(first, np.minimum(size, inside), 0.0)
    keep = np.divide(inside - taken, inside, out=np.ones_like(inside), where=inside > 0)
    row = np.where(c.randstad, row * keep[:, None], row)
    total = row.sum(axis=1)
    scale = np.divide(
        np.maximum(total - (size - taken), 0.0), total, out=np.ones_like(total), where=total > 0
    )
    np.subtract.at(fte, (rep, unit), fte[rep, unit] - row * scale[:, None])
