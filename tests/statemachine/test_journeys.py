"""Journeys of a location case through lifecycle version 1, told with the domain's verbs.

Version 1 (the one-sided ``agree``) is the chart of every case started before version 2;
those cases run on under it, so its behaviour is kept and tested here. Version 2 is tested
in test_procedure.py and, through the store, in test_procedure_journeys.py.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

import pytest

from spreiding.core.errors import IntegrityError, TransitionRefused
from spreiding.statemachine import rules
from spreiding.statemachine.chart import CaseLifecycleV1 as CaseLifecycle
from spreiding.statemachine.chart import restore

STATE_LABELS = {s.id: str(s.name) for s in CaseLifecycle.states}
EVENT_LABELS = {e.id: str(e.name) for e in CaseLifecycle.events}
FINAL_STATES = frozenset(s.id for s in CaseLifecycle.final_states)
RESUMABLE_STATES = tuple(s for s in STATE_LABELS if s not in FINAL_STATES and s != "suspended")


@dataclass
class Case:
    """A case as the store keeps it: plain fields only."""

    state: str | None = None
    in_scope: bool | None = None
    ministry_code: str = "VWS"
    suspended_from: str | None = None


ADVICE = {
    "location": "Zwolle",
    "rationale": "Versterkt de regio; bereikbaar per trein.",
    "considerations": {
        "primary_process": {"applies": "nee", "note": "geen bijzonder primair proces"},
        "legal_location": "nee",
        "housing_cost": {"applies": True},
    },
}

# The shortest way to each state a case can be suspended from (an in-scope case).
PATH_TO = {
    "registered": [],
    "screening": ["start_screening"],
    "consultation": ["start_screening", "open_consultation"],
    "advice_issued": ["start_screening", "open_consultation", "issue_advice"],
    "agreed": ["start_screening", "open_consultation", "issue_advice", "agree"],
    "mr_escalation": ["start_screening", "open_consultation", "issue_advice", "escalate_to_mr"],
}


def role_for(event: str) -> str:
    """A role that may send ``event`` on a VWS case."""
    kind = sorted(rules.EVENT_RULES_V1[event].roles)[0]
    return "ministry:VWS" if kind == "ministry" else kind


def step(machine: CaseLifecycle, event: str) -> None:
    machine.send(event, role=role_for(event), payload=rules.example_payload(event, 1))


def case_in(state: str, *, in_scope: bool = True) -> CaseLifecycle:
    machine = CaseLifecycle(model=Case(in_scope=in_scope))
    for event in PATH_TO[state]:
        step(machine, event)
    assert machine.current == state
    return machine


def rebuilt(case: Case) -> CaseLifecycle:
    """Persist the case as JSON and rebuild it as a fresh process would."""
    return restore(Case(**json.loads(json.dumps(asdict(case)))))


def test_groei_advice_agreed_and_decided() -> None:
    case = Case(in_scope=rules.in_scope("groei", 150))
    machine = CaseLifecycle(model=case)
    assert case.state == "registered"

    machine.fire("start_screening", role="bzk")
    machine.fire("open_consultation", role="bzk")
    advice = machine.fire("issue_advice", role="bzk", payload=ADVICE)
    machine.fire("agree", role="ministry:VWS", payload={"location": "Zwolle"})
    decision = machine.fire(
        "decide",
        role="ministry:VWS",
        payload={"location": "Zwolle", "fte": "150", "follows_advice": "ja"},
    )

    assert case.state == "decided"
    assert advice["considerations"] == {
        "primary_process": {"applies": False, "note": "geen bijzonder primair proces"},
        "legal_location": {"applies": False, "note": None},
        "housing_cost": {"applies": True, "note": None},
    }
    assert decision == {"location": "Zwolle", "fte": 150, "follows_advice": True}


def test_krimp_escalated_to_the_council_of_ministers() -> None:
    case = Case(in_scope=rules.in_scope("krimp", 120), ministry_code="JenV")
    machine = CaseLifecycle(model=case)
    machine.fire("start_screening", role="bzk")
    machine.fire("open_consultation", role="bzk")
    machine.fire("issue_advice", role="bzk", payload=ADVICE)
    machine.fire(
        "escalate_to_mr",
        role="ministry:JenV",
        payload={"location": "Den Haag", "motivation": "Geen overeenstemming over de locatie."},
    )
    assert case.state == "mr_escalation"

    machine.fire(
        "record_mr_decision", role="mr", payload={"location": "Den Haag", "follows_advice": "nee"}
    )
    assert case.state == "decided"


def test_below_threshold_is_declared_out_of_scope_and_cannot_open_consultation() -> None:
    case = Case(in_scope=rules.in_scope("groei", 99))
    machine = CaseLifecycle(model=case)
    machine.fire("start_screening", role="bzk")

    with pytest.raises(
        TransitionRefused,
        match=r"\(open_consultation\) kan alleen als de zaak binnen de reikwijdte valt",
    ):
        machine.fire("open_consultation", role="bzk")
    assert case.state == "screening"

    machine.fire("declare_out_of_scope", role="bzk")
    assert case.state == "out_of_scope"


def test_in_scope_case_cannot_be_declared_out_of_scope() -> None:
    machine = case_in("screening", in_scope=True)
    with pytest.raises(
        TransitionRefused, match=r"als de zaak onder de drempel blijft \(nu: in_scope = ja\)"
    ):
        machine.fire("declare_out_of_scope", role="bzk")


def test_an_unjudged_case_can_neither_open_consultation_nor_leave_scope() -> None:
    machine = CaseLifecycle(model=Case(in_scope=None))
    machine.fire("start_screening", role="bzk")
    for event in ("open_consultation", "declare_out_of_scope"):
        with pytest.raises(TransitionRefused, match=r"\(nu: in_scope = onbekend\)"):
            machine.fire(event, role="bzk")


def test_a_suspended_case_is_withdrawn() -> None:
    machine = case_in("consultation")
    machine.fire("suspend", role="bzk", payload={"reason": "Wachten op de business case"})
    machine = rebuilt(machine.model)
    machine.fire("withdraw", role="ministry:VWS", payload={"reason": "Plan vervalt"})
    assert (machine.model.state, machine.model.suspended_from) == ("withdrawn", None)


@pytest.mark.parametrize("state", RESUMABLE_STATES)
def test_suspend_and_resume_returns_to_the_same_state(state: str) -> None:
    machine = case_in(state)
    machine.fire("suspend", role="bzk", payload={"reason": "RVB-capaciteit"})
    assert (machine.model.state, machine.model.suspended_from) == ("suspended", state)

    machine.fire("resume", role="bzk", payload={"reason": "capaciteit vrij"})
    assert (machine.model.state, machine.model.suspended_from) == (state, None)


@pytest.mark.parametrize("state", RESUMABLE_STATES)
def test_resume_after_rebuild_from_plain_data_returns_to_the_same_state(state: str) -> None:
    machine = case_in(state)
    machine.fire("suspend", role="bzk", payload={"reason": "RVB-capaciteit"})
    stored = json.dumps(asdict(machine.model))
    del machine

    # A fresh process: set the model's fields from the stored data, then build the machine.
    again = restore(Case(**json.loads(stored)))
    again.fire("resume", role="bzk", payload={"reason": "capaciteit vrij"})
    assert (again.model.state, again.model.suspended_from) == (state, None)


@pytest.mark.parametrize("state", list(STATE_LABELS))
def test_every_state_rebuilds_from_plain_data_without_running_anything(state: str) -> None:
    suspended_from = "agreed" if state == "suspended" else None
    case = Case(state=state, in_scope=True, suspended_from=suspended_from)
    machine = restore(case)
    assert machine.current == state
    assert asdict(case) == {
        "state": state,
        "in_scope": True,
        "ministry_code": "VWS",
        "suspended_from": suspended_from,
    }


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"state": "gesloten"}, "'gesloten' is geen toestand van de levenscyclus"),
        ({"state": None}, "heeft geen toestand"),
        ({"state": ["decided"]}, "is geen toestand van de levenscyclus"),
        ({"state": "suspended"}, "bewaart de toestand van vóór de opschorting"),
        ({"state": "suspended", "suspended_from": "decided"}, "suspended_from='decided'"),
        ({"state": "agreed", "suspended_from": "screening"}, "is niet opgeschort, maar bewaart"),
    ],
)
def test_bad_stored_data_raises_integrity_error(fields: dict[str, object], message: str) -> None:
    with pytest.raises(IntegrityError, match=message):
        restore(Case(**fields))  # type: ignore[arg-type]


def test_building_directly_on_bad_stored_data_raises_integrity_error_too() -> None:
    with pytest.raises(IntegrityError):
        CaseLifecycle(model=Case(state="bogus"))


REFUSALS = [
    # state, event, role, payload, what the message must say
    (
        "registered",
        "agree",
        "ministry:VWS",
        None,
        "Stap 'Overeenstemming bereiken' (agree) is nu niet mogelijk: de zaak is in "
        "'Aangemeld'; mogelijk: Beoordeling starten (start_screening), Intrekken (withdraw)",
    ),
    ("registered", "start_screening", "viewer", None, "de rol lezer (viewer) mag alleen lezen"),
    (
        "registered",
        "start_screening",
        "ministry:VWS",
        None,
        "is voorbehouden aan de rol BZK (bzk); de rol ministerie VWS (ministry:VWS) mag dit niet",
    ),
    ("registered", "start_screening", "admin", None, "Onbekende rol 'admin'; kies uit: bzk"),
    ("registered", "start_screening", None, None, "Geen rol opgegeven; kies uit: bzk"),
    (
        "registered",
        "verzinnen",
        "bzk",
        None,
        "Onbekende stap 'verzinnen'; kies uit: Beoordeling starten (start_screening),",
    ),
    (
        "consultation",
        "issue_advice",
        "bzk",
        {},
        "Stap 'BZK-advies uitbrengen' (issue_advice) vraagt om 'location': de gemeente",
    ),
    (
        "consultation",
        "issue_advice",
        "bzk",
        {"location": "Zwolle", "considerations": ADVICE["considerations"]},
        "(issue_advice) vraagt om 'rationale': de motivering van BZK.",
    ),
    (
        "consultation",
        "issue_advice",
        "bzk",
        {"location": "Zwolle", "rationale": "r", "considerations": {"primary_process": "ja"}},
        "ontbreekt: Locatie bij wet vastgelegd (legal_location); Hoge huisvestingskosten",
    ),
    ("advice_issued", "agree", "ministry:FIN", {"location": "Zwolle"}, "hoort bij VWS."),
    (
        "advice_issued",
        "agree",
        "bzk",
        {"location": "Zwolle"},
        "is voorbehouden aan de rol ministerie (ministry); de rol BZK (bzk) mag dit niet",
    ),
    ("advice_issued", "agree", "mr", {"location": "Zwolle"}, "de rol ministerraad (mr) mag dit"),
    ("advice_issued", "escalate_to_mr", "bzk", {"location": "Zwolle"}, "vraagt om 'motivation'"),
    (
        "agreed",
        "decide",
        "ministry:VWS",
        {"location": "Zwolle", "fte": 0},
        "'fte' (het aantal fte op de locatie): geef een getal groter dan 0, niet 0",
    ),
    (
        "agreed",
        "decide",
        "ministry:VWS",
        {"location": "Zwolle", "fte": 120, "follows_advice": "misschien"},
        "'follows_advice'",
    ),
    ("screening", "suspend", "bzk", {}, "Stap 'Opschorten' (suspend) vraagt om 'reason'"),
    ("screening", "suspend", "bzk", {"reden": "x"}, "kent het veld 'reden' niet"),
]


@pytest.mark.parametrize(("state", "event", "role", "payload", "message"), REFUSALS)
def test_refused_events_name_what_is_needed_and_change_nothing(
    state: str, event: str, role: str | None, payload: dict[str, object] | None, message: str
) -> None:
    machine = case_in(state)
    before = asdict(machine.model)
    with pytest.raises(TransitionRefused) as refused:
        machine.send(event, role=role, payload=payload)
    assert message in str(refused.value)
    assert "\n" not in str(refused.value)
    assert asdict(machine.model) == before


def test_the_rules_hold_even_when_the_event_is_called_as_a_method() -> None:
    machine = case_in("consultation")
    with pytest.raises(TransitionRefused, match="vraagt om 'location'"):
        machine.issue_advice(role="bzk")
    with pytest.raises(TransitionRefused, match=r"de rol lezer \(viewer\) mag alleen lezen"):
        machine.issue_advice(role="viewer", payload=ADVICE)
    assert machine.current == "consultation"


@dataclass
class ReadOnlySuspensionStore(Case):
    """A case whose store fails when the suspension is written."""

    def __setattr__(self, name: str, value: object) -> None:
        if name == "suspended_from" and value is not None:
            raise RuntimeError("store is read-only")
        super().__setattr__(name, value)


def test_an_error_in_an_action_propagates_and_the_case_stays_where_it_was() -> None:
    # With the library's default (catch_errors_as_events) the error would become an
    # internal event and the case would be suspended without remembering from where.
    machine = CaseLifecycle(model=ReadOnlySuspensionStore(in_scope=True))
    with pytest.raises(RuntimeError, match="read-only"):
        machine.send("suspend", role="bzk", payload={"reason": "x"})
    assert (machine.model.state, machine.model.suspended_from) == ("registered", None)


@pytest.mark.parametrize("final", sorted(FINAL_STATES))
def test_final_states_accept_nothing(final: str) -> None:
    machine = restore(Case(state=final, in_scope=True))
    for event in EVENT_LABELS:
        with pytest.raises(TransitionRefused, match="is niet mogelijk: de zaak is afgesloten"):
            machine.send(event, role=role_for(event), payload=rules.example_payload(event, 1))
    assert machine.current == final


def test_a_case_just_decided_accepts_nothing_more_in_the_same_process() -> None:
    machine = case_in("agreed")
    step(machine, "decide")
    with pytest.raises(TransitionRefused, match=r"de zaak is afgesloten \(toestand 'Besloten'\)"):
        step(machine, "reconsider")


def test_the_council_of_ministers_may_only_record_its_decision() -> None:
    for event in EVENT_LABELS:
        refused = rules.role_refusal(event, "mr", "VWS", version=1)
        assert (refused is None) == (event == "record_mr_decision"), event


def test_a_viewer_may_send_nothing() -> None:
    assert all(rules.role_refusal(e, "viewer", "VWS", version=1) for e in EVENT_LABELS)
