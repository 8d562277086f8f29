"""Listing cases in the database: who sees what (the SQL form of the visibility table agrees
with ``may_view``), the text search, the orders and the pages with their total."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from spreiding.core.settings import get_settings
from spreiding.models.db import session_scope
from spreiding.models.tables import Case, Confidentiality, Ministry, Organisation
from spreiding.statemachine.chart import STATE_LABELS
from spreiding.statemachine.service import (
    VISIBILITY,
    Actor,
    Context,
    find_cases,
    may_view,
    register_case,
    send_event,
    visible_to,
)

TODAY = date(2026, 4, 20)
BZK = Actor("Behandelaar", "bzk")


def _ctx() -> Context:
    settings = get_settings()
    return Context(settings.randstad, settings.norms, TODAY)


def _register(session, organisation: str, **fields) -> int:
    fields = {"case_type": "groei", "fte": 150, "location": "Den Haag", **fields}
    return register_case(session, _ctx(), BZK, organisation=organisation, **fields).id


def test_the_sql_visibility_agrees_with_may_view_for_every_role_ministry_and_level(demo_db):
    engine = demo_db.engine()
    with session_scope(engine) as session:
        ministries = list(session.exec(select(Ministry.code)))
        for code in ministries:
            org = session.exec(select(Organisation).where(Organisation.ministry_code == code))
            first = org.first()
            if first is None:
                continue
            for level in Confidentiality:
                _register(session, first.code, confidentiality=level.value)
    with session_scope(engine) as session:
        cases = list(session.exec(select(Case)))
        assert {(c.ministry_code, c.confidentiality) for c in cases} >= {
            ("FIN", level.value) for level in Confidentiality
        }
        roles = ["bzk", "mr", "viewer", "ministry:NOCASES", *(f"ministry:{m}" for m in ministries)]
        for role in roles:
            in_sql = set(session.exec(select(Case.id).where(visible_to(role))))
            by_rule = {c.id for c in cases if may_view(c, role)}
            assert in_sql == by_rule, role
        # The table is the one both read: every level is seen by someone, not all by all.
        assert VISIBILITY["viewer"] < VISIBILITY["bzk"]


def test_a_search_ignores_case_beyond_ascii_and_reads_wildcards_as_text(demo_db):
    with session_scope(demo_db.engine()) as session:
        elst = _register(session, "BD", title="Uitbreiding ÉLST 100% klaar")
        other = _register(session, "BD", title="Uitbreiding Elst 1000 klaar")
    with session_scope(demo_db.engine()) as session:

        def found(text: str, search=("title", "organisation")) -> set[int]:
            listed = find_cases(session, _ctx(), "bzk", text=text, search=search)
            return {c.id for c in listed.cases}

        assert found("élst") == {elst}
        assert found("100%") == {elst}
        assert found("100_") == set()
        assert found("belastingdienst") >= {elst, other}
        assert found("s-gravenhage") == set()  # the place is searched only when asked
        places = ("title", "organisation", "number", "place")
        assert found("s-gravenhage", places) >= {elst, other}
        assert found(str(other), places) >= {other}


def test_pages_come_in_the_order_asked_with_the_total_of_all_that_match(demo_db):
    with session_scope(demo_db.engine()) as session:
        ids = [_register(session, "BD", fte=100 + n, title=f"Lijst {n}") for n in range(7)]
        send_event(session, _ctx(), BZK, ids[3], "withdraw", {"reason": "test"})
        send_event(session, _ctx(), BZK, ids[5], "start_screening")
    with session_scope(demo_db.engine()) as session:

        def page(sort: str, offset: int = 0, limit: int | None = 3):
            found = find_cases(
                session, _ctx(), "bzk", text="Lijst", sort=sort, limit=limit, offset=offset
            )
            return [c.id for c in found.cases], found.total

        assert page("fte") == (sorted(ids, key=lambda i: -ids.index(i))[:3], 7)
        assert page("id", offset=6) == ([ids[6]], 7)
        assert page("id", offset=9) == ([], 7)
        by_label = sorted(ids, key=lambda i: (STATE_LABELS[_state(session, i)], i))
        assert page("state", limit=None)[0] == by_label
        due = page("due", limit=None)[0]
        assert due[-1] == ids[3]  # withdrawn: no due date, so last


def _state(session, case_id: int) -> str:
    case = session.get(Case, case_id)
    assert case is not None
    return case.state


def test_overdue_and_due_within_leave_out_cases_whose_clock_stands_still(cases, demo_db):
    with session_scope(demo_db.engine()) as session:

        def found(**filters) -> set[int]:
            return {c.id for c in find_cases(session, _ctx(), "bzk", **filters).cases}

        assert found(overdue=True) == {cases["overdue"]}
        assert cases["suspended"] not in found(due_within=100)
        assert found(due_within=0) == {cases["overdue"], cases["due_today"]}
        assert found(due_within=0, handler="PIET@") == {cases["overdue"]}


@pytest.mark.parametrize("sort", ["due", "id", "fte", "state"])
def test_a_light_list_loads_the_same_cases(demo_db, sort):
    with session_scope(demo_db.engine()) as session:
        for n in range(3):
            _register(session, "BD", fte=120 + n)
    with session_scope(demo_db.engine()) as session:
        full = find_cases(session, _ctx(), "bzk", sort=sort).cases
        ids = [c.id for c in full]
    with session_scope(demo_db.engine()) as session:
        light = find_cases(session, _ctx(), "bzk", sort=sort, light=True).cases
        assert len(ids) >= 3 and [c.id for c in light] == ids
        assert [c.flags for c in light] == [[] for _ in ids]  # loaded when read
