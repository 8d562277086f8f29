"""The gate: the Dutch specification and the executable lifecycle cannot drift apart.

:func:`test_every_event_and_transition_is_exercised_by_a_passing_scenario` fails the build
unless every event and every transition (source, event, target) of the real
``CaseLifecycle`` was fired by a passing scenario, every state or event label a scenario
names exists in the machine, and every scenario in ``features/`` ran.

How it stays correct whatever pytest runs, and in whatever order:

1. The recorder (``recorder.py``) notes, at run time, which transitions the store committed
   during each scenario step, and pytest's outcome of every scenario test.
2. A hook in ``conftest.py`` moves this test to the end of the session, so after a full run
   (``make test``, ``pytest tests/features``) the record is complete and the gate judges it
   without running anything again.
3. The gate first checks that the record is complete: every scenario (and example row) of
   every feature file ran in this session. If not (``pytest tests/features/test_gate.py``,
   ``-k``, ``--lf``, ``--ff``, ``-x`` after a failure, a worker of a parallel run), it does
   not judge a partial record: it runs the scenarios that did not run, in a subprocess on
   SQLite (``pytest -m "spec and not spec_gate and not postgres"``, the recorder keeping
   only the scenarios named in ``SPREIDING_SPEC_ONLY``), and judges the two records together.

The remaining tests show the gate at work on records and machines made for the purpose:
a transition added to the chart without a scenario fails it, and so does a renamed label.

:func:`test_every_memo_rule_has_a_scenario_and_every_tag_names_a_rule` is the memo gate
(:mod:`spreiding.spec.memo`): every rule of the memo's list has a tagged scenario, every tag
names a rule, every scenario carries one. It reads the files only, so it needs no run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from pytest_bdd.parser import Step
from statemachine import Event, State, StateChart

from spreiding.spec import memo
from spreiding.spec.coverage import (
    EVENT,
    STATE,
    Coverage,
    Firing,
    LabelUse,
    ScenarioRun,
    evaluate,
    machine_transitions,
)
from spreiding.spec.report import parse_feature
from spreiding.statemachine.chart import CaseLifecycle, transitions
from tests.features.conftest import GATE_MARK
from tests.features.recorder import (
    COVERAGE_ENV,
    ONLY_ENV,
    SPEC_MARK,
    get_recorder,
    label_uses,
)

FEATURES = Path(__file__).resolve().parents[2] / "features"
EXTRA = ("agreed", "reopen", "consultation")
"""The transition the variant machine adds: Overeenstemming --Heropenen--> Gezamenlijk overleg."""


# -- the gate -------------------------------------------------------------------------------------


def _run_in_subprocess(config: pytest.Config, scenarios: list[dict[str, object]]) -> Coverage:
    """Run ``scenarios`` in a subprocess (on SQLite) and read what its recorder wrote."""
    with tempfile.TemporaryDirectory(prefix="spec-gate-") as folder:
        target, only = Path(folder) / "coverage.json", Path(folder) / "only.json"
        only.write_text(json.dumps(scenarios), "utf-8")
        command = [
            sys.executable,
            "-m",
            "pytest",
            *config.getini("testpaths"),
            "-m",
            f"{SPEC_MARK} and not {GATE_MARK} and not postgres",
            "-q",
            "-p",
            "no:cacheprovider",
            "--continue-on-collection-errors",
        ]
        env = {**os.environ, COVERAGE_ENV: str(target), ONLY_ENV: str(only)}
        done = subprocess.run(
            command, cwd=config.rootpath, env=env, capture_output=True, text=True, check=False
        )
        if not target.exists():
            pytest.fail(f"the scenarios did not run ({' '.join(command)}):\n{done.stdout[-3000:]}")
        return Coverage.load(target)


@pytest.mark.spec
@pytest.mark.spec_gate
def test_every_event_and_transition_is_exercised_by_a_passing_scenario(
    request: pytest.FixtureRequest,
) -> None:
    recorder = get_recorder(request.config)
    coverage = recorder.coverage()
    unrun = coverage.unrun_scenarios()
    if unrun:
        print(f"{len(unrun)} scenario(s) did not run in this session: running them now")
        coverage = coverage.merged(_run_in_subprocess(request.config, unrun))
    gate = evaluate(coverage)
    recorder.gate = gate
    print(gate.matrix_text())
    assert gate.ok, "\n".join(gate.problems())
    # The same record judged for a chart with one transition more: the gate must object.
    variant = evaluate(coverage, variant_lifecycle(EXTRA, "Heropenen"))
    assert [(r.source, r.event, r.target) for r in variant.missing_transitions] == [EXTRA]
    assert variant.missing_events == ("reopen",)


# -- the gate on made-up records ------------------------------------------------------------------


def variant_lifecycle(extra: tuple[str, str, str], label: str) -> type[StateChart]:
    """A copy of CaseLifecycle's graph, with fresh states, plus the transition ``extra``.

    Subclassing CaseLifecycle and adding ``agreed.to(...)`` would add the transition to
    the real chart's shared State objects too; a copy cannot touch the real machine.
    """
    states = {
        s.id: State(str(s.name), initial=s.initial, final=s.final) for s in CaseLifecycle.states
    }
    graph = [*transitions(), (extra[0], extra[2], extra[1], ())]
    labels = {e.id: str(e.name) for e in CaseLifecycle.events} | {extra[1]: label}
    events: dict[str, Event] = {}
    for event_id in dict.fromkeys(e for _s, _t, e, _g in graph):
        edges = [
            states[s].to(states[t], cond=list(g) or None) for s, t, e, g in graph if e == event_id
        ]
        combined = edges[0]
        for more in edges[1:]:
            combined = combined | more
        events[event_id] = Event(combined, name=labels[event_id])
    return type("VariantLifecycle", (StateChart,), {**states, **events})


def _complete_record(machine: type[StateChart] = CaseLifecycle) -> Coverage:
    runs = [ScenarioRun("t::ok", "features/x.feature", "x", "x", 3, None, "sqlite", "passed")]
    firings = [
        Firing(s, e, t, "features/x.feature", 10 + i, "t::ok")
        for i, (s, e, t) in enumerate(machine_transitions(machine))
    ]
    return Coverage(scenarios=runs, firings=firings)


def test_a_complete_record_passes_the_gate() -> None:
    gate = evaluate(_complete_record())
    assert gate.ok, gate.problems()
    assert "41 van 41 overgangen gedekt" in gate.matrix_text()
    assert "Voornemen --Plan indienen--> Aangemeld  x.feature:10" in gate.matrix_text()


def test_a_transition_added_to_the_chart_without_a_scenario_fails_the_gate() -> None:
    variant = variant_lifecycle(EXTRA, "Heropenen")
    assert len(transitions()) == 41, "building the variant changed the real chart"
    gate = evaluate(_complete_record(), variant)
    assert not gate.ok
    assert gate.missing_events == ("reopen",)
    assert [(r.source, r.event, r.target) for r in gate.missing_transitions] == [EXTRA]
    assert (
        "transition without a passing scenario: Overeenstemming --Heropenen--> "
        "Gezamenlijk overleg (agreed -reopen-> consultation)"
    ) in gate.problems()
    assert "Overeenstemming --Heropenen--> Gezamenlijk overleg  NIET GEDEKT" in gate.matrix_text()
    # ... and a scenario that exercises it makes the gate pass again.
    covered = _complete_record(variant)
    assert evaluate(covered, variant).ok


def test_only_passing_scenarios_count() -> None:
    record = _complete_record()
    record.scenarios[0].outcome = "failed"
    gate = evaluate(record)
    assert not gate.ok and len(gate.missing_transitions) == 41
    assert gate.problems()[-1] == "(1 scenario test(s) failed; fix those first)"


def test_a_scenario_in_the_features_that_did_not_run_fails_the_gate() -> None:
    record = _complete_record()
    record.expected = [
        {"feature": "features/x.feature", "template": "x", "example": None},
        {"feature": "features/y.feature", "template": "nieuw", "example": {"fase": "Aangemeld"}},
    ]
    assert evaluate(record).unrun == ("features/y.feature: nieuw [fase=Aangemeld]",)


def test_a_label_that_is_not_in_the_machine_fails_the_gate() -> None:
    record = _complete_record()
    record.labels = [
        LabelUse(STATE, "Gezamenlijk overleg", "features/x.feature", 4),
        LabelUse(STATE, "Gezamenlijk beraad", "features/x.feature", 5),
        LabelUse(EVENT, "Heropenen", "features/x.feature", 6),
    ]
    gate = evaluate(record)
    assert [u.label for u in gate.unknown_labels] == ["Gezamenlijk beraad", "Heropenen"]
    assert (
        "x.feature:5: the state 'Gezamenlijk beraad' named by a step is not in the lifecycle"
        in (gate.problems())
    )
    # The variant machine has the event "Heropenen".
    variant = evaluate(record, variant_lifecycle(EXTRA, "Heropenen"))
    assert [u.label for u in variant.unknown_labels] == ["Gezamenlijk beraad"]


def test_the_recorder_reads_labels_as_the_step_definitions_do() -> None:
    steps = [
        Step('BZK de stap "Heropenen" probeert te zetten', "when", 0, 7, "Als "),
        Step("staat de zaak nog op Gezamenlijk beraad", "then", 0, 8, "Dan "),
        Step("staat de zaak op <fase>", "then", 0, 9, "Dan "),  # a template: no label yet
        Step("krijgt de zaak geen signaal", "then", 0, 10, "En "),
    ]
    uses = label_uses(steps, "features/x.feature")
    assert uses == {
        LabelUse(EVENT, "Heropenen", "features/x.feature", 7),
        LabelUse(STATE, "Gezamenlijk beraad", "features/x.feature", 8),
    }


# -- the memo gate ----------------------------------------------------------------------------


@pytest.mark.spec  # so that `make spec` fails on it too
def test_every_memo_rule_has_a_scenario_and_every_tag_names_a_rule() -> None:
    """The memo gate on the real feature files and the real rule list (read statically)."""
    features = [parse_feature(p) for p in sorted(FEATURES.glob("*.feature"))]
    gate = memo.evaluate(memo.load_rules(), memo.tagged_scenarios(features))
    assert gate.ok, "\n".join(gate.problems())
