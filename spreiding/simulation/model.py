"""One replication of the projection: a SimPy model of fte per organisation and province.

Time runs in years from the start peildatum (t = 0 is 1 January of the start year). In one
replication:

* **Every year** (at t = 1, 2, ...) each sector changes autonomously around its scenario
  rate (one normal draw per sector and year), spread like today; then the taakstelling
  shrinks the sectors it applies to. With the principles applied, the part
  ``principles.compliance`` of that shrinkage is taken in the Randstad first. Then the fte per
  province are recorded for that 1 January.
* **Plans of >= 100 fte** (groei, krimp, nieuw, hervestiging) arrive as Poisson processes.
  Each becomes a case that walks the case lifecycle (:mod:`.lifecycle`): it waits an
  exponential time in each state and takes one of the state's possible transitions with the
  scenario's branch weights. A withdrawn plan does not happen; an out-of-scope plan goes ahead
  as planned; a decided plan lands where the principles point when they apply and are
  followed (no exemption; agreement with chance ``compliance``, the MR following the advice
  with chance ``mr_follows_advice``), otherwise where the ministry planned it.
* **Housing**: groei, nieuw and hervestiging need a project of the Rijksvastgoedbedrijf,
  a SimPy ``Resource`` with ``rvb.capacity`` concurrent projects; the fte move when the
  project completes, so a shortage of capacity shows as delay.

Randomness comes from four streams per replication, all derived from
``SeedSequence(seed, spawn_key=(replication,))``: yearly growth; the plans (drawn up front:
when each arrives, its size, the draws that pick its organisation and provinces, and how long
its housing project takes); the case walk; and the location decision. Scenarios that differ
only in their rules therefore see exactly the same plans and growth (common random numbers),
which sharpens their comparison, and no stream depends on which worker runs the replication.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import simpy

from spreiding.simulation.baseline import SECTORS, Baseline
from spreiding.simulation.lifecycle import (
    DECISION_ROUTES,
    EFFECTS,
    MAX_STEPS,
    OUTCOMES,
    Walk,
    WalkingCase,
)
from spreiding.statemachine.rules import CONSIDERATIONS, CURRENT_RULESET, RuleSet, in_scope

if TYPE_CHECKING:
    from collections.abc import Generator
DAYS_PER_YEAR = 365.25
KINDS = ("groei", "krimp", "nieuw", "hervestiging")
HOUSING = frozenset({"groei", "nieuw", "hervestiging"})
STATS = (
    "cases",
    "decided_agreement",
    "decided_mr",
    "withdrawn",
    "out_of_scope",
    "followed_principles",
    "exempted",
    "housing_started",
    "housing_done",
    "rvb_wait_years",
)
"""The counters every replication returns, in this order."""
_S = {name: i for i, name in enumerate(STATS)}


@dataclass(frozen=True, eq=False)
class ModelConfig:
    """Everything one replication needs, compiled once per batch (plain numpy and floats)."""

    years: int
    first_year: int
    fte: np.ndarray  # units x provinces
    unit_sector: np.ndarray  # sector index per unit
    growth: np.ndarray  # rate per sector
    growth_sd: float
    cut_rate: float
    cut_years: frozenset[int]  # calendar years with a taakstelling
    cut_units: np.ndarray  # bool per unit
    randstad: np.ndarray  # bool per province
    outside_cdf: np.ndarray  # where the principles send growth (cumulative, ends at 1)
    sector_cdf: np.ndarray  # sectors x provinces: today's pattern (cumulative)
    rates: tuple[tuple[str, float], ...]
    size_mu: float
    size_sigma: float
    walk: Walk
    applied: bool
    compliance: float
    mr_follows_advice: float
    exemptions: tuple[float, ...]
    rvb_capacity: int
    rvb_mean_years: float
    ruleset: RuleSet  # the scope rule: which plans BZK advises on (measures M1-M3)

    @property
    def threshold(self) -> float:
        """The smallest plan that is drawn: a plan of this size is in scope."""
        return float(self.ruleset.threshold_fte)

    @classmethod
    def build(
        cls,
        scenario: Mapping[str, Any],
        baseline: Baseline,
        walk: Walk,
        years: int,
        ruleset: RuleSet = CURRENT_RULESET,
    ) -> ModelConfig:
        """Compile a scenario's validated values on ``baseline`` for ``years`` years."""
        fte = np.array(baseline.fte, dtype=np.float64).reshape(len(baseline.units), -1)
        sectors = {s: i for i, s in enumerate(SECTORS)}
        unit_sector = np.array([sectors[s] for s in baseline.sectors], dtype=np.intp)
        randstad = np.array([p in baseline.randstad for p in baseline.provinces])
        first, last = scenario["taakstelling.first_year"], scenario["taakstelling.last_year"]
        return cls(
            years=years,
            first_year=baseline.peildatum.year,
            fte=fte,
            unit_sector=unit_sector,
            growth=np.array([scenario[f"growth.{s}"] for s in SECTORS]),
            growth_sd=scenario["growth.sd"],
            cut_rate=scenario["taakstelling.rate"],
            cut_years=frozenset(range(first, last + 1)),
            cut_units=np.isin(unit_sector, [sectors[s] for s in scenario["taakstelling.sectors"]]),
            randstad=randstad,
            outside_cdf=_outside_cdf(baseline, randstad),
            sector_cdf=_sector_cdf(fte, unit_sector, len(SECTORS)),
            rates=tuple((k, scenario[f"events.{k}"]) for k in KINDS),
            size_mu=math.log(scenario["events.size_median"]),
            size_sigma=scenario["events.size_sigma"],
            walk=walk,
            applied=scenario["principles.applied"],
            compliance=scenario["principles.compliance"],
            mr_follows_advice=scenario["principles.mr_follows_advice"],
            exemptions=tuple(scenario[f"exemptions.{k}"] for k in CONSIDERATIONS),
            rvb_capacity=scenario["rvb.capacity"],
            rvb_mean_years=scenario["rvb.realisation_days"] / DAYS_PER_YEAR,
            ruleset=ruleset,
        )


