"""The case walk of the simulation, compiled from the case lifecycle StateChart at run start.

The simulation does not keep its own copy of the procedure. :func:`compile_walk` reads the
states and transitions of :class:`~spreiding.statemachine.chart.CaseLifecycle` (through
:func:`~spreiding.statemachine.chart.transitions`) once per run and turns them into one plain
dict, state id -> outgoing ``(event id, target id, guards, weight)``, that worker processes
can receive by pickling. A scenario weighs each branch by *event id* and gives a mean
duration per *state id*; :func:`lifecycle_keys` derives those scenario keys from the chart,
so a scenario that names an event or state the chart does not have is refused on load.

What the chart does not say, the simulation must know, and says here in one place:

* how to evaluate each guard for a simulated case (:data:`GUARDS`);
* what an event does to the case besides moving it (:data:`EFFECTS`, e.g. ``suspend``
  remembers the state to resume to);
* what each final state, and each way into ``decided``, means for the location of the plan
  (:data:`OUTCOMES`, :data:`DECISION_ROUTES`).

When the chart gains a guard, an event, a final state or a route into a final state that
these tables do not know, :func:`compile_walk` raises :class:`ChartMismatch` naming it:
the simulation stops instead of drifting from the procedure.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from typing import Any

from statemachine import StateChart

from spreiding.core.errors import SpreidingError
from spreiding.core.settings import ServiceNorms
from spreiding.statemachine.chart import CaseLifecycle, transitions


class ChartMismatch(SpreidingError):
    """The case lifecycle chart has something the simulation does not know how to walk."""


# -- what the simulation knows about the chart -------------------------------------------------

DEFAULT_BRANCH_WEIGHTS: dict[str, float] = {
    "start_screening": 1.0,
    "declare_out_of_scope": 1.0,
    "open_consultation": 1.0,
    "issue_advice": 1.0,
    "reconsider": 0.05,
    "submit_plan": 1.0,
    "accept_advice": 0.55,
    "propose_alternative": 0.15,
    "consent": 0.60,
    "escalate_to_mr": 0.20,
    "decide": 1.0,
    "record_mr_decision": 1.0,
    "withdraw": 0.03,
    "suspend": 0.02,
    "resume": 0.90,
}
"""Relative weight of each event where it is possible; a scenario overrides any of them."""

CALENDAR_DAYS_PER_WORKING_DAY = 7 / 5
"""A norm in working days lasts this many calendar days (five working days a week)."""

SUSPENDED_DAYS = 90.0
"""Mean calendar days a case stays suspended: the clock stops there, so it has no norm."""

DEFAULT_STATE_DAYS: dict[str, float] = {
    # The service norms in working days as the settings define them (ServiceNorms'
    # defaults, not an installation's override: a shipped scenario's hash must not depend on
    # the environment), in calendar days, rounded.
    **{
        state: float(round(norm * CALENDAR_DAYS_PER_WORKING_DAY))
        for state, norm in ServiceNorms().model_dump().items()
    },
    "suspended": SUSPENDED_DAYS,
}
"""Mean calendar days a case stays in each non-final state; a scenario overrides any of them."""


@dataclass(slots=True)
class WalkingCase:
    """The fields of a simulated case that guards read and effects write."""

    in_scope: bool
    suspended_from: str | None = None


Guard = Callable[[WalkingCase, str], bool]

GUARDS: dict[str, Guard] = {
    "is_in_scope": lambda case, _target: case.in_scope,
    "is_below_threshold": lambda case, _target: not case.in_scope,
    "returns_to_target": lambda case, target: case.suspended_from == target,
}
"""How each guard of the chart is evaluated for a simulated case (``!name`` negates)."""


def _remember_source(case: WalkingCase, source: str) -> None:
    case.suspended_from = source


def _forget_source(case: WalkingCase, _source: str) -> None:
    case.suspended_from = None


EFFECTS: dict[str, Callable[[WalkingCase, str], None]] = {
    "suspend": _remember_source,
    "resume": _forget_source,
    "withdraw": _forget_source,
}
"""The chart's actions (``on_suspend`` etc.) as they matter to the walk."""

OUTCOMES: dict[str, str] = {
    "decided": "decided",
    "withdrawn": "withdrawn",
    "out_of_scope": "out_of_scope",
}
"""Final state -> what happens to the plan: decided (goes ahead where decided), withdrawn
(does not happen), out_of_scope (goes ahead as the ministry planned, without BZK advice)."""

DECISION_ROUTES: dict[str, str] = {
    "decide": "agreement",
    "record_mr_decision": "mr",
}
"""Event into ``decided`` -> how it was settled: in agreement with BZK, or by the MR."""

