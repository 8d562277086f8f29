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
  which runs ``rvb.capacity`` projects at a time, first come first served; the fte move when
  the project completes, so a shortage of capacity shows as delay.

What contends is scheduled; what does not is drawn. A case's walk through the lifecycle
waits for nothing else, so every plan and the whole walk of its case are drawn up front, for
all plans at once (:func:`draw_plans`); SimPy schedules only the moments at which the state
changes or a shared capacity is asked for: the year ends, the close of a case (a krimp lands,
a housing project is requested from the RVB) and the completion of a project. A plan's
arrival changes nothing and reads the fte only to pick its organisation, so it is taken
between those events, in order, with the fte of its moment (:meth:`_Replication._arrivals`).

Randomness comes from two streams per replication, both derived from
``SeedSequence(seed, spawn_key=(replication,))``: yearly growth, and the plans. Plan ``i`` is
row ``i`` of the plans stream (:data:`ROW` uniform draws: its arrival, kind, size, the draws
that pick its organisation and provinces, its housing time, its case walk and its location
decision), so the plans of the first years do not depend on the horizon, and scenarios that
differ only in their rules see exactly the same plans and draws (common random numbers),
which sharpens their comparison. No stream depends on which worker runs the replication.
"""

from __future__ import annotations

import heapq
import math
import random
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from itertools import accumulate
from typing import Any, NamedTuple

import numpy as np
import simpy

from spreiding.simulation.baseline import SECTORS, Baseline
from spreiding.simulation.fitting import GrowthFit, fit_growth
from spreiding.simulation.lifecycle import (
    Walk,
    WalkTable,
)
from spreiding.simulation.pipeline import years_after
from spreiding.statemachine.rules import CONSIDERATIONS, CURRENT_RULESET, RuleSet, in_scope

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
    "known_cases",
    "known_landed_fte",
)
"""The counters every replication returns, in this order."""
_S = {name: i for i, name in enumerate(STATS)}
_HOUSING_STARTED, _HOUSING_DONE, _RVB_WAIT = (
    _S[k] for k in ("housing_started", "housing_done", "rvb_wait_years")
)
_STAT_OF_OUTCOME = {
    "agreement": "decided_agreement",
    "mr": "decided_mr",
    "withdrawn": "withdrawn",
    "out_of_scope": "out_of_scope",
}
PLAN_DRAWS = 11
"""Uniform draws per plan for the plan itself (see :func:`draw_plans`)."""
WALK_STEPS = 16
"""Transitions drawn per case (two uniforms each); a longer walk goes on with a stream seeded
from its own draws."""
PLACE_DRAWS = 5
"""Uniform draws per plan for its location: three exemptions, the chance, the province."""
ROW = PLAN_DRAWS + 2 * WALK_STEPS + PLACE_DRAWS
"""Uniform draws of the plans stream per plan."""


@dataclass(frozen=True, eq=False)
class ModelConfig:
    """Everything one replication needs, compiled once per batch (plain numpy and floats)."""

    years: int
    first_year: int
    fte: np.ndarray  # units x provinces
    unit_sector: np.ndarray  # sector index per unit
    growth: np.ndarray  # rate per sector
    growth_sd: float
    growth_offset: float  # added to every sector's rate (a reference's departure)
    common_sd: float  # spread of the yearly shock every sector shares
    rate_se: np.ndarray  # per sector, the standard error of its fitted rate (0: assumed)
    common_se: float  # the standard error of the common level of the fitted rates
    allocation_weight: float  # weight of the fitted allocation against today's pattern
    fit: GrowthFit | None  # the reference growth fitted on the history, which a draw of an
    # assumption cannot replace
    allocation: np.ndarray | None  # sectors x provinces: where net growth lands (fitted; a
    # sector whose row is all 0 has none and changes like today)
    sector_of: np.ndarray  # sectors x units: 1 where the unit belongs to the sector
    cut_rate: float
    cut_years: frozenset[int]  # calendar years with a taakstelling
    cut_units: np.ndarray  # bool per unit
    randstad: np.ndarray  # bool per province
    outside_cdf: list[float]  # where the principles send growth (cumulative, ends at 1)
    sector_cdf: list[list[float]]  # per sector: today's pattern over provinces (cumulative)
    rates: tuple[tuple[str, float], ...]
    size_mu: float
    size_sigma: float
    walk: Walk
    walk_table: WalkTable  # the walk compiled for fast walking, in years
    applied: bool
    principles_from: float  # years from the start at which the principles begin to act
    principles_year: int  # the first calendar year whose taakstelling they steer
    compliance: float
    mr_follows_advice: float
    exemptions: tuple[float, ...]
    rvb_capacity: int
    rvb_mean_years: float
    ruleset: RuleSet  # the scope rule: which plans BZK advises on (measures M1-M3)
    known: tuple[Known, ...] = ()  # the pipeline: cases of the store, from their state
    known_at: float = 0.0  # years from the start at which they enter (the day they were read)
    plan_fte: np.ndarray | None = None  # per sector (fitted ones): the drawn plans' expected
    # net fte a year, taken off the fitted growth (:meth:`plan_growth`)

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
        walk_table: WalkTable | None = None,
    ) -> ModelConfig:
        """Compile a scenario's validated values on ``baseline`` for ``years`` years."""
        fte = np.array(baseline.fte, dtype=np.float64).reshape(len(baseline.units), -1)
        sectors = {s: i for i, s in enumerate(SECTORS)}
        unit_sector = np.array([sectors[s] for s in baseline.sectors], dtype=np.intp)
        randstad = np.array([p in baseline.randstad for p in baseline.provinces])
        first, last = scenario["taakstelling.first_year"], scenario["taakstelling.last_year"]
        fit = reference_growth(scenario, baseline)
        allocation = None
        if fit is not None:
            allocation = np.zeros((len(SECTORS), fte.shape[1]))  # 0: no fitted allocation
            for i, s in enumerate(SECTORS):
                if s in fit.allocation:
                    allocation[i] = [fit.allocation[s][p] for p in baseline.provinces]
        return cls(  # the fitted rates less what the drawn plans bring
            years=years,
            first_year=baseline.peildatum.year,
            fte=fte,
            unit_sector=unit_sector,
            allocation=allocation,
            fit=fit,
            sector_of=(unit_sector[None, :] == np.arange(len(SECTORS))[:, None]).astype(float),
            cut_years=frozenset(range(first, last + 1)),
            cut_units=np.isin(unit_sector, [sectors[s] for s in scenario["taakstelling.sectors"]]),
            randstad=randstad,
            outside_cdf=_outside_cdf(baseline, randstad).tolist(),
            sector_cdf=_sector_cdf(fte, unit_sector, len(SECTORS)).tolist(),
            walk=walk,
            walk_table=walk_table or walk.table(DAYS_PER_YEAR),
            applied=scenario["principles.applied"],
            principles_from=(
                date.fromisoformat(scenario["principles.from"]) - baseline.peildatum
            ).days
            / DAYS_PER_YEAR,
            principles_year=date.fromisoformat(scenario["principles.from"]).year,
            ruleset=ruleset,
            known=_known(baseline, ruleset),
            known_at=(
                years_after(baseline.peildatum, baseline.known_on) if baseline.known_on else 0.0
            ),
            **_numbers(scenario, fit),
        )._autonomous_rates()

    def plan_growth(self) -> float:
        """The yearly net change in fte the drawn plans are expected to bring: (groei + nieuw
        - krimp) plans a year x their mean size x the chance they go ahead. A fitted rate
        holds the plans of the history too, so each year this is taken off it (as a share of
        that year's fte, in :meth:`_Replication._autonomous`)."""
        from statistics import NormalDist

        rates = dict(self.rates)
        net = rates["groei"] + rates["nieuw"] - rates["krimp"]
        if not net or self.fit is None:
            return 0.0
        floor, mu, sigma = self.threshold, self.size_mu, self.size_sigma
        if sigma > 0:
            z = (math.log(floor) - mu) / sigma
            normal = NormalDist()
            size = floor * normal.cdf(z) + math.exp(mu + sigma**2 / 2) * normal.cdf(sigma - z)
        else:
            size = max(floor, math.exp(mu))
        ahead = 1.0 - self.walk_table.outcome_chances(True).get("withdrawn", 0.0)
        return net * size * ahead

    def _autonomous_rates(self) -> ModelConfig:
        """The plans' expected part of the fitted rates (see :meth:`plan_growth`)."""
        if self.fit is None:
            return self
        fitted = np.array([s in self.fit.rates for s in SECTORS], dtype=float)
        return replace(self, plan_fte=fitted * self.plan_growth())

    def with_values(self, scenario: Mapping[str, Any], walk: Walk | None = None) -> ModelConfig:
        """The same model with the plain numbers of ``scenario`` (its drawn assumptions).

        Only the scalar parameters change (:func:`_numbers`), and the case walk when ``walk``
        is given (its drawn weights and days): the start, the fitted growth and the patterns
        stay, so a replication's own values cost little.
        """
        numbers = _numbers(scenario, self.fit)
        if walk is not None:
            numbers.update(walk=walk, walk_table=walk.table(DAYS_PER_YEAR))
        return replace(self, **numbers)._autonomous_rates()


