"""Bad values on the command line: one line on stderr, exit code 2, nothing written.

Folders that are files or lie under one, an empty ``--out``, due dates and talk dates out of
any sensible range, roles that name no ministry; and ``zbo list``, a read, writes nothing.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import Session

from spreiding.models.tables import ZboCycle, ZboTalk


def assert_refused(result, start: str) -> None:
    """Exit 2 with one line on stderr that starts with ``error: START``."""
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith(f"error: {start}"), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def count(engine, table) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(table))


def test_inventory_demo_into_a_file_is_refused(demo_db, cli, tmp_path):
    a_file = tmp_path / "levering.csv"
    a_file.write_text("not a folder", encoding="utf-8")
    assert_refused(cli("inventory", "demo", "--folder", str(a_file)), "--folder: ")
    assert_refused(cli("inventory", "demo", "--folder", str(a_file / "sub")), "--folder: ")
    assert a_file.read_text(encoding="utf-8") == "not a folder"


def test_report_write_into_a_file_or_under_one_is_refused(demo_db, cli, tmp_path):
    (tmp_path / "uit").mkdir()
    a_file = tmp_path / "uit" / "rapport"
    a_file.write_text("", encoding="utf-8")
    for out in (a_file, a_file / "2023"):
        assert_refused(cli("report", "write", "--year", "2023", "--out", str(out)), "--out: ")
    assert list((tmp_path / "uit").iterdir()) == [a_file] and a_file.read_text() == ""


def test_report_write_with_an_empty_out_is_refused_and_writes_nothing_here(
    demo_db, cli, tmp_path, monkeypatch
):
    here = tmp_path / "werkmap"
    here.mkdir()
    monkeypatch.chdir(here)
    refused = cli("report", "write", "--year", "2023", "--out", "")
    assert_refused(refused, "--out is leeg; noem een map")
    assert list(here.iterdir()) == []


def test_zbo_dates_out_of_range_are_refused(demo_db, cli, monkeypatch):
    monkeypatch.setenv("SPREIDING_TODAY", "2026-01-05")
    before = cli("zbo", "show", "UWV", "--json").json()
    for due in ("9999-12-31", "1900-01-01", "2031-02-06"):
        refused = cli("zbo", "cycle", "UWV", "--months", "12", "--next-due", due)
        assert_refused(refused, "de volgende gespreksdatum")
    assert cli("zbo", "show", "UWV", "--json").json() == before
    talk = ("zbo", "record", "UWV", "--discussed", "--actor", "A", "--held-on")
    assert_refused(cli(*talk, "1900-06-01"), "een gesprek op 1 juni 1900 is te lang geleden")
    assert count(demo_db.engine(), ZboTalk) == 0
    accepted = cli("zbo", "cycle", "UWV", "--months", "12", "--next-due", "2031-01-05")
    assert accepted.exit_code == 0, accepted.stderr  # 60 months on: the longest cycle


def test_roles_that_name_no_ministry_are_refused(demo_db, cli):
    assert_refused(cli("case", "list", "--as", "ministry:FIN:extra"), "Onbekende rol")
    assert_refused(cli("case", "show", "1", "--as", "ministry:XYZ"), "--as 'ministry:XYZ'")
    register = ("case", "register", "--org", "BD", "--type", "groei", "--fte", "150")
    refused = cli(*register, "--location", "Den Haag", "--as", "ministry:XYZ", "--actor", "A")
    assert_refused(refused, "--as 'ministry:XYZ': ministerie 'XYZ' bestaat niet")
    assert cli("case", "list", "--as", "ministry:fin").exit_code == 0


def test_zbo_list_and_show_write_nothing(demo_db, cli, monkeypatch):
    monkeypatch.setenv("SPREIDING_TODAY", "2026-01-05")
    assert count(demo_db.engine(), ZboCycle) == 0
    listed = cli("zbo", "list", "--json")
    assert listed.exit_code == 0, listed.stderr
    assert {r["code"]: r["next_due"] for r in listed.json()}["SVB"] == "2027-01-05"
    assert cli("zbo", "show", "SVB").exit_code == 0
    assert count(demo_db.engine(), ZboCycle) == 0
