"""The zbo consultation rules and reminders as plain functions, on the demo store.

The rules (cycles, stages, texts) are pure functions; the store tests run on SQLite and
PostgreSQL. Sending the reminders is tested with the flow in ``tests/flows/test_reminders.py``.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlmodel import Session

from spreiding.core.errors import InvalidInput, NotFound
from spreiding.models.db import session_scope
from spreiding.models.tables import ZboCycle, ZboTalk
from spreiding.zbo import consultations as zbo
from spreiding.zbo.consultations import Stage
from tests.zbo.conftest import DUE, FIRST_SEEN


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 5, 20), 12, date(2027, 5, 20)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 6, 1), -6, date(2025, 12, 1)),
        (date(2026, 12, 15), 60, date(2031, 12, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start, months, expected):
    assert zbo.add_months(start, months) == expected


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (date(2026, 5, 1), None),
        (date(2026, 5, 2), Stage.VOORAF),  # 30 days before 1 June
        (date(2026, 5, 31), Stage.VOORAF),
        (date(2026, 6, 1), Stage.OP_DATUM),
        (date(2026, 6, 14), Stage.OP_DATUM),
        (date(2026, 6, 15), Stage.NA_TERMIJN),  # 14 days after
        (date(2027, 3, 1), Stage.NA_TERMIJN),
    ],
)
def test_the_latest_stage_reached_is_the_one_due(today, stage):
    assert zbo.due_stage(today, DUE) is stage


def test_a_zbo_first_seen_is_due_one_cycle_later():
    assert zbo.first_due(date(2026, 1, 5)) == date(2027, 1, 5)
    assert zbo.first_due(date(2026, 1, 31), 1) == date(2026, 2, 28)
    with pytest.raises(InvalidInput, match="1 tot 60 maanden, niet 61"):
        zbo.first_due(date(2026, 1, 5), 61)


def test_reminder_text_names_zbo_ministry_due_date_and_circular():
    subject, body = zbo.reminder_text(
        Stage.VOORAF,
        zbo="Sociale Verzekeringsbank",
        ministry="Ministerie van Sociale Zaken en Werkgelegenheid",
        due=DUE,
        today=date(2026, 5, 2),
        cycle_months=12,
        to_bzk_instead=False,
    )
    assert (
        subject
        == "Herinnering: gesprek over de locatie van Sociale Verzekeringsbank vóór 1 juni 2026"
    )
    for part in (
        "Aan het Ministerie van Sociale Zaken en Werkgelegenheid",
        "uiterlijk 1 juni 2026 gevoerd zijn, over 30 dagen",
        'circulaire "Governance ten aanzien van zbo\'s"',
        "Gesprekscyclus: elke 12 maanden",
    ):
        assert part in body
    assert "contactadres" not in body


def test_the_last_reminder_says_so_and_the_fallback_explains_itself():
    _, body = zbo.reminder_text(
        Stage.NA_TERMIJN,
        zbo="Kadaster",
        ministry="Ministerie van BZK",
        due=DUE,
        today=date(2026, 6, 15),
        cycle_months=12,
        to_bzk_instead=True,
    )
    assert "was 1 juni 2026, 14 dagen geleden" in body
    assert "laatste herinnering" in body
    assert "geen contactadres bekend" in body


def cycles(engine) -> dict[int, ZboCycle]:
    with Session(engine) as session:
        return {c.organisation_id: c for c in session.scalars(select(ZboCycle))}


def test_every_zbo_gets_a_cycle_when_first_seen(demo_db):
    engine = demo_db.engine()
    with session_scope(engine) as session:
        states = zbo.zbo_states(session, FIRST_SEEN)
    assert sorted(s.organisation.code for s in states) == ["CAK", "CBS", "KAD", "RDW", "SVB", "UWV"]
    assert {(c.cycle_months, c.next_due) for c in cycles(engine).values()} == {
        (12, date(2027, 1, 5))
    }
    with session_scope(engine) as session:  # seen again later: unchanged
        zbo.zbo_states(session, date(2026, 3, 1))
    assert {c.next_due for c in cycles(engine).values()} == {date(2027, 1, 5)}


def test_talks_are_recorded_for_zbos_in_order_and_not_ahead(zbos):
    def record(org, held_on, today=date(2026, 6, 1)):
        with session_scope(zbos) as session:
            zbo.record_talk(
                session, org, held_on=held_on, discussed=False, outcome=None, actor="X", today=today
            )

    with pytest.raises(InvalidInput, match="ligt na vandaag"):
        record("SVB", date(2026, 6, 2))
    with pytest.raises(InvalidInput, match="is geen zbo"):
        record("BD", date(2026, 5, 1))
    with pytest.raises(NotFound):
        record("Bestaat niet", date(2026, 5, 1))
    record("SVB", date(2026, 5, 1))
    with pytest.raises(InvalidInput, match="op volgorde vastgelegd"):
        record("SVB", date(2026, 4, 1))
    with Session(zbos) as session:
        (talk,) = session.scalars(select(ZboTalk))
    assert (talk.spreading_discussed, talk.outcome, talk.recorded_by) == (False, None, "X")


def test_changing_the_cycle_moves_the_next_due_date(zbos):
    with session_scope(zbos) as session:
        assert zbo.set_cycle(session, "UWV", months=6, today=FIRST_SEEN).next_due == date(
            2026, 7, 5
        )  # first seen 5 Jan 2026, no talk yet: 6 months on
        zbo.record_talk(
            session,
            "UWV",
            held_on=date(2026, 3, 10),
            discussed=True,
            outcome=None,
            actor="X",
            today=date(2026, 3, 10),
        )
        assert zbo.set_cycle(session, "UWV", months=24, today=FIRST_SEEN).next_due == date(
            2028, 3, 10
        )  # from the last talk
        with pytest.raises(InvalidInput, match="1 tot 60 maanden"):
            zbo.set_cycle(session, "UWV", months=0, today=FIRST_SEEN)