def _numbers(scenario: Mapping[str, Any], fit: GrowthFit | None) -> dict[str, Any]:
    """The scalar parameters of a model, each read from its scenario key in one place.

    A sector's rate is the fitted one where the history gave one, else the scenario's
    (an assumption, which may be drawn per replication); so are the spreads. A fitted rate
    is an estimate: its standard error (the spread over the square root of the yearly rates
    behind it) lets each replication draw the true rate around it.
    """
    rates = fit.rates if fit is not None else {}
    sd = fit.sd if fit is not None and fit.sd is not None else scenario["growth.sd"]
    common = (
        fit.common_sd
        if fit is not None and fit.common_sd is not None
        else scenario["growth.common_sd"]
    )
    counts = fit.counts if fit is not None else {}
    return {
        "growth": np.array([rates.get(s, scenario[f"growth.{s}"]) for s in SECTORS]),
        "growth_sd": sd,
        "growth_offset": scenario["growth.offset"],
        "common_sd": common,
        "rate_se": np.array([sd / math.sqrt(counts[s]) if counts.get(s) else 0.0 for s in SECTORS]),
        "common_se": (
            common / math.sqrt(fit.years_of_growth) if fit and fit.years_of_growth else 0.0
        ),
        "allocation_weight": scenario["growth.allocation"],
        "cut_rate": scenario["taakstelling.rate"],
        "rates": tuple((k, scenario[f"events.{k}"]) for k in KINDS),
        "size_mu": math.log(scenario["events.size_median"]),
        "size_sigma": scenario["events.size_sigma"],
        "compliance": scenario["principles.compliance"],
        "mr_follows_advice": scenario["principles.mr_follows_advice"],
        "exemptions": tuple(scenario[f"exemptions.{k}"] for k in CONSIDERATIONS),
        "rvb_capacity": scenario["rvb.capacity"],
        "rvb_mean_years": scenario["rvb.realisation_days"] / DAYS_PER_YEAR,
    }


