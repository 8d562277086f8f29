"""Checks of the lifecycle graph that a spec gate can run and report as JSON.

The graph is read through :func:`~spreiding.statemachine.chart.transitions`, the same view
the simulation uses, and walked here rather than trusted to the library: the library runs
similar checks when a class is defined, but a class can switch them off
(``validate_trap_states = False`` and friends) and they cannot report, only raise.

The walk ignores guards: it asks whether a path exists in the drawn graph. That guards can
be satisfied along the paths is shown by the model-based tests, which drive every simple
path through the machine.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from statemachine import StateChart
from statemachine.utils import humanize_id

from spreiding.statemachine import rules
from spreiding.statemachine.chart import RULES, CaseLifecycle, Edge, transitions


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check, with details in one line."""

    name: str
    ok: bool
    details: str


@dataclass(frozen=True)
class LifecycleCheck:
    """All checks of one lifecycle class."""

    machine: str
    states: list[str]
    events: list[str]
    results: list[CheckResult]

    @property
    def ok(self) -> bool:
        """True when every check passed."""
        return all(r.ok for r in self.results)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: machine, ok, states, events and checks."""
        return {
            "machine": self.machine,
            "ok": self.ok,
            "states": self.states,
            "events": self.events,
            "checks": [{"name": r.name, "ok": r.ok, "details": r.details} for r in self.results],
        }


def _reachable(start: str, edges: list[Edge]) -> set[str]:
    seen = {start}
    todo = deque([start])
    while todo:
        here = todo.popleft()
        for source, target, _event, _guards in edges:
            if source == here and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _result(name: str, bad: Iterable[str], ok_text: str, bad_text: str) -> CheckResult:
    bad = sorted(bad)
    if bad:
        return CheckResult(name, False, f"{bad_text}: {', '.join(bad)}")
    return CheckResult(name, True, ok_text)


def _unlabelled(ids: list[str], labels: Mapping[str, str]) -> list[str]:
    # The library names an unnamed state or event after its id ("start_screening" becomes
    # "Start screening"); such a name is no label written for policy staff.
    def labelled(i: str) -> bool:
        label = (labels.get(i) or "").strip()
        return bool(label) and label not in (i, humanize_id(i))

    return [i for i in ids if not labelled(i)]


def _unruled(cls: type[StateChart], events: list[str]) -> list[str]:
    table = rules.RULES_BY_VERSION.get(getattr(cls, "lifecycle_version", 2), rules.EVENT_RULES)
    bad = [f"event {e} has no rule" for e in events if e not in table]
    bad += [f"rule {e} has no event" for e in table if e not in events]
    for state in cls.states:
        for t in state.transitions:
            if not any(spec.attr_name == RULES for spec in t.validators):
                bad.append(f"{state.id} -> {t.target and t.target.id} lacks {RULES}")
    return bad


def check_lifecycle(
    cls: type[StateChart] = CaseLifecycle,
    *,
    state_labels: Mapping[str, str] | None = None,
    event_labels: Mapping[str, str] | None = None,
) -> LifecycleCheck:
    """Run every check on ``cls``; labels default to the names declared on the class."""
    states = [s.id for s in cls.states]
    events = [e.id for e in cls.events]
    finals = {s.id for s in cls.final_states}
    edges = transitions(cls)
    state_labels = state_labels or {s.id: str(s.name) for s in cls.states}
    event_labels = event_labels or {e.id: str(e.name) for e in cls.events}
    if cls.initial_state is None:
        raise ValueError(f"{cls.__name__} has no initial state to check from")
    initial = cls.initial_state.id

    reached = _reachable(initial, edges)
    with_exit = {source for source, target, _e, _g in edges if target != source}
    results = [
        _result(
            "reachable",
            (s for s in states if s not in reached),
            f"all {len(states)} states are reachable from {initial}",
            f"not reachable from {initial}",
        ),
        _result(
            "no_trap_states",
            (s for s in states if s not in finals and s not in with_exit),
            "every non-final state has a way out",
            "non-final states without a way out",
        ),
        _result(
            "reaches_final",
            (s for s in states if s not in finals and not _reachable(s, edges) & finals),
            "a final state can be reached from every state",
            "no path to a final state from",
        ),
        _result(
            "labels",
            [f"state {s}" for s in _unlabelled(states, state_labels)]
            + [f"event {e}" for e in _unlabelled(events, event_labels)],
            "every state and event has a Dutch label",
            "no Dutch label for",
        ),
        _result(
            "rules",
            _unruled(cls, events),
            f"every event has a rule and every transition runs {RULES}",
            "rules not enforced",
        ),
    ]
    return LifecycleCheck(cls.__name__, states, events, results)
