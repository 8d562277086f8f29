"""The ``spreiding zbo`` commands on the demo store: list, record, cycle, show and outbox."""

from __future__ import annotations

import json
from datetime import date

import pytest

from spreiding.flows.reminders import zbo_consultation_reminders
from spreiding.models.db import session_scope
from spreiding.zbo import consultations as zbo
from tests.zbo.conftest import BZK, DUE, FIRST_SEEN


@pytest.fixture
def zbo_cli(demo_db, cli, monkeypatch):
    """``spreiding zbo ...`` through the real entry point (the ``cli`` fixture)."""
    monkeypatch.setenv("SPREIDING_TODAY", "2026-01-05")

    def run(*args: str):
        return cli("zbo", *args)

    return run


def test_zbo_list_shows_every_zbo_with_its_cycle(zbo_cli):
    result = zbo_cli("list", "--json")
    assert result.exit_code == 0, result.stderr
    rows = {r["code"]: r for r in json.loads(result.stdout)}
    assert sorted(rows) == ["CAK", "CBS", "KAD", "RDW", "SVB", "UWV"]
    assert rows["SVB"] == {
        "code": "SVB",
        "name": "Sociale Verzekeringsbank",
        "ministry_code": "SZW",
        "ministry": "Ministerie van Sociale Zaken en Werkgelegenheid",
        "contact_email": None,
        "cycle_months": 12,
        "next_due": "2027-01-05",
        "overdue": False,
        "stage": None,
        "last_talk": None,
    }
    table = zbo_cli("list")
    assert table.exit_code == 0 and "Sociale Verzekeringsbank (SVB)" in table.stdout


def test_zbo_record_cycle_and_show(zbo_cli, monkeypatch):
    monkeypatch.setenv("SPREIDING_TODAY", "2026-05-21")
    result = zbo_cli(
        "record",
        "SVB",
        "--held-on",
        "2026-05-20",
        "--discussed",
        "--outcome",
        "Opties in Groningen en Heerlen",
        "--actor",
        "Ans de Vries",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "zbo": "SVB",
        "held_on": "2026-05-20",
        "for_due": "2027-05-21",  # first seen today: due one cycle on, now fulfilled
        "spreading_discussed": True,
        "outcome": "Opties in Groningen en Heerlen",
        "recorded_by": "Ans de Vries",
        "next_due": "2027-05-20",
    }
    cycle = zbo_cli("cycle", "SVB", "--months", "6", "--json")
    assert cycle.exit_code == 0, cycle.stderr
    assert (json.loads(cycle.stdout)["cycle_months"], json.loads(cycle.stdout)["next_due"]) == (
        6,
        "2026-11-20",
    )
    shown = zbo_cli("show", "Sociale Verzekeringsbank", "--json")
    assert [t["held_on"] for t in json.loads(shown.stdout)["talks"]] == ["2026-05-20"]
    text = zbo_cli("show", "SVB")
    assert "Opties in Groningen en Heerlen" in text.stdout and "Ans de Vries" in text.stdout


def test_zbo_commands_refuse_unclear_input(zbo_cli):
    missing = zbo_cli("record", "SVB", "--held-on", "2026-01-02", "--actor", "A")
    assert missing.exit_code == 2 and "--discussed or --not-discussed" in missing.error
    bad_date = zbo_cli("record", "SVB", "--held-on", "2 januari", "--discussed", "--actor", "A")
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.error
    not_zbo = zbo_cli("cycle", "BD", "--months", "6")
    assert not_zbo.exit_code == 2 and "is geen zbo" in not_zbo.error


def test_zbo_outbox_shows_what_waits_and_why(zbo_cli, mail_outage, monkeypatch):
    with session_scope() as session:
        zbo.zbo_states(session, FIRST_SEEN)
        zbo.set_cycle(session, "SVB", months=12, today=FIRST_SEEN, next_due=DUE)
    zbo_consultation_reminders.fn(date(2026, 5, 2))
    result = zbo_cli("outbox", "--pending", "--json")
    (row,) = json.loads(result.stdout)
    assert (row["key"], row["to"], row["sent_at"], row["attempts"]) == (
        "zbo:SVB:2026-06-01:vooraf",
        BZK,
        None,
        1,
    )
    assert "ConnectionRefusedError" in row["last_error"]
    table = zbo_cli("outbox")
    assert "wacht" in table.stdout and "zbo-reminder" in table.stdout