class Known(NamedTuple):
    """A known plan compiled on the baseline: indexes instead of codes (-1: none)."""

    kind: str
    size: float
    unit: int
    state: str
    in_scope: bool
    suspended_from: str | None
    location: int
    target: int
    advice: int
    decided: int
    route: str | None
    follows_advice: bool


def _known(baseline: Baseline, ruleset: RuleSet) -> tuple[Known, ...]:
    """The pipeline of ``baseline`` on its units and provinces; plans of unknown units or
    provinces are left out (an organisation without fte in the start counts)."""
    units = {u: i for i, u in enumerate(baseline.units)}
    provinces = {p: j for j, p in enumerate(baseline.provinces)}
    compiled = []
    for plan in baseline.pipeline:
        if plan.unit not in units or plan.location not in provinces:
            continue
        scoped = plan.in_scope
        if scoped is None:
            scoped = in_scope(plan.kind, plan.fte, ruleset)
        compiled.append(
            Known(
                plan.kind,
                float(plan.fte),
                units[plan.unit],
                plan.state,
                bool(scoped),
                plan.suspended_from,
                provinces[plan.location],
                provinces.get(plan.target or "", -1),
                provinces.get(plan.advice or "", -1),
                provinces.get(plan.decided or "", -1),
                plan.route,
                bool(plan.follows_advice),
            )
        )
    return tuple(compiled)


def reference_growth(scenario: Mapping[str, Any], baseline: Baseline) -> GrowthFit | None:
    """The fitted reference growth when the scenario asks for it and the history allows."""
    if scenario["growth.source"] != "data":
        return None
    return fit_growth(baseline.past, SECTORS, baseline.provinces)


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


@dataclass(frozen=True, eq=False)
class Plans:
    """Every plan of one replication (>= 100 fte), drawn up front, one entry per plan.

    What a plan is and what its case will do are drawn before the replication runs, in
    arrays (numpy on hundreds of plans at once is cheap; per plan it is not): when it
    arrives, its kind and size, the draws that pick its organisation and provinces, how long
    its housing project takes, and, for a case in scope and for one out of scope, how its
    walk through the lifecycle ends, how long it takes and whether the principles decide its
    location. Only the organisation (and with it the size of a krimp, hence whether it is in
    scope) depends on the fte of the moment it arrives.
    """

    kind: list[str]
    at: list[float]
    size: list[float]
    u_unit: list[float]
    u_target: list[float]
    u_source: list[float]
    build: list[float]  # housing project time relative to its mean (gamma, shape 4, mean 1)
    in_scope: list[Case]  # what the case does when it is in scope (nearly every plan)
    principle_target: list[int]  # the province outside the Randstad it then goes to
    steps: np.ndarray  # per plan, the draws of its walk (two per transition)
    place: np.ndarray  # per plan, the draws of its location decision

    def __len__(self) -> int:
        return len(self.at)

    def case(self, config: ModelConfig, i: int, scoped: bool) -> Case:
        """What the case of plan ``i`` does, in scope or (a krimp of a small unit) not."""
        if scoped:
            return self.in_scope[i]
        return _cases(config, np.array([False]), self.steps[i : i + 1], self.place[i : i + 1])[0]