MAX_STEPS = 200
"""A case that has not reached a final state after this many transitions is an error."""


# -- the compiled walk ---------------------------------------------------------------------------

Edge = tuple[str, str, tuple[str, ...], float]
"""(event id, target id, guard names, weight) of one outgoing transition."""


@dataclass(frozen=True)
class Walk:
    """The lifecycle graph as the simulation walks it: plain data, picklable."""

    initial: str
    final: frozenset[str]
    edges: Mapping[str, tuple[Edge, ...]]
    mean_days: Mapping[str, float]

    def reweighted(self, weights: Mapping[str, float], mean_days: Mapping[str, float]) -> Walk:
        """The same graph with other branch weights (by event) and mean days (by state).

        Every weight of an edge must stay above 0 (the scenario loader refuses a drawn
        branch weight that could reach 0), so the edges themselves do not change.
        """
        return Walk(
            initial=self.initial,
            final=self.final,
            edges={
                state: tuple(
                    (event, target, guards, float(weights.get(event, weight)))
                    for event, target, guards, weight in out
                )
                for state, out in self.edges.items()
            },
            mean_days={s: float(mean_days.get(s, d)) for s, d in self.mean_days.items()},
        )

    def enabled(self, state: str, case: WalkingCase) -> tuple[Edge, ...]:
        """The outgoing transitions of ``state`` whose guards hold for ``case``."""
        return tuple(e for e in self.edges[state] if _guards_hold(e[2], case, e[1]))

    def chooser(self) -> Callable[[str, WalkingCase, float], tuple[str, str]]:
        """A function (state, case, uniform draw) -> (event, target), memoised per situation.

        Guards read only the case's fields, so the enabled transitions and their cumulative
        weights are computed once per (state, in_scope, suspended_from) and then reused.
        """
        memo: dict[tuple[str, bool, str | None], tuple[tuple[Edge, ...], list[float]]] = {}

        def choose(state: str, case: WalkingCase, u: float) -> tuple[str, str]:
            key = (state, case.in_scope, case.suspended_from)
            found = memo.get(key)
            if found is None:
                edges = self.enabled(state, case)
                if not edges:
                    raise ChartMismatch(f"a simulated case is stuck in state {state!r}")
                found = memo[key] = (edges, list(accumulate(e[3] for e in edges)))
            edges, cumulative = found
            index = bisect_right(cumulative, u * cumulative[-1])
            edge = edges[min(index, len(edges) - 1)]
            return edge[0], edge[1]

        return choose

    def table(self, days_per_unit: float = 1.0) -> WalkTable:
        """The walk as a table of situations, for walking many cases fast (see WalkTable).

        A situation is what the guards and effects can see: (state, in_scope,
        suspended_from). Every situation reachable from the initial state, for a case in and
        out of scope, is enumerated once here, with its possible transitions, their
        cumulative weights and the situation (or outcome) each leads to; ``days_per_unit``
        turns the mean days per state into the unit of time the caller walks in (365.25 for
        years).
        """
        index: dict[tuple[str, bool, str | None], int] = {}
        rows: list[tuple[float, list[float], list[int]]] = []
        outcomes: list[str] = []

        def visit(key: tuple[str, bool, str | None]) -> int:
            if key in index:
                return index[key]
            index[key] = len(rows)
            rows.append((0.0, [], []))
            state, scoped, suspended_from = key
            case = WalkingCase(scoped, suspended_from)
            edges = self.enabled(state, case)
            if not edges:
                raise ChartMismatch(f"a simulated case is stuck in state {state!r}")
            leads = []
            for event, target, _guards, _weight in edges:
                after = WalkingCase(scoped, suspended_from)
                effect = EFFECTS.get(event)
                if effect is not None:
                    effect(after, state)
                if target in self.final:
                    outcome = OUTCOMES[target]
                    outcome = DECISION_ROUTES[event] if outcome == "decided" else outcome
                    if outcome not in outcomes:
                        outcomes.append(outcome)
                    leads.append(-1 - outcomes.index(outcome))
                else:
                    leads.append(visit((target, after.in_scope, after.suspended_from)))
            days = self.mean_days[state]
            rate = days_per_unit / days if days > 0 else 0.0
            rows[index[key]] = (rate, list(accumulate(e[3] for e in edges)), leads)
            return index[key]

        starts = (visit((self.initial, False, None)), visit((self.initial, True, None)))
        return WalkTable(starts, tuple(rows), tuple(outcomes), dict(index))


