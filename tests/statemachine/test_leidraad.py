"""The leidraad as data through the command line, on SQLite and PostgreSQL (journeys 6, 7)."""

from __future__ import annotations

import pytest

from tests.statemachine.test_case_journeys import _register, _send


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("SPREIDING_TODAY", "2026-04-20")


def test_6_a_version_effective_tomorrow_leaves_todays_cases_on_the_old_one(
    demo_db, cli, today, monkeypatch, tmp_path
):
    shown = cli("leidraad", "show", "--format", "toml")
    assert shown.exit_code == 0, shown.stderr
    assert 'version = "2024.1"' in shown.stdout and "source = " in shown.stdout
    assert "counter_proposal = 10" in shown.stdout and "intention = 20" in shown.stdout
    new = tmp_path / "leidraad-2026.toml"
    new.write_text(
        shown.stdout.replace('version = "2024.1"', 'version = "2026.1"')
        .replace("threshold_fte = 100", "threshold_fte = 50")
        .replace("screening = 10", "screening = 5"),
        encoding="utf-8",
    )
    refused = cli(
        "leidraad", "new", "--from", str(new), "--effective", "2026-04-21", "--actor", "A",
        "--as", "ministry:FIN",
    )  # fmt: skip
    assert refused.exit_code == 2 and "voegt BZK (bzk) toe" in refused.stderr
    past = cli("leidraad", "new", "--from", str(new), "--effective", "2026-04-01", "--actor", "A")
    assert past.exit_code == 2 and "1 april 2026 ligt in het verleden" in past.stderr
    added = cli("leidraad", "new", "--from", str(new), "--effective", "2026-04-21", "--actor", "A")
    assert added.exit_code == 0, added.stderr
    today_case = _register(cli, fte="60", location="Zwolle")["id"]
    screened = _send(cli, today_case, "start_screening", "bzk")
    assert (screened["in_scope"], screened["ruleset_version"]) == (False, "2024.1")
    assert screened["due_date"] == "2026-05-06"  # 10 working days: the norm of 2024.1
    monkeypatch.setenv("SPREIDING_TODAY", "2026-04-21")
    tomorrow_case = _register(cli, fte="60", location="Zwolle")["id"]
    screened = _send(cli, tomorrow_case, "start_screening", "bzk")
    assert (screened["in_scope"], screened["ruleset_version"]) == (True, "2026.1")
    assert screened["due_date"] == "2026-04-29"  # 5 working days (Koningsdag off): 2026.1
    kept = cli("case", "show", str(today_case), "--as", "bzk", "--json").json()
    assert kept["ruleset_version"] == "2024.1"
    old = cli("leidraad", "show", "--version", "2024.1", "--format", "json").json()
    assert old["scope"]["threshold_fte"] == 100
    assert [h["version"] for h in old["history"]] == ["2024.1", "2026.1"]
    assert cli("case", "verify", "--all", "--as", "bzk").exit_code == 0


def test_7_evaluate_summarises_the_demo_cases(demo_db, cli, today):
    from spreiding.cli.cases import current_context
    from spreiding.models.db import get_engine, session_scope
    from spreiding.statemachine.demo import create_demo_cases

    with session_scope(get_engine()) as session:
        assert create_demo_cases(session, current_context()) > 0
    result = cli("leidraad", "evaluate", "--json")
    assert result.exit_code == 0, result.stderr
    summary = result.json()
    assert summary["leidraad_version"] == "2024.1"
    groei = summary["per_type"]["groei"]
    assert groei["cases"] == 3 and groei["decided"] == 1 and groei["advice_followed"] == 1
    krimp = summary["per_type"]["krimp"]
    assert krimp["counter_proposals"] == 1 and krimp["mr_escalations"] == 1
    assert groei["invoked"] == {"housing_cost": 1}
    assert summary["per_type"]["groei"]["days"]["registered"]["norm"] == 5
