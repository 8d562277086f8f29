"""``case verify`` against someone with database access but without the audit key.

Each test tampers with the store behind the system's back, as an administrator could: the
audit trail's append-only triggers are dropped first, then rows are edited, re-hashed,
removed or deleted. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import text

from spreiding.models.db import downgrade
from tests.statemachine.tampering import plain_rehash, unguarded

ADVICE = ["--set", "rationale=Regio", "--set", "primary_process=nee",
          "--set", "legal_location=nee", "--set", "housing_cost=nee"]  # fmt: skip


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("SPREIDING_TODAY", "2026-04-20")


def _register(cli, **extra: str) -> int:
    options = {"org": "BD", "type": "groei", "fte": "150", "location": "Den Haag", **extra}
    args = [part for k, v in options.items() for part in (f"--{k}", v)]
    result = cli("case", "register", *args, "--as", "bzk", "--actor", "Anna", "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()["id"]


def _send(cli, cid: int, event: str, *extra: str, role: str = "bzk") -> None:
    result = cli("case", "send", str(cid), event, "--as", role, "--actor", "Anna", *extra)
    assert result.exit_code == 0, result.stderr


def _consulting_case(cli) -> int:
    cid = _register(cli, handler="behandelaar@minbzk.nl", title="Uitbreiding")
    _send(cli, cid, "start_screening")
    _send(cli, cid, "open_consultation")
    return cid


def _problems(cli, *args: str) -> dict:
    result = cli("case", "verify", *args, "--as", "bzk", "--json")
    assert result.exit_code == 1, "verify found nothing wrong"
    return {r["case_id"]: r["problem"] for r in result.json() if not r["ok"]}


def test_a_case_without_events_is_reported_not_a_crash(demo_db, cli, today):
    cid = _register(cli)
    kept = _register(cli)
    with demo_db.engine().begin() as connection:
        unguarded(connection)
        connection.execute(text("DELETE FROM case_event WHERE case_id = :c"), {"c": cid})
    problems = _problems(cli, "--all")
    assert "no audit trail" in problems[cid]
    assert kept not in problems
    assert "no audit trail" in _problems(cli, str(cid))[cid]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("handler_email", "mallory@example.org"),
        ("title", "Iets anders"),
        ("due_date", "2030-01-01"),
        ("suspended_on", "2026-04-20"),
    ],
)
def test_verify_compares_every_field_the_trail_records(demo_db, cli, today, column, value):
    cid = _consulting_case(cli)
    assert cli("case", "verify", str(cid), "--as", "bzk").exit_code == 0
    with demo_db.engine().begin() as connection:
        connection.execute(
            text(f"UPDATE location_case SET {column} = :v WHERE id = :c"), {"v": value, "c": cid}
        )
    problem = _problems(cli, str(cid))[cid]
    assert f"stored {column}" in problem and "differs from the replayed trail" in problem


def test_a_suspended_clock_is_checked_too(demo_db, cli, today, monkeypatch):
    cid = _consulting_case(cli)
    _send(cli, cid, "suspend", "--reason", "wacht op de Kamer")
    monkeypatch.setenv("SPREIDING_TODAY", "2026-05-04")
    _send(cli, cid, "resume", "--reason", "verder")
    assert cli("case", "verify", str(cid), "--as", "bzk").exit_code == 0
    with demo_db.engine().begin() as connection:  # give back fewer days than it stood still
        connection.execute(
            text("UPDATE location_case SET due_date = '2026-06-01' WHERE id = :c"), {"c": cid}
        )
    assert "stored due_date" in _problems(cli, str(cid))[cid]


def test_an_edited_event_rehashed_with_plain_sha256_is_found(demo_db, cli, today):
    cid = _consulting_case(cli)
    with demo_db.engine().begin() as connection:
        unguarded(connection)
        connection.execute(
            text("UPDATE case_event SET actor = 'Mallory' WHERE case_id = :c AND seq = 2"),
            {"c": cid},
        )
        plain_rehash(connection, cid)
    problem = _problems(cli, str(cid))[cid]
    assert problem.startswith("event 1 ") and "edited" in problem


def test_removing_the_last_event_with_the_row_adjusted_is_found(demo_db, cli, today):
    cid = _consulting_case(cli)
    with demo_db.engine().begin() as connection:
        unguarded(connection)
        connection.execute(
            text("DELETE FROM case_event WHERE case_id = :c AND seq = 3"), {"c": cid}
        )
        # the row as it was after event 2: version, state, due date of screening
        connection.execute(
            text(
                "UPDATE location_case SET state = 'screening', version = version - 1, "
                "due_date = '2026-05-04' WHERE id = :c"
            ),
            {"c": cid},
        )
    problem = _problems(cli, str(cid))[cid]
    assert "2 event(s) but its anchor records 3" in problem and "removed" in problem


def test_a_case_deleted_with_its_events_is_found(demo_db, cli, today):
    cid = _consulting_case(cli)
    other = _register(cli)
    with demo_db.engine().begin() as connection:
        unguarded(connection)
        connection.execute(text("DELETE FROM case_event WHERE case_id = :c"), {"c": cid})
        connection.execute(text("DELETE FROM location_case WHERE id = :c"), {"c": cid})
    problems = _problems(cli, "--all")
    assert "deleted with its trail" in problems[cid]
    assert other not in problems


def test_a_case_deleted_with_its_events_and_its_anchor_is_found(demo_db, cli, today):
    cid = _consulting_case(cli)
    _register(cli)
    with demo_db.engine().begin() as connection:
        unguarded(connection)
        connection.execute(text("DELETE FROM case_event WHERE case_id = :c"), {"c": cid})
        connection.execute(text("DELETE FROM location_case WHERE id = :c"), {"c": cid})
        connection.execute(text("DELETE FROM audit_anchor WHERE case_id = :c"), {"c": cid})
    result = cli("case", "verify", "--all", "--as", "bzk")
    assert result.exit_code == 1
    assert "store:" in result.stdout and "records 2 anchored case(s)" in result.stdout
    # A viewer's verification does not see the store-wide ledger (nor deleted cases).
    assert cli("case", "verify", "--all", "--as", "viewer").exit_code == 0


def test_a_replaced_anchor_is_found(demo_db, cli, today):
    cid = _consulting_case(cli)
    with demo_db.engine().begin() as connection:
        connection.execute(
            text("UPDATE audit_anchor SET seq = 2, head = 'x' WHERE case_id = :c"), {"c": cid}
        )
    assert "does not match its seal" in _problems(cli, str(cid))[cid]


def test_init_keeps_the_key_in_the_data_folder_readable_by_its_owner_only(
    configured, cli, tmp_path
):
    assert cli("init").exit_code == 0
    key = tmp_path / "var" / "audit.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    before = key.read_text()
    assert cli("init").exit_code == 0
    assert key.read_text() == before  # a second init keeps the key


def test_the_key_file_can_be_set_and_an_unprotected_one_is_refused(
    configured, cli, tmp_path, monkeypatch
):
    key = tmp_path / "secrets" / "spreiding-audit.key"
    monkeypatch.setenv("SPREIDING_AUDIT_KEY_FILE", str(key))
    assert cli("init", "--demo").exit_code == 0
    assert key.exists() and not (tmp_path / "var" / "audit.key").exists()
    assert cli("case", "verify", "--all", "--as", "bzk").exit_code == 0
    os.chmod(key, 0o644)
    refused = cli("case", "verify", "--all", "--as", "bzk")
    assert refused.exit_code == 2 and "chmod 600" in refused.stderr
    os.chmod(key, 0o600)
    key.unlink()  # a lost key is not silently replaced: the sealed trails need it
    lost = cli("case", "verify", "--all", "--as", "bzk")
    assert lost.exit_code == 2 and "does not exist" in lost.stderr
    assert not key.exists()


def test_trails_from_before_the_key_stay_verifiable_and_are_anchored(demo_db, cli, today):
    cid = _consulting_case(cli)
    engine = demo_db.engine()
    # Make the store what it was before the key: plain SHA-256 chains, no anchors.
    with engine.begin() as connection:
        unguarded(connection)
        plain_rehash(connection, cid)
    downgrade(engine, "0004")
    assert cli("init").exit_code == 0  # upgrades and anchors the existing trail
    assert cli("case", "verify", "--all", "--as", "bzk").exit_code == 0
    _send(cli, cid, "issue_advice", "--set", "location=Groningen", *ADVICE)
    assert cli("case", "verify", "--all", "--as", "bzk").exit_code == 0
    # Its old, unkeyed part can no longer be edited unseen either.
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE case_event SET actor = 'Mallory' WHERE case_id = :c AND seq = 2"),
            {"c": cid},
        )
        plain_rehash(connection, cid)
    assert "event 4 " in _problems(cli, str(cid))[cid]


def test_a_problem_naming_stored_text_is_printed_as_text(demo_db, cli, today):
    cid = _register(cli, title="Uitbreiding")
    with demo_db.engine().begin() as connection:
        connection.execute(
            text("UPDATE location_case SET title = '[/bold] :smile:' WHERE id = :c"), {"c": cid}
        )
    result = cli("case", "verify", str(cid), "--as", "bzk")
    assert result.exit_code == 1
    assert "stored title '[/bold] :smile:'" in result.stdout