def _cdf(weights: np.ndarray) -> np.ndarray:
    total = weights.sum(axis=-1, keepdims=True)
    even = np.full_like(weights, 1.0 / weights.shape[-1])
    shares = np.divide(weights, total, out=even, where=total > 0)
    cdf = np.cumsum(shares, axis=-1)
    cdf[..., -1] = 1.0
    return cdf


def _outside_cdf(baseline: Baseline, randstad: np.ndarray) -> np.ndarray:
    given = baseline.opportunities
    weights = np.array(
        [
            0.0 if r else (given.get(p, 0.0) if given else 1.0)
            for p, r in zip(baseline.provinces, randstad, strict=True)
        ]
    )
    return _cdf(weights)


def _sector_cdf(fte: np.ndarray, unit_sector: np.ndarray, n_sectors: int) -> np.ndarray:
    per_sector = np.zeros((n_sectors, fte.shape[1]))
    np.add.at(per_sector, unit_sector, fte)
    return _cdf(per_sector)


Where = tuple[str, int, int]
"""How a decided plan lands: "plan" or "principles", source and target province (-1: none)."""


class Plan(NamedTuple):
    """A plan of >= 100 fte as it arrives, with the draws that belong to it."""

    kind: str
    at: float  # arrival time, years from the start
    size: float  # fte
    u_unit: float  # picks the organisation (weighted by its fte)
    u_target: float  # picks the province the ministry plans for
    u_source: float  # picks the province a hervestiging leaves
    build: float  # housing project time relative to its mean (gamma, shape 4, mean 1)


@dataclass(frozen=True, eq=False)
class ReplicationResult:
    """What one replication returns: fte per province on every 1 January, and counters."""

    provinces: np.ndarray  # (years + 1) x provinces
    housed: np.ndarray  # (years + 1): cumulative fte moved by completed housing projects
    stats: np.ndarray  # len(STATS)
    events: int  # SimPy events processed (for the benchmark)


def streams(
    seed: int, replication: int
) -> tuple[np.random.Generator, random.Random, random.Random, random.Random]:
    """The four random streams of one replication: growth, arrivals, walk, location."""
    root = np.random.SeedSequence(seed, spawn_key=(replication,))
    growth, arrivals, walk, place = root.spawn(4)
    return (
        np.random.Generator(np.random.PCG64(growth)),
        _python_random(arrivals),
        _python_random(walk),
        _python_random(place),
    )


def _python_random(sequence: np.random.SeedSequence) -> random.Random:
    # random.Random is much faster than numpy for single draws, and its sequence for an
    # integer seed is the same on every platform and Python version.
    words = sequence.generate_state(4, np.uint32)
    return random.Random(sum(int(w) << (32 * i) for i, w in enumerate(words)))


