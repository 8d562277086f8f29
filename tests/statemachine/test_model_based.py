"""Model-based tests of persisted cases: every path of the graph, random sequences, races.

The graph comes from the StateChart itself (``transitions()``); each simple path from
Aangemeld to a final state is driven through the store, and a Hypothesis state machine sends
random events with random roles and data, checking after every step what must always hold.
"""

from __future__ import annotations

import multiprocessing
from datetime import date

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import func, select
from sqlmodel import Session

from spreiding.core.errors import ConflictError, SpreidingError, TransitionRefused
from spreiding.core.settings import ServiceNorms
from spreiding.models import Case, CaseEvent
from spreiding.models.db import make_engine, session_scope
from spreiding.models.loading import init_database
from spreiding.statemachine import rules
from spreiding.statemachine.chart import CURRENT_EVENTS, FINAL_STATES, transitions
from spreiding.statemachine.service import (
    Actor,
    Context,
    get_case,
    register_case,
    send_event,
    trail,
    verify_case,
)
from tests.statemachine.test_paths import simple_paths

CTX = Context(randstad=("PV26", "PV27", "PV28"), norms=ServiceNorms(), today=date(2026, 4, 20))
ROLES = ("bzk", "mr", "viewer", "ministry:FIN", "ministry:JENV")


def _role(event: str, source: str | None = None) -> str:
    kind = rules.example_step(event, source)[0]
    return "ministry:FIN" if kind == "ministry" else kind


def _payload(event: str, source: str | None = None) -> dict:
    payload = rules.example_step(event, source)[1]
    if "location" in payload:
        payload["location"] = "Groningen"
    return payload


def _register(session: Session, fte: float, stage: str | None = None) -> Case:
    return register_case(
        session,
        CTX,
        Actor("Tester", "bzk"),
        organisation="BD",
        case_type="groei",
        fte=fte,
        location="Den Haag",
        stage=stage,
    )


def _feasible(path) -> bool:
    """Whether the guards along a simple path can all hold.

    The scope guards must agree (in scope, or below the threshold), and ``resume`` leads only
    back to the state the case was suspended from, which a simple path has visited already:
    round trips through Opgeschort are tested on their own below.
    """
    guards = {g for edge in path for g in edge[3]}
    return not {"is_in_scope", "is_below_threshold"} <= guards and "returns_to_target" not in guards


PATHS = [p for p in simple_paths("intention") if _feasible(p)]
WAY_IN = {  # the shortest way from Voornemen to each state a case can be suspended from
    "intention": [],
    "registered": ["submit_plan"],
    "screening": ["start_screening"],
    "consultation": ["start_screening", "open_consultation"],
    "advice_issued": ["start_screening", "open_consultation", "issue_advice"],
    "counter_proposal": [
        "start_screening", "open_consultation", "issue_advice", "propose_alternative"
    ],
    "agreed": ["start_screening", "open_consultation", "issue_advice", "accept_advice"],
    "mr_escalation": ["start_screening", "open_consultation", "issue_advice", "escalate_to_mr"],
}  # fmt: skip
for _way in list(WAY_IN.values())[2:]:
    _way.insert(0, "submit_plan")


@pytest.mark.parametrize("path", PATHS, ids=lambda p: "-".join(e[2] for e in p))
def test_every_simple_path_runs_through_the_store(demo_db, path):
    engine = demo_db.engine()
    below = any("is_below_threshold" in edge[3] for edge in path)
    with session_scope(engine) as session:
        case_id = _register(session, 80 if below else 150, "voornemen").id
    for source, target, event, _guards in path:
        with session_scope(engine) as session:
            case = send_event(
                session,
                CTX,
                Actor("Tester", _role(event, source)),
                case_id,
                event,
                _payload(event, source),
            )
            assert (source, case.state) == (source, target)
    with session_scope(engine) as session:
        case = get_case(session, case_id, "bzk")
        assert case.state in FINAL_STATES
        events = trail(session, case_id)
        assert [e.event for e in events] == ["register", *(edge[2] for edge in path)]
        assert verify_case(session, case).ok


@pytest.mark.parametrize("state", sorted(WAY_IN))
def test_a_suspended_case_resumes_where_it_was(demo_db, state):
    engine = demo_db.engine()
    with session_scope(engine) as session:
        case_id = _register(session, 150, "voornemen").id
    for event in [*WAY_IN[state], "suspend", "resume"]:
        with session_scope(engine) as session:  # a new session each time, as after a restart
            send_event(session, CTX, Actor("Tester", _role(event)), case_id, event, _payload(event))
    with session_scope(engine) as session:
        case = get_case(session, case_id, "bzk")
        assert (case.state, case.suspended_from) == (state, None)
        assert verify_case(session, case).ok