@dataclass(frozen=True)
class WalkTable:
    """The compiled walk: situations by number, each (rate, cumulative weights, leads).

    ``starts[in_scope]`` is the first situation of a case; in situation ``i`` a case waits
    an exponential time of rate ``rows[i][0]`` (0: no wait), then takes transition ``k``
    with chance proportional to its weight, which leads to situation ``rows[i][2][k]`` or,
    when that is negative, to outcome ``outcomes[-1 - lead]``.
    """

    starts: tuple[int, int]
    rows: tuple[tuple[float, list[float], list[int]], ...]
    outcomes: tuple[str, ...]
    situations: Mapping[tuple[str, bool, str | None], int] = field(
        default_factory=dict, compare=False
    )
    """(state, in_scope, suspended_from) -> its situation: where a known case walks on from."""

    def walk(self, scoped: bool, random: Callable[[], float]) -> tuple[str, float]:
        """Walk one case with the uniform draws of ``random``: (outcome, time it took)."""
        return self.walk_from(self.starts[scoped], random)

    def walk_from(self, situation: int, random: Callable[[], float]) -> tuple[str, float]:
        """Walk a case on from ``situation``: (outcome, time it took from there)."""
        rows, log = self.rows, math.log
        elapsed = 0.0
        for _ in range(MAX_STEPS):
            rate, cumulative, leads = rows[situation]
            if rate > 0:
                elapsed -= log(1.0 - random()) / rate
            pick = bisect_right(cumulative, random() * cumulative[-1])
            situation = leads[min(pick, len(leads) - 1)]
            if situation < 0:
                return self.outcomes[-1 - situation], elapsed
        raise RuntimeError(f"a simulated case did not close within {MAX_STEPS} transitions")

    def outcome_chances(self, scoped: bool = True) -> dict[str, float]:
        """The chance of each outcome for a new case (in scope or not): the absorbing
        probabilities of the walk, solved as a linear system over the situations."""
        import numpy as np

        n, outcomes = len(self.rows), self.outcomes
        moves = np.zeros((n, n))
        ends = np.zeros((n, len(outcomes)))
        for i, (_rate, cumulative, leads) in enumerate(self.rows):
            weights = np.diff([0.0, *cumulative]) / cumulative[-1]
            for chance, lead in zip(weights, leads, strict=True):
                if lead < 0:
                    ends[i, -1 - lead] += chance
                else:
                    moves[i, lead] += chance
        absorbed = np.linalg.solve(np.eye(n) - moves, ends)[self.starts[scoped]]
        return {name: float(p) for name, p in zip(outcomes, absorbed, strict=True)}

    @cached_property
    def arrays(self) -> tuple[Any, Any, Any, Any, int]:
        """The table as numpy arrays, for walking many cases at once.

        ``(mean, cumulative, total, leads, closed)``: per situation the mean time spent
        there, its cumulative weights (padded with infinity), their total, and where each
        transition leads (padded with the last). Situations ``closed`` and up are the
        outcomes, in the order of ``outcomes``: a closed case stays there and takes no time.
        """
        import numpy as np

        closed = len(self.rows)
        width = max(len(row[1]) for row in self.rows)
        size = closed + len(self.outcomes)
        mean = np.zeros(size)
        cumulative = np.full((size, width), np.inf)
        cumulative[closed:, 0] = 1.0
        total = np.ones(size)
        leads = np.repeat(np.arange(size)[:, None], width, axis=1)
        for i, (rate, weights, targets) in enumerate(self.rows):
            mean[i] = 1.0 / rate if rate > 0 else 0.0
            cumulative[i, : len(weights)] = weights
            total[i] = weights[-1]
            into = [t if t >= 0 else closed - 1 - t for t in targets]
            leads[i, :] = into[-1]
            leads[i, : len(into)] = into
        return mean, cumulative, total, leads, closed


def _guards_hold(guards: tuple[str, ...], case: WalkingCase, target: str) -> bool:
    for guard in guards:
        negate = guard.startswith("!")
        if GUARDS[guard.lstrip("!")](case, target) == negate:
            return False
    return True


def chart_class() -> type[StateChart]:
    """The case lifecycle StateChart the simulation walks."""
    return CaseLifecycle


def chart_graph(chart: type[StateChart] | None = None) -> ChartGraph:
    """States, final states and transitions of ``chart`` (default: the case lifecycle)."""
    cls = chart or chart_class()
    initial = next(s.id for s in cls.states if s.initial)
    return ChartGraph(
        states=tuple(s.id for s in cls.states),
        initial=initial,
        final=frozenset(s.id for s in cls.final_states),
        labels={s.id: str(s.name) for s in cls.states},
        event_labels={e.id: str(e.name) for e in cls.events},
        transitions=tuple(transitions(cls)),
    )