class Case(NamedTuple):
    """How the case of a plan ends, how long it takes and where the decision sends it."""

    outcome: str  # agreement, mr, withdrawn or out_of_scope
    duration: float  # years from arrival to the closed case
    exempted: bool  # an exemption holds
    principles: bool  # it lands where the principles point


def draw_plans(c: ModelConfig, rng: np.random.Generator) -> Plans:
    """Draw every plan of a replication and what its case will do (see :class:`Plans`).

    The four kinds arrive together as one Poisson process of their summed rate, each
    arrival of a kind chosen by its share of the rate. Plan ``i`` is row ``i`` of blocks of
    :data:`ROW` uniform draws of the plans stream, drawn in order: the gap since the previous
    plan (exponential), its kind, its size (log-normal, by Box-Muller), the draws that pick
    its organisation and provinces, its housing time (gamma of shape 4 as a sum of four
    exponentials), two per transition of its case (:data:`WALK_STEPS`) and
    :data:`PLACE_DRAWS` for its location. So a plan's draws do not depend on how many plans
    come after it: the first years are the same whatever the horizon, and scenarios that
    differ only in rules see the same plans and the same draws for their cases.
    """
    kinds = [k for k, rate in c.rates if rate > 0]
    if not kinds:
        return _no_plans()
    cumulative = np.cumsum([rate for _k, rate in c.rates if rate > 0])
    total = float(cumulative[-1])
    expected = total * c.years
    block = int(expected + 4.0 * math.sqrt(expected)) + 8
    blocks, at = [], np.empty(0)
    while not len(at) or at[-1] < c.years:
        more = rng.random((block, ROW))
        start = at[-1] if len(at) else 0.0
        at = np.concatenate([at, start - np.cumsum(np.log1p(-more[:, 0])) / total])
        blocks.append(more)
    n = int(np.searchsorted(at, c.years, side="left"))
    d = np.concatenate(blocks)[:n] if len(blocks) > 1 else blocks[0][:n]
    at = at[:n]
    kind = np.searchsorted(cumulative, d[:, 1] * total, side="right")
    kind = np.minimum(kind, len(kinds) - 1)
    normal = np.sqrt(-2.0 * np.log1p(-d[:, 2])) * np.cos(2.0 * math.pi * d[:, 3])
    size = np.maximum(c.threshold, np.exp(c.size_mu + c.size_sigma * normal))
    build = -0.25 * np.log(np.prod(1.0 - d[:, 7:11], axis=1))
    steps = d[:, PLAN_DRAWS : PLAN_DRAWS + 2 * WALK_STEPS]
    u = d[:, PLAN_DRAWS + 2 * WALK_STEPS :]
    target = np.searchsorted(c.outside_cdf, u[:, 4], side="right")
    target = np.minimum(target, len(c.outside_cdf) - 1)
    return Plans(
        kind=[kinds[k] for k in kind.tolist()],
        at=at.tolist(),
        size=size.tolist(),
        u_unit=d[:, 4].tolist(),
        u_target=d[:, 5].tolist(),
        u_source=d[:, 6].tolist(),
        build=build.tolist(),
        # every case walked as in scope: only a krimp of a unit smaller than the threshold
        # is not, and that one is walked again (Plans.case) with the same draws
        in_scope=_cases(c, np.ones(n, dtype=bool), steps, u),
        principle_target=target.tolist(),
        steps=steps,
        place=u,
    )


def _cases(c: ModelConfig, scoped: np.ndarray, steps: np.ndarray, u: np.ndarray) -> list[Case]:
    codes, took = walk_cases(c.walk_table, scoped, steps)
    names = c.walk_table.outcomes
    exempted, follows = _decisions(c, names, codes, u)
    outcome = [names[k] for k in codes.tolist()]
    return list(map(Case, outcome, took.tolist(), exempted.tolist(), follows.tolist()))


def _no_plans() -> Plans:
    nothing = np.empty((0, 0))
    return Plans([], [], [], [], [], [], [], [], [], nothing, nothing)