def test_an_advice_reconsidered_goes_back_to_consultation_and_can_be_issued_again(demo_db):
    engine = demo_db.engine()
    with session_scope(engine) as session:
        case_id = _register(session, 150, "voornemen").id
    events = [*WAY_IN["advice_issued"], "reconsider", "issue_advice", "accept_advice", "decide"]
    states = []
    for event in events:
        with session_scope(engine) as session:
            states.append(
                send_event(
                    session, CTX, Actor("Tester", _role(event)), case_id, event, _payload(event)
                ).state
            )
    assert states[4:] == ["consultation", "advice_issued", "agreed", "decided"]


def test_the_paths_cover_every_event():
    # Loops (suspend/resume, reconsider) return to a visited state: tested above on their own.
    covered = {e[2] for p in PATHS for e in p} | {"suspend", "resume", "reconsider"}
    assert covered == set(CURRENT_EVENTS)
    assert set(WAY_IN) == {s for s, _t, e, _g in transitions() if e == "suspend"}


def _snapshot(engine):
    with Session(engine) as session:
        cases = session.execute(
            select(Case.id, Case.state, Case.version, Case.suspended_from, Case.due_date).order_by(
                Case.id
            )
        ).all()
        events = session.scalar(select(func.count()).select_from(CaseEvent))
    return [tuple(c) for c in cases], events


class CaseWorld(RuleBasedStateMachine):
    """Random events with random roles and data on a few stored cases."""

    engine = None  # set by the test on a migrated SQLite database with the demo set

    @initialize(fte=st.sampled_from([50, 99, 100, 150, 400]))
    def register(self, fte):
        with session_scope(self.engine) as session:
            self.case_id = _register(session, fte).id
        self.seen_advice = False

    @rule(
        event=st.sampled_from(sorted(CURRENT_EVENTS)),
        role=st.sampled_from(ROLES),
        complete=st.booleans(),
    )
    def send(self, event, role, complete):
        before = _snapshot(self.engine)
        with session_scope(self.engine) as session:
            was = get_case(session, self.case_id, "bzk").state
        payload = _payload(event, was) if complete else {}
        try:
            with session_scope(self.engine) as session:
                case = send_event(session, CTX, Actor("Tester", role), self.case_id, event, payload)
                now = case.state
        except SpreidingError:
            assert _snapshot(self.engine) == before, "a refused event changed the database"
            return
        assert was not in FINAL_STATES, "a final state changed"
        if now == "advice_issued":
            self.seen_advice = True
        if now == "decided":
            assert self.seen_advice, "decided in scope without an issued advice"

    @invariant()
    def stored_state_is_the_replay_of_the_trail(self):
        with session_scope(self.engine) as session:
            case = get_case(session, self.case_id, "bzk")
            assert verify_case(session, case).ok


def test_random_event_sequences_keep_the_invariants(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'world.db'}")
    init_database(engine, with_demo=True)
    CaseWorld.engine = engine
    run = settings(
        max_examples=40,
        stateful_step_count=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )(CaseWorld)
    run.TestCase().runTest()


def _racer(url: str, case_id: int, barrier, results) -> None:
    engine = make_engine(url)
    barrier.wait()
    try:
        with session_scope(engine) as session:
            send_event(
                session,
                CTX,
                Actor("Racer", "bzk"),
                case_id,
                "suspend",
                {"reason": "race"},
                expected_version=2,
            )
        results.put("ok")
    except ConflictError:
        results.put("conflict")
    except TransitionRefused as exc:  # the loser saw the winner's commit: also no lost update
        results.put(f"refused: {exc}")
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_two_processes_racing_on_one_case_lose_no_update(postgres_db, monkeypatch):
    monkeypatch.setenv("SPREIDING_DATABASE_URL", postgres_db.url)
    engine = postgres_db.engine()
    init_database(engine, with_demo=True)
    spawn = multiprocessing.get_context("spawn")
    for _round in range(5):
        with session_scope(engine) as session:
            case_id = _register(session, 150).id
        with session_scope(engine) as session:
            send_event(session, CTX, Actor("Tester", "bzk"), case_id, "start_screening")
        barrier, results = spawn.Barrier(2), spawn.Queue()
        racers = [
            spawn.Process(target=_racer, args=(postgres_db.url, case_id, barrier, results))
            for _ in range(2)
        ]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join(60)
        outcomes = [results.get(timeout=5) for _ in racers]
        assert outcomes.count("ok") == 1, outcomes
        loser = next(o for o in outcomes if o != "ok")
        assert loser == "conflict" or loser.startswith("refused"), outcomes
        with session_scope(engine) as session:
            case = get_case(session, case_id, "bzk")
            assert case.state == "suspended" and case.version == 3
            assert [e.event for e in trail(session, case_id)] == [
                "register",
                "start_screening",
                "suspend",
            ]
            assert verify_case(session, case).ok