def run_replication(config: ModelConfig, seed: int, replication: int) -> ReplicationResult:
    """Simulate replication number ``replication`` of ``config`` with ``seed``."""
    return _Replication(config, *streams(seed, replication)).run()


class _Replication:
    """The state and the SimPy processes of one replication."""

    def __init__(
        self,
        config: ModelConfig,
        growth: np.random.Generator,
        arrivals: random.Random,
        walk: random.Random,
        place: random.Random,
    ) -> None:
        self.c = config
        self.choose = config.walk.chooser()
        self.growth_rng, self.arrivals, self.walk_rng, self.place = growth, arrivals, walk, place
        self.env = simpy.Environment()
        self.rvb = simpy.Resource(self.env, capacity=config.rvb_capacity)
        self.fte = config.fte.copy()
        self.snapshots = np.empty((config.years + 1, config.fte.shape[1]))
        self.snapshots[0] = self.fte.sum(axis=0)
        self.housed = np.zeros(config.years + 1)
        self.housed_now = 0.0
        self.stats = np.zeros(len(STATS))

    def run(self) -> ReplicationResult:
        years = self.env.process(self._years())
        for plan in self._draw_arrivals():
            self.env.process(self._case(plan))
        self.env.run(until=years)
        # Events scheduled so far: a private counter, read here only to report events/s.
        events = next(getattr(self.env, "_eid", iter((0,))))
        return ReplicationResult(self.snapshots, self.housed, self.stats, events)

    # -- yearly change ---------------------------------------------------------------------

    def _years(self) -> Generator[simpy.Event, None, None]:
        for k in range(1, self.c.years + 1):
            yield self.env.timeout(1.0)
            self._autonomous()
            if self.c.first_year + k - 1 in self.c.cut_years:
                self._taakstelling()
            self.snapshots[k] = self.fte.sum(axis=0)
            self.housed[k] = self.housed_now

    def _autonomous(self) -> None:
        c = self.c
        shock = self.growth_rng.standard_normal(len(c.growth)) * c.growth_sd
        factor = np.maximum(1.0 + c.growth + shock, 0.0)
        self.fte *= factor[c.unit_sector][:, None]

    def _taakstelling(self) -> None:
        c = self.c
        rows = self.fte[c.cut_units]
        amount = c.cut_rate * rows.sum(axis=1)
        first = amount * c.compliance if c.applied else np.zeros_like(amount)
        inside = rows[:, c.randstad].sum(axis=1)
        taken = np.minimum(first, inside)
        keep = np.divide(inside - taken, inside, out=np.ones_like(inside), where=inside > 0)
        rows[:, c.randstad] *= keep[:, None]
        left = rows.sum(axis=1)
        rest = np.divide(amount - taken, left, out=np.zeros_like(left), where=left > 0)
        rows *= np.clip(1.0 - rest, 0.0, 1.0)[:, None]
        self.fte[c.cut_units] = rows

    # -- plans that become cases -------------------------------------------------------------

    def _draw_arrivals(self) -> list[Plan]:
        """Every plan of the replication, drawn up front from the arrivals stream.

        Everything that belongs to the plan itself is drawn here (when, how big, the draws
        that pick its organisation and provinces, how long its housing project takes), so
        that scenarios differing only in rules see exactly the same plans.
        """
        c, r = self.c, self.arrivals
        threshold = c.threshold
        plans = []
        for kind, rate in c.rates:
            t = r.expovariate(rate) if rate > 0 else math.inf
            while t < c.years:
                size = max(threshold, r.lognormvariate(c.size_mu, c.size_sigma))
                draws = (r.random(), r.random(), r.random())
                plans.append(Plan(kind, t, size, *draws, r.gammavariate(4.0, 0.25)))
                t += r.expovariate(rate)
        return plans

    def _case(self, plan: Plan) -> Generator[simpy.Event, None, None]:
        yield self.env.timeout(plan.at)
        per_unit = self.fte.sum(axis=1)
        if per_unit.sum() <= 0:  # heavy krimp left nothing: a plan finds nobody to act on
            return
        unit = _pick(per_unit, plan.u_unit)
        own = self._own_plan(plan, unit)
        size = plan.size
        if plan.kind == "krimp":
            size = min(size, float(self.fte[unit].sum()))
        self.stats[_S["cases"]] += 1
        scoped = in_scope(plan.kind, size, self.c.ruleset)
        outcome = yield from self._walk(WalkingCase(in_scope=scoped))
        if outcome == "withdrawn":
            self.stats[_S["withdrawn"]] += 1
            return
        where = self._decide(own, outcome)
        if plan.kind in HOUSING:
            yield from self._housing(plan.build * self.c.rvb_mean_years)
        self._apply(plan.kind, unit, size, where)

    def _walk(self, case: WalkingCase) -> Generator[simpy.Event, None, str]:
        walk, r, env = self.c.walk, self.walk_rng, self.env
        state, route = walk.initial, ""
        for _ in range(MAX_STEPS):
            days = walk.mean_days[state]
            if days > 0:
                yield env.timeout(r.expovariate(1.0 / days) / DAYS_PER_YEAR)
            event, target = self.choose(state, case, r.random())
            effect = EFFECTS.get(event)
            if effect is not None:
                effect(case, state)
            route, state = event, target
            if state in walk.final:
                outcome = OUTCOMES[state]
                return DECISION_ROUTES[route] if outcome == "decided" else outcome
        raise RuntimeError(f"a simulated case did not close within {MAX_STEPS} transitions")

    def _decide(self, plan: tuple[int, int], outcome: str) -> Where:
        """Where the plan lands: ("plan" | "principles", source province, target province)."""
        stat = {"agreement": "decided_agreement", "mr": "decided_mr"}.get(outcome, outcome)
        self.stats[_S[stat]] += 1
        if not self.c.applied or outcome == "out_of_scope":
            return ("plan", *plan)
        r = self.place
        if any(r.random() < p for p in self.c.exemptions):
            self.stats[_S["exempted"]] += 1
            return ("plan", *plan)
        chance = self.c.compliance if outcome == "agreement" else self.c.mr_follows_advice
        if r.random() >= chance:
            return ("plan", *plan)
        self.stats[_S["followed_principles"]] += 1
        return ("principles", plan[0], _pick_cdf(self.c.outside_cdf, r.random()))

    def _own_plan(self, plan: Plan, unit: int) -> tuple[int, int]:
        """The ministry's own plan: (source province, destination province); -1 if none."""
        row = self.fte[unit]
        sector_cdf = self.c.sector_cdf[self.c.unit_sector[unit]]
        if plan.kind == "groei":
            return -1, _pick(row, plan.u_target, fallback=sector_cdf)
        if plan.kind == "nieuw":
            return -1, _pick_cdf(sector_cdf, plan.u_target)
        if plan.kind == "hervestiging":
            source = _pick(row, plan.u_source, fallback=sector_cdf)
            return source, _pick_cdf(sector_cdf, plan.u_target)
        return -1, -1  # krimp: spread like today

    def _housing(self, duration: float) -> Generator[simpy.Event, None, None]:
        """Wait for an RVB project slot, then ``duration`` years until the project completes."""
        env = self.env
        asked = env.now
        with self.rvb.request() as request:
            yield request
            self.stats[_S["housing_started"]] += 1
            self.stats[_S["rvb_wait_years"]] += env.now - asked
            if duration > 0:
                yield env.timeout(duration)
        self.stats[_S["housing_done"]] += 1

    def _apply(self, kind: str, unit: int, size: float, where: Where) -> None:
        how, source, target = where
        row = self.fte[unit]
        if kind == "krimp":
            _shrink(row, size, self.c.randstad if how == "principles" else None)
            return
        if kind == "hervestiging":
            size = min(size, float(row[source]))
            row[source] -= size
        row[target] += size
        self.housed_now += size


def _pick(weights: np.ndarray, u: float, fallback: np.ndarray | None = None) -> int:
    cumulative = np.cumsum(weights)
    if cumulative[-1] <= 0:
        if fallback is None:
            raise RuntimeError("cannot pick from weights that are all zero")
        return _pick_cdf(fallback, u)
    return min(int(np.searchsorted(cumulative, u * cumulative[-1], side="right")), len(weights) - 1)


def _pick_cdf(cdf: np.ndarray, u: float) -> int:
    return min(int(np.searchsorted(cdf, u, side="right")), len(cdf) - 1)


def _shrink(row: np.ndarray, size: float, randstad: np.ndarray | None) -> None:
    """Take ``size`` fte from ``row``: from the Randstad first when ``randstad`` is given."""
    if randstad is not None:
        inside = float(row[randstad].sum())
        taken = min(size, inside)
        if inside > 0:
            row[randstad] *= (inside - taken) / inside
        size -= taken
    total = float(row.sum())
    if total > 0 and size > 0:
        row *= max(total - size, 0.0) / total
