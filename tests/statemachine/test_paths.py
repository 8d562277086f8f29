"""Model-based tests: every simple path of the graph, and random event sequences.

The graph comes from ``transitions()``, the same view the simulation and the spec gate read;
each path is then driven through the real machine, which must agree with what the guards
predict: a feasible path ends in its final state, an infeasible one is refused at the step
whose guard fails, without changing the case.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from spreiding.core.errors import TransitionRefused
from spreiding.statemachine import rules
from spreiding.statemachine.chart import (
    CURRENT_EVENTS,
    FINAL_STATES,
    INTENTION_STATE,
    CaseLifecycle,
    Edge,
    restore,
    transitions,
)


@dataclass
class Case:
    """A case as the store keeps it: plain fields only."""

    state: str | None = None
    in_scope: bool | None = None
    ministry_code: str = "VWS"
    suspended_from: str | None = None
    lifecycle_version: int = 2


EDGES = transitions()


def step(machine: CaseLifecycle, event: str) -> None:
    """Send ``event`` as a role that may, with data the procedure accepts."""
    kind, payload = rules.example_step(event, machine.current)
    role = "ministry:VWS" if kind == "ministry" else kind
    machine.send(event, role=role, payload=payload)


def simple_paths(start: str, path: tuple[Edge, ...] = ()) -> Iterator[tuple[Edge, ...]]:
    """Every path from ``start`` to a final state that visits no state twice."""
    if start in FINAL_STATES:
        yield path
        return
    visited = {INTENTION_STATE} | {edge[1] for edge in path}
    for edge in EDGES:
        if edge[0] == start and edge[1] not in visited:
            yield from simple_paths(edge[1], (*path, edge))


PATHS = list(simple_paths(INTENTION_STATE))


def predicted_target(
    source: str, event: str, in_scope: bool, suspended_from: str | None
) -> str | None:
    """Where ``event`` takes a case by the graph and the guards' meaning; None if refused."""
    for edge_source, target, edge_event, guards in EDGES:
        holds = {
            "is_in_scope": in_scope is True,
            "is_below_threshold": in_scope is False,
            "returns_to_target": suspended_from == target,
        }
        if (edge_source, edge_event) == (source, event) and all(holds[g] for g in guards):
            return target
    return None


def test_the_graph_has_paths_to_every_final_state() -> None:
    assert {path[-1][1] for path in PATHS} == FINAL_STATES


@pytest.mark.parametrize("in_scope", [True, False])
def test_every_simple_path_is_driven_through_the_machine(in_scope: bool) -> None:
    """Follow each path while the guards allow; where they do not, the machine must refuse
    (an in_scope guard) or take the one edge whose guard holds (resume), as predicted."""
    reached: set[str] = set()
    for path in PATHS:
        case = Case(in_scope=in_scope)
        machine = CaseLifecycle(model=case)
        for source, target, event, _guards in path:
            expected = predicted_target(source, event, in_scope, case.suspended_from)
            if expected is None:
                with pytest.raises(TransitionRefused):
                    step(machine, event)
                assert case.state == source
                break
            step(machine, event)
            assert case.state == expected
            if expected != target:
                break
        else:
            reached.add(case.state)
    # Every way a case of this scope can end is reached along some path.
    assert reached == ({"decided", "withdrawn"} if in_scope else {"out_of_scope", "withdrawn"})


ROLES = ["bzk", "ministry:VWS", "ministry:FIN", "mr", "viewer"]
EDGE_SET = {(s, t, e) for s, t, e, _g in EDGES}


class RandomCaseHistories(RuleBasedStateMachine):
    """Random events, roles and payloads, with the case persisted and rebuilt in between."""

    @initialize(in_scope=st.sampled_from([True, False, None]))
    def register(self, in_scope: bool | None) -> None:
        self.case = Case(in_scope=in_scope)
        self.machine = CaseLifecycle(model=self.case)
        self.visited = {self.case.state}
        self.closed_in: str | None = None

    @rule(
        event=st.sampled_from(list(CURRENT_EVENTS)),
        role=st.sampled_from(ROLES),
        complete=st.booleans(),
    )
    def send(self, event: str, role: str, complete: bool) -> None:
        before = asdict(self.case)
        payload = rules.example_step(event, self.case.state)[1] if complete else {}
        try:
            self.machine.send(event, role=role, payload=payload)
        except TransitionRefused:
            assert asdict(self.case) == before
            return
        assert before["state"] not in FINAL_STATES
        assert (before["state"], self.case.state, event) in EDGE_SET
        self.visited.add(self.case.state)
        if self.case.state in FINAL_STATES:
            self.closed_in = self.case.state

    @rule()
    def persist_and_rebuild(self) -> None:
        self.case = Case(**json.loads(json.dumps(asdict(self.case))))
        self.machine = restore(self.case)

    @invariant()
    def a_final_state_never_changes(self) -> None:
        if self.closed_in is not None:
            assert self.case.state == self.closed_in

    @invariant()
    def suspended_exactly_when_it_remembers_from_where(self) -> None:
        assert (self.case.state == "suspended") == (self.case.suspended_from is not None)

    @invariant()
    def no_decision_in_scope_without_advice(self) -> None:
        if self.case.state == "decided":
            assert self.case.in_scope is True
            assert "advice_issued" in self.visited


RandomCaseHistories.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_random_case_histories = RandomCaseHistories.TestCase