@dataclass(frozen=True)
class ChartGraph:
    """What the simulation reads from a chart class, once per run."""

    states: tuple[str, ...]
    initial: str
    final: frozenset[str]
    labels: Mapping[str, str]
    event_labels: Mapping[str, str]
    transitions: tuple[tuple[str, str, str, tuple[str, ...]], ...]

    @property
    def events(self) -> tuple[str, ...]:
        """Every event id, in the order of the chart."""
        return tuple(self.event_labels)

    @property
    def waiting_states(self) -> tuple[str, ...]:
        """The non-final states: a case waits in each of these for a while."""
        return tuple(s for s in self.states if s not in self.final)


def compile_walk(
    graph: ChartGraph, weights: Mapping[str, float], mean_days: Mapping[str, float]
) -> Walk:
    """Build the walk from ``graph`` with branch ``weights`` (by event) and ``mean_days``.

    Raises ChartMismatch when the chart has a guard, final state or route into ``decided``
    that the simulation cannot interpret, or a non-final state without any weighted way out.
    """
    _check_known(graph)
    edges: dict[str, list[Edge]] = {s: [] for s in graph.waiting_states}
    for source, target, event, guards in graph.transitions:
        if source in edges and weights[event] > 0:
            edges[source].append((event, target, guards, float(weights[event])))
    for state in states_without_exit(graph, weights):
        raise ChartMismatch(no_exit_message(graph, state))
    return Walk(
        initial=graph.initial,
        final=graph.final,
        edges={s: tuple(out) for s, out in edges.items()},
        mean_days={s: float(mean_days[s]) for s in graph.waiting_states},
    )


def states_without_exit(graph: ChartGraph, weights: Mapping[str, float]) -> list[str]:
    """The non-final states none of whose events has a weight above 0 (a case would stick)."""
    return [
        state
        for state in graph.waiting_states
        if not any(weights[e] > 0 for s, _t, e, _g in graph.transitions if s == state)
    ]


def no_exit_message(graph: ChartGraph, state: str) -> str:
    """Why ``state`` is a trap, and which keys would open it."""
    possible = sorted({e for s, _t, e, _g in graph.transitions if s == state})
    keys = ", ".join(f"lifecycle.branch.{e}" for e in possible)
    return f"state {state!r} has no way out: give one of its events a weight above 0 ({keys})"


def _check_known(graph: ChartGraph) -> None:
    where = "spreiding/simulation/lifecycle.py"
    for _s, _t, event, guards in graph.transitions:
        unknown = [g for g in guards if g.lstrip("!") not in GUARDS]
        if unknown:
            raise ChartMismatch(
                f"the case lifecycle has guard {unknown[0]!r} (event {event!r}) that the "
                f"simulation cannot evaluate; teach GUARDS in {where} about it"
            )
    for state in sorted(graph.final - set(OUTCOMES)):
        raise ChartMismatch(
            f"the case lifecycle has final state {state!r} that the simulation does not "
            f"know the outcome of; add it to OUTCOMES in {where}"
        )
    decided = [t for t in graph.transitions if OUTCOMES.get(t[1]) == "decided"]
    for _s, _t, event, _g in decided:
        if event not in DECISION_ROUTES:
            raise ChartMismatch(
                f"the case lifecycle reaches a decision by event {event!r}, which the "
                f"simulation does not know; add it to DECISION_ROUTES in {where}"
            )
    stale = sorted(set(EFFECTS) - set(graph.events))
    if stale:
        raise ChartMismatch(
            f"EFFECTS in {where} names event {stale[0]!r}, which the case lifecycle does "
            f"not have (events: {', '.join(graph.events)})"
        )


def branch_probabilities(
    graph: ChartGraph, weights: Mapping[str, float], *, in_scope: bool = True
) -> dict[str, dict[str, float]]:
    """Per non-final state, the chance of each event that is possible for a case (display).

    An event counts as possible when one of its transitions' guards can hold: the case's
    ``in_scope`` is given, and a suspended case may return to any state.
    """
    table: dict[str, dict[str, float]] = {}
    for state in graph.waiting_states:
        events = dict.fromkeys(
            e
            for s, t, e, guards in graph.transitions
            if s == state and _guards_hold(guards, WalkingCase(in_scope, suspended_from=t), t)
        )
        total = sum(weights[e] for e in events)
        table[state] = {e: (weights[e] / total if total else 0.0) for e in events}
    return table


def describe(graph: ChartGraph) -> dict[str, Any]:
    """The chart as a plain summary (for the bijsluiter): states, events and edges."""
    return {
        "states": [(s, graph.labels[s]) for s in graph.states],
        "events": [(e, graph.event_labels[e]) for e in graph.events],
        "transitions": len(graph.transitions),
    }