def walk_cases(
    table: WalkTable, scoped: np.ndarray, steps: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Walk one case per row of ``steps`` (two uniforms per transition): outcomes and times.

    The outcomes are numbers: indexes into ``table.outcomes``.

    ``scoped`` says per case whether it is in scope. All cases step together, a closed case
    staying where it is: per transition an exponential wait (the mean time of the state)
    and a choice among the state's transitions by their cumulative weights. A case that
    needs more transitions than its row holds goes on, alone, with a stream seeded from its
    row.
    """
    mean, cumulative, total, leads, closed = table.arrays
    situation = np.where(scoped, table.starts[True], table.starts[False])
    waits = -np.log1p(-steps[:, 0::2])
    picks = steps[:, 1::2]
    elapsed = np.zeros(len(steps))
    for k in range(picks.shape[1]):
        elapsed += waits[:, k] * mean[situation]
        below = cumulative[situation] <= (picks[:, k] * total[situation])[:, None]
        situation = leads[situation, below.sum(axis=1)]
        if k % 4 == 3 and (situation >= closed).all():
            break
    codes = situation - closed
    took = elapsed
    for i in np.flatnonzero(codes < 0).tolist():  # long walks, if any
        rng = random.Random(steps[i].tobytes())
        outcome, extra = table.walk_from(int(situation[i]), rng.random)
        codes[i] = table.outcomes.index(outcome)
        took[i] += extra
    return codes, took


def _decisions(
    c: ModelConfig, names: tuple[str, ...], codes: np.ndarray, u: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per closed case: whether an exemption holds, and whether the principles decide."""
    if not c.applied:
        none = np.zeros(len(codes), dtype=bool)
        return none, none
    agreement = codes == (names.index("agreement") if "agreement" in names else -1)
    mr = codes == (names.index("mr") if "mr" in names else -1)
    decided = agreement | mr
    exempted = decided & (u[:, :3] < np.array(c.exemptions)).any(axis=1)
    chance = np.where(agreement, c.compliance, c.mr_follows_advice)
    follows = decided & ~exempted & (u[:, 3] < chance)
    return exempted, follows


def streams(seed: int, replication: int) -> tuple[np.random.Generator, np.random.Generator]:
    """The two random streams of one replication: yearly growth, and the plans."""
    root = np.random.SeedSequence(seed, spawn_key=(replication,))
    growth, plans = (np.random.Generator(np.random.PCG64(s)) for s in root.spawn(2))
    return growth, plans


def common_stream(seed: int, replication: int) -> np.random.Generator:
    """The fifth stream of a replication: the true level of the fitted rates (one normal per
    sector and one common), then the common shock of every year.

    ``SeedSequence(seed, spawn_key=(i, 4))``: the growth and plans streams (0 and 1), the
    assumptions (2) and the pipeline (3) keep their numbers.
    """
    sequence = np.random.SeedSequence(seed, spawn_key=(replication, 4))
    return np.random.Generator(np.random.PCG64(sequence))


@dataclass(frozen=True, eq=False)
class ReplicationResult:
    """What one replication returns: fte per province on every 1 January, and counters."""

    provinces: np.ndarray  # (years + 1) x provinces
    housed: np.ndarray  # (years + 1): cumulative fte moved by completed housing projects
    stats: np.ndarray  # len(STATS)
    events: int  # SimPy events processed (for the benchmark)


def run_replication(config: ModelConfig, seed: int, replication: int) -> ReplicationResult:
    """Simulate replication number ``replication`` of ``config`` with ``seed``."""
    growth, plans = streams(seed, replication)
    known = None
    if config.known and config.known_at < config.years:
        # the fourth child of the replication's sequence (the third draws its assumptions)
        sequence = np.random.SeedSequence(seed, spawn_key=(replication, 3))
        known = np.random.Generator(np.random.PCG64(sequence)).random((len(config.known), ROW))
    common = common_stream(seed, replication).standard_normal(len(SECTORS) + 1 + config.years)
    return _Replication(config, growth, draw_plans(config, plans), known, common).run()


Where = tuple[bool, int, int]
"""How a plan lands: by the principles or not, source and target province (-1: none)."""


class _Replication:
    """The state of one replication and the events it schedules.

    Only what happens at a moment that matters to something else is an event in SimPy's
    scheduler: a year's change (t = 1, 2, ...), a plan's arrival (it picks its organisation
    from the fte of that moment), the moment its case is closed (a krimp lands, or a housing
    project is asked for) and the moment the housing project completes (the fte move). The
    walk of a case through the lifecycle states contends with nothing, so it is drawn up
    front (:func:`draw_plans`) and only its end is scheduled. The Rijksvastgoedbedrijf is the
    one shared capacity: ``rvb.capacity`` projects at a time, first come first served; a
    request takes the slot that frees first, so its start is known when it is made.

    The fte matrix is a numpy array for the yearly change of every cell; the per-plan work is
    plain Python (the organisation totals are kept in a list beside the matrix), because
    numpy on rows of 12 or 33 numbers costs more than it saves.
    """

    def __init__(
        self,
        config: ModelConfig,
        growth: np.random.Generator,
        plans: Plans,
        known: np.ndarray | None = None,
        common: np.ndarray | None = None,
    ) -> None:
        self.c = config
        self.known_draws = known
        n = len(config.growth)
        draws = common if common is not None else np.zeros(n + 1 + config.years)
        # the true rates of this replication around the estimates, and its common shocks
        self.rates = (
            config.growth
            + config.growth_offset
            + config.rate_se * draws[:n]
            + config.common_se * draws[n]
        )
        self.common_shocks = (draws[n + 1 :] * config.common_sd).tolist()
        self.growth_rng = growth
        self.plans = plans
        self.env = simpy.Environment()
        self.fte = config.fte.copy()
        self.unit_totals: list[float] = self.fte.sum(axis=1).tolist()
        self.cumulative: list[float] | None = None  # of unit_totals, until they change
        self.rvb_free = [0.0] * config.rvb_capacity  # when each project slot frees (a heap)
        self.snapshots = np.empty((config.years + 1, config.fte.shape[1]))
        self.snapshots[0] = self.fte.sum(axis=0)
        self.housed = np.zeros(config.years + 1)
        self.housed_now = 0.0
        self.year = 0
        self.next_plan = 0  # the next plan to arrive
        self.scoped: list[int] = [-1] * len(plans)  # per plan: -1 nobody to act on, 0 or 1
        self.stats = [0.0] * len(STATS)

    def run(self) -> ReplicationResult:
        env = self.env
        ends = [env.timeout(float(k)) for k in range(1, self.c.years + 1)]
        for end in ends:
            end.callbacks.append(self._year_end)
        if self.known_draws is not None:  # the pipeline enters on the day it was read
            env.timeout(max(self.c.known_at, 0.0)).callbacks.append(self._pipeline)
        self._arrivals()
        env.run(until=ends[-1])
        # Events scheduled so far: a private counter, read here only to report events/s.
        events = next(getattr(env, "_eid", iter((0,))))
        return ReplicationResult(self.snapshots, self.housed, self._stats(), events)

    def _stats(self) -> np.ndarray:
        stats, plans = self.stats, self.plans
        for i, scoped in enumerate(self.scoped):
            if scoped < 0:
                continue
            case = plans.case(self.c, i, bool(scoped))
            stats[_S["cases"]] += 1
            stats[_S[_STAT_OF_OUTCOME[case.outcome]]] += 1
            if plans.at[i] + case.duration >= self.c.principles_from:  # the principles act
                stats[_S["exempted"]] += case.exempted
                stats[_S["followed_principles"]] += case.principles
        return np.array(stats)

    # -- yearly change ---------------------------------------------------------------------

    def _year_end(self, _event: simpy.Event) -> None:
        self.year += 1
        self._autonomous()
        calendar = self.c.first_year + self.year - 1
        if calendar in self.c.cut_years:
            self._taakstelling(calendar >= self.c.principles_year)
        self.unit_totals = self.fte.sum(axis=1).tolist()
        self.cumulative = None
        self.snapshots[self.year] = self.fte.sum(axis=0)
        self.housed[self.year] = self.housed_now
        self._arrivals()

    def _autonomous(self) -> None:
        """Each sector changes by its rate and a shock; fitted growth lands where it did."""
        c = self.c
        shock = self.growth_rng.standard_normal(len(c.growth)) * c.growth_sd
        rate = self.rates + shock + self.common_shocks[self.year - 1]
        if c.plan_fte is not None:  # what the drawn plans bring is not autonomous change
            rate = rate - c.plan_fte / float(self.fte.sum())
        factor = np.maximum(1.0 + rate, 0.0)
        if c.allocation is None:  # spread like today
            self.fte *= factor[c.unit_sector][:, None]
            return
        # net growth of a sector with a fitted allocation goes to the provinces where its
        # growth landed (to each organisation there by its share); a shrinking sector, and
        # one without an allocation, changes like today
        stock = c.sector_of @ self.fte  # sectors x provinces
        present = c.allocation * (stock > 0)
        weight = present.sum(axis=1)
        grows = (rate > 0) & (weight > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(grows, rate * stock.sum(axis=1) / weight, 0.0)
            added = np.where(stock > 0, scale[:, None] * present / stock, 0.0)
        # weighted against today's pattern (a short history says little about the next years)
        w = c.allocation_weight
        multiplier = np.where(
            grows[:, None], 1.0 + w * added + (1.0 - w) * rate[:, None], factor[:, None]
        )
        self.fte *= multiplier[c.unit_sector]

    def _taakstelling(self, principles: bool) -> None:
        c = self.c
        rows = self.fte[c.cut_units]
        amount = c.cut_rate * rows.sum(axis=1)
        first = amount * c.compliance if c.applied and principles else np.zeros_like(amount)
        inside = rows[:, c.randstad].sum(axis=1)
        taken = np.minimum(first, inside)
        keep = np.divide(inside - taken, inside, out=np.ones_like(inside), where=inside > 0)
        rows[:, c.randstad] *= keep[:, None]
        left = rows.sum(axis=1)
        rest = np.divide(amount - taken, left, out=np.zeros_like(left), where=left > 0)
        rows *= np.clip(1.0 - rest, 0.0, 1.0)[:, None]
        self.fte[c.cut_units] = rows

    # -- the known pipeline ------------------------------------------------------------------

    def _pipeline(self, _event: simpy.Event) -> None:
        """Every known case enters from its current state (see :mod:`.pipeline`)."""
        c, draws = self.c, self.known_draws
        assert draws is not None
        for k, plan in enumerate(c.known):
            row = draws[k]
            if plan.state in c.walk.final:
                if plan.state != "decided" or plan.decided < 0:
                    continue  # withdrawn or out of scope: settled, nothing the model adds
                self.stats[_S["known_cases"]] += 1
                self._known_lands(plan, plan.decided, by_principles=plan.follows_advice)
                continue
            situation = c.walk_table.situations.get(
                (plan.state, plan.in_scope, plan.suspended_from)
            )
            if situation is None:
                continue  # a state the chart cannot walk on from
            self.stats[_S["known_cases"]] += 1
            rng = random.Random(row.tobytes())
            outcome, took = c.walk_table.walk_from(situation, rng.random)
            if outcome == "withdrawn":
                continue
            closed = self.env.now + took
            u = row[PLAN_DRAWS + 2 * WALK_STEPS :]
            follows = False
            if c.applied and outcome in ("agreement", "mr") and closed >= c.principles_from:
                exempted = any(u[j] < e for j, e in enumerate(c.exemptions))
                chance = c.compliance if outcome == "agreement" else c.mr_follows_advice
                follows = not exempted and u[3] < chance
            if follows and plan.advice >= 0:  # where BZK advised
                target = plan.advice
            elif follows:  # krimp: the Randstad first (-1); else by the regional opportunities
                target = -1 if plan.kind == "krimp" else _pick_cdf(c.outside_cdf, u[4])
            else:
                target = plan.target if plan.kind == "hervestiging" else plan.location
            build = -0.25 * math.log(float(np.prod(1.0 - row[7:11])))
            self.env.timeout(took).callbacks.append(
                partial(self._known_closed, plan, target, follows, build)
            )
        self._arrivals()

    def _known_closed(
        self, plan: Known, target: int, follows: bool, build: float, _event: simpy.Event
    ) -> None:
        self._known_lands(plan, target, by_principles=follows, build=build)
        self._arrivals()

    def _known_lands(
        self, plan: Known, target: int, *, by_principles: bool, build: float = 1.0
    ) -> None:
        """A known case is settled: a krimp goes now, the others ask the RVB for housing."""
        if plan.kind == "krimp":
            row = self.fte[plan.unit]
            if target < 0:  # by the principles, without a known advice: the Randstad first
                _shrink(row, plan.size, self.c.randstad)
            else:
                taken = min(plan.size, float(row[target]))
                row[target] -= taken
            self.unit_totals[plan.unit] = float(row.sum())
            self.cumulative = None
            self.stats[_S["known_landed_fte"]] += plan.size
            return
        source = plan.location if plan.kind == "hervestiging" else -1
        where = (by_principles, source, target)
        now = self.env.now
        start = max(now, self.rvb_free[0])
        done = start + build * self.c.rvb_mean_years
        heapq.heapreplace(self.rvb_free, done)
        self.stats[_S["known_landed_fte"]] += plan.size
        self.env.timeout(done - now).callbacks.append(
            partial(self._housed, plan.unit, plan.size, where)
        )

    # -- plans that become cases -------------------------------------------------------------

    def _arrivals(self) -> None:
        """Let every plan arrive that comes before the next scheduled event.

        An arrival changes no fte: it only reads them (to pick its organisation) and
        schedules the end of its case. Until the next event nothing changes the fte either,
        so the plans arriving before it see the fte of their own moment when they are taken
        here, after each event, in the order they arrive; they need no event of their own.
        """
        at, i, peek = self.plans.at, self.next_plan, self.env.peek
        while i < len(at) and at[i] < peek():
            self._arrive(i)
            i += 1
        self.next_plan = i

    def _arrive(self, i: int) -> None:
        """Plan ``i`` arrives: its organisation, and when and where it will land."""
        p, totals, cumulative = self.plans, self.unit_totals, self.cumulative
        if cumulative is None:  # plans arriving between two events share the running sums
            cumulative = self.cumulative = list(accumulate(totals))
        if not cumulative[-1] > 0:  # heavy krimp left nothing: a plan finds nobody to act on
            return
        unit = min(bisect_right(cumulative, p.u_unit[i] * cumulative[-1]), len(totals) - 1)
        kind, size = p.kind[i], p.size[i]
        if kind == "krimp":
            size = min(size, totals[unit])
        scoped = in_scope(kind, size, self.c.ruleset)
        self.scoped[i] = int(scoped)
        case = p.in_scope[i] if scoped else p.case(self.c, i, scoped)
        if case.outcome == "withdrawn":
            return
        closed = p.at[i] + case.duration
        where = self._where(i, kind, unit, case.principles and closed >= self.c.principles_from)
        then = self._ask_housing if kind in HOUSING else self._land
        self.env.timeout(closed - self.env.now).callbacks.append(
            partial(then, i, unit, size, where)
        )

    def _where(self, i: int, kind: str, unit: int, by_principles: bool) -> Where:
        """(by the principles, source province, target province) of plan ``i``; -1: none.

        The ministry's own plan follows today's pattern: groei where the organisation is,
        nieuw and hervestiging to the sector's pattern, krimp pro rata; the principles send
        groei, nieuw and hervestiging outside the Randstad and take krimp there first.
        """
        if kind == "krimp":
            return by_principles, -1, -1
        p, c = self.plans, self.c
        sector_cdf = c.sector_cdf[c.unit_sector[unit]]
        source = -1
        if kind == "hervestiging":
            source = _pick_or(self.fte[unit].tolist(), p.u_source[i], sector_cdf)
        if by_principles:
            return True, source, p.principle_target[i]
        if kind == "groei":
            return False, -1, _pick_or(self.fte[unit].tolist(), p.u_target[i], sector_cdf)
        return False, source, _pick_cdf(sector_cdf, p.u_target[i])

    def _ask_housing(
        self, i: int, unit: int, size: float, where: Where, _event: simpy.Event
    ) -> None:
        """The case is closed: ask the RVB for a project; the fte move when it completes."""
        now = self.env.now
        start = max(now, self.rvb_free[0])  # the slot that frees first: first come, first served
        done = start + self.plans.build[i] * self.c.rvb_mean_years
        heapq.heapreplace(self.rvb_free, done)
        if start < self.c.years:
            self.stats[_HOUSING_STARTED] += 1
            self.stats[_RVB_WAIT] += start - now
        self.env.timeout(done - now).callbacks.append(partial(self._housed, unit, size, where))
        self._arrivals()

    def _housed(self, unit: int, size: float, where: Where, _event: simpy.Event) -> None:
        """A housing project completes: the fte of a groei, nieuw or hervestiging move."""
        self.stats[_HOUSING_DONE] += 1
        _by_principles, source, target = where
        row = self.fte[unit]
        if source >= 0:  # hervestiging: what leaves the source arrives at the target
            size = min(size, float(row[source]))
            row[source] -= size
        else:
            self.unit_totals[unit] += size
            self.cumulative = None
        row[target] += size
        self.housed_now += size
        self._arrivals()

    def _land(self, _i: int, unit: int, size: float, where: Where, _event: simpy.Event) -> None:
        """A krimp case is closed: the fte go, from the Randstad first by the principles."""
        row = self.fte[unit]
        _shrink(row, size, self.c.randstad if where[0] else None)
        self.unit_totals[unit] = float(row.sum())
        self.cumulative = None
        self._arrivals()


def _pick(weights: list[float], u: float) -> int:
    """Index picked by ``u`` in [0, 1) with chance proportional to ``weights``; -1 if all 0."""
    cumulative = list(accumulate(weights))
    if not cumulative[-1] > 0:
        return -1
    return min(bisect_right(cumulative, u * cumulative[-1]), len(weights) - 1)


def _pick_or(weights: list[float], u: float, fallback: list[float]) -> int:
    """:func:`_pick`, or from the cumulative ``fallback`` when every weight is 0."""
    index = _pick(weights, u)
    return index if index >= 0 else _pick_cdf(fallback, u)


def _pick_cdf(cdf: list[float], u: float) -> int:
    return min(bisect_right(cdf, u), len(cdf) - 1)


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
