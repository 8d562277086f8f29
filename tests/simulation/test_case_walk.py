"""The simulated case walks the lifecycle chart's own transitions, and nothing else."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from spreiding.core.errors import InvalidInput
from spreiding.simulation.lifecycle import (
    EFFECTS,
    OUTCOMES,
    ChartMismatch,
    WalkingCase,
    chart_graph,
    compile_walk,
)
from spreiding.simulation.montecarlo import walk_for
from spreiding.simulation.parameters import load_scenario
from spreiding.statemachine.chart import FINAL_STATES, INTENTION_STATE, transitions


def walk_once(walk, case: WalkingCase, rng: random.Random) -> list[tuple[str, str, str]]:
    """Walk one case to a final state; return the (source, event, target) steps taken."""
    choose = walk.chooser()
    state, steps = walk.initial, []
    while state not in walk.final:
        event, target = choose(state, case, rng.random())
        if event in EFFECTS:
            EFFECTS[event](case, state)
        steps.append((state, event, target))
        state = target
    return steps


def test_the_walk_is_built_from_the_chart_transitions() -> None:
    walk = walk_for(load_scenario("nieuwe-aanpak"))
    chart = {(s, e, t) for s, t, e, _g in transitions()}
    compiled = {(s, e, t) for s, edges in walk.edges.items() for e, t, _g, _w in edges}
    assert compiled == chart  # every transition with a weight, and only those
    assert walk.initial == INTENTION_STATE
    assert walk.final == FINAL_STATES


def test_thousands_of_walks_take_only_chart_transitions_and_end_in_final_states() -> None:
    walk = walk_for(load_scenario("nieuwe-aanpak"))
    chart = {(s, e, t) for s, t, e, _g in transitions()}
    rng = random.Random(7)
    seen: set[tuple[str, str, str]] = set()
    ends = set()
    for _ in range(3000):
        steps = walk_once(walk, WalkingCase(in_scope=True), rng)
        seen |= set(steps)
        ends.add(steps[-1][2])
    assert seen <= chart
    assert ends == {"decided", "withdrawn"}  # in scope: never declared out of scope
    resumed = {(s, t) for s, e, t in seen if e == "resume"}
    assert len(resumed) > 3  # a suspended case returns to where it was, wherever that was


def test_a_case_below_the_threshold_is_declared_out_of_scope() -> None:
    walk = walk_for(load_scenario("strikt"))
    rng = random.Random(3)
    ends = {walk_once(walk, WalkingCase(in_scope=False), rng)[-1] for _ in range(300)}
    assert ("screening", "declare_out_of_scope", "out_of_scope") in ends
    assert all(target in OUTCOMES for _s, _e, target in ends)


def test_a_guard_the_simulation_cannot_evaluate_stops_the_run() -> None:
    graph = chart_graph()
    extra = (("advice_issued", "decided", "agree", ("is_urgent",)),)
    changed = replace(graph, transitions=graph.transitions + extra)
    weights = {e: 1.0 for e in graph.events}
    days = dict.fromkeys(graph.waiting_states, 1.0)
    with pytest.raises(ChartMismatch, match="guard 'is_urgent'"):
        compile_walk(changed, weights, days)


def test_a_new_final_state_without_an_outcome_stops_the_run() -> None:
    graph = chart_graph()
    changed = replace(
        graph,
        final=graph.final | {"dismissed"},
        transitions=(*graph.transitions, ("screening", "dismissed", "withdraw", ())),
    )
    weights = {e: 1.0 for e in graph.events}
    days = dict.fromkeys(graph.waiting_states, 1.0)
    with pytest.raises(ChartMismatch, match="final state 'dismissed'"):
        compile_walk(changed, weights, days)


def test_a_state_without_any_weighted_way_out_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "vast.toml"
    path.write_text("[lifecycle.branch]\ndecide = 0\nwithdraw = 0\nsuspend = 0\nreconsider = 0\n")
    with pytest.raises(InvalidInput) as refused:
        load_scenario(path)
    assert str(path) in str(refused.value)
    assert "state 'agreed' has no way out" in str(refused.value)
    assert "lifecycle.branch.decide" in str(refused.value)


def test_branch_weights_steer_the_walk() -> None:
    always_mr = load_scenario("nieuwe-aanpak").with_values(
        {
            "lifecycle.branch.accept_advice": 0.0,
            "lifecycle.branch.consent": 0.0,
            "lifecycle.branch.reconsider": 0.0,
        }
    )
    walk = walk_for(always_mr)
    rng = random.Random(11)
    events = {e for _ in range(200) for _s, e, _t in walk_once(walk, WalkingCase(True), rng)}
    assert "accept_advice" not in events and "consent" not in events
    assert "propose_alternative" in events  # the ministry's answer, then the MR
    assert "record_mr_decision" in events


def test_the_walk_of_many_cases_at_once_is_the_walk_of_each_case_alone() -> None:
    import numpy as np

    from spreiding.simulation.model import walk_cases

    walk = walk_for(load_scenario("nieuwe-aanpak"))
    table = walk.table(365.25)
    steps = np.random.default_rng(7).random((500, 32))
    scoped = np.arange(500) % 3 > 0
    codes, took = walk_cases(table, scoped, steps)
    for i in range(500):
        outcome, years = table.walk(bool(scoped[i]), iter(steps[i].tolist()).__next__)
        assert table.outcomes[codes[i]] == outcome
        assert abs(took[i] - years) < 1e-9
    # and the outcomes are what the chart allows: out of scope only for small cases
    names = {table.outcomes[c] for c in codes[~scoped]}
    assert names <= {"out_of_scope", "withdrawn"}
    assert {"agreement", "mr"} <= {table.outcomes[c] for c in codes[scoped]}
