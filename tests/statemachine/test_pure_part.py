"""The lifecycle's pure part (chart and rules) imports no store, so the simulation can read it;
the effects cover every event; the service norms match the chart's waiting states."""

from __future__ import annotations

import subprocess
import sys

import pytest

from spreiding.core.errors import InvalidInput
from spreiding.core.settings import ServiceNorms
from spreiding.statemachine import effects, norms
from spreiding.statemachine.chart import (
    CURRENT_EVENTS,
    FINAL_STATES,
    STATE_LABELS,
    WAITING_STATES,
    CaseLifecycleV1,
    clock_runs,
)

PURE = ("chart", "rules", "calendar", "checks", "diagram", "audit", "effects", "norms")


def test_the_pure_part_imports_no_store() -> None:
    modules = "; ".join(f"import spreiding.statemachine.{m}" for m in PURE)
    probe = (
        f"{modules}; import sys; "
        "print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('sqlalchemy', 'sqlmodel') or m.startswith('spreiding.models')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_event_has_exactly_one_effect() -> None:
    assert sorted(effects.EFFECTS) == sorted(CURRENT_EVENTS)
    assert sorted(effects.EFFECTS_V1) == sorted(e.id for e in CaseLifecycleV1.events)


def test_every_waiting_state_says_who_acts_next() -> None:
    from spreiding.statemachine.rules import ACTS_NEXT

    assert set(ACTS_NEXT) == set(WAITING_STATES)


def test_every_waiting_state_has_a_norm_and_every_norm_names_a_state() -> None:
    assert norms.norm_problems() == []
    assert set(WAITING_STATES) == set(STATE_LABELS) - FINAL_STATES - {"suspended"}


def test_a_norm_for_no_state_or_a_waiting_state_without_one_is_reported() -> None:
    drifted = (set(ServiceNorms.model_fields) - {"agreed"}) | {"consulation"}  # misspelt
    assert norms.norm_problems(drifted) == [
        "agreed has no service norm",
        "norm 'consulation' names no waiting state",
    ]


def test_service_norm_is_the_one_way_to_read_a_norm() -> None:
    assert norms.service_norm("screening", ServiceNorms()) == 10
    assert norms.service_norm("screening", ServiceNorms(screening=7)) == 7
    assert norms.service_norm("suspended") is None
    assert norms.service_norm("decided") is None
    with pytest.raises(
        InvalidInput,
        match=r"Onbekende toestand 'nergens'; kies uit: Voornemen \(intention\), Aangemeld",
    ):
        norms.service_norm("nergens")


@pytest.mark.parametrize(
    ("state", "due", "runs"),
    [("screening", "2026-05-01", True), ("suspended", "2026-05-01", False),
     ("decided", None, False), ("registered", None, False)],
)  # fmt: skip
def test_the_clock_runs_only_while_waiting_with_a_due_date(state, due, runs) -> None:
    assert clock_runs(state, due) is runs
