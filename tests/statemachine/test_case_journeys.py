"""The case journeys through the command line, on SQLite and PostgreSQL.

Each journey is what a BZK handler, a ministry and the MR do with a real case; the
assertions are what they see: states, the audit trail, refusals that write nothing.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlmodel import Session

from spreiding.models import Case, CaseEvent

ADVICE = [
    "--set",
    "rationale=Versterkt de regio",
    "--set",
    "primary_process=nee",
    "--set",
    "legal_location=nee",
    "--set",
    "housing_cost=ja",
    "--set",
    "housing_cost.note=Leegstaand rijkspand beschikbaar",
]


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("SPREIDING_TODAY", "2026-04-20")


def _try_send(cli, case_id, event, role, *extra, **values):
    """Send an event through the CLI; keyword arguments become ``--set KEY=VALUE``."""
    extra = (*extra, *(part for k, v in values.items() for part in ("--set", f"{k}={v}")))
    return cli("case", "send", str(case_id), event, "--as", role, "--actor", "Tester", *extra)


def _send(cli, case_id, event, role, *extra, **values):
    """Send an event that must be accepted; the case as JSON."""
    result = _try_send(cli, case_id, event, role, *extra, "--json", **values)
    assert result.exit_code == 0, result.stderr
    return result.json()


CASE = {
    "org": "BD",
    "type": "groei",
    "fte": "150",
    "location": "Den Haag",
    "as_": "bzk",
    "actor": "Anna",
}


def _register(cli, **options):
    """Register a case through the CLI: a groei of 150 fte in Den Haag unless told otherwise."""
    args = [
        part
        for key, value in {**CASE, **options}.items()
        for part in (f"--{key.rstrip('_')}", str(value))
    ]
    result = cli("case", "register", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def _database_state(engine):
    with Session(engine) as session:
        cases = session.execute(select(Case.id, Case.state, Case.version).order_by(Case.id)).all()
        events = session.scalar(select(func.count()).select_from(CaseEvent))
    return [tuple(c) for c in cases], events


def _events(cli, case_id, role="bzk"):
    return [
        (e["event"], e["from"], e["to"])
        for e in cli("case", "show", str(case_id), "--as", role, "--json").json()["events"]
    ]


def test_groei_in_den_haag_advised_to_groningen_agreed_and_decided(demo_db, cli, today):
    case = _register(cli, as_="ministry:FIN", actor="Piet")
    assert case["state"] == "registered"
    assert case["allowed_events"] == ["withdraw"]
    cid = case["id"]
    screened = _send(cli, cid, "start_screening", "bzk")
    assert screened["in_scope"] is True
    assert screened["flags"] == ["groei in de Randstad: motiveren"]
    assert screened["ruleset_version"] == "2024.1"
    _send(cli, cid, "open_consultation", "bzk")
    advised = _send(cli, cid, "issue_advice", "bzk", "--set", "location=Groningen", *ADVICE)
    assert advised["state_label"] == "BZK-advies uitgebracht"
    advice = advised["dossier"]["advice"]
    assert advice["location"] == "GM0014"
    assert advice["justifications"] == {}
    agreed = _send(cli, cid, "accept_advice", "ministry:FIN")
    assert agreed["flags"] == []  # the fte now land in Groningen
    decided = _send(cli, cid, "decide", "ministry:FIN", location="Groningen", fte="150")
    assert decided["state"] == "decided"
    assert decided["due_date"] is None
    assert decided["dossier"]["decision"]["deviates_from_advice"] is False
    assert _events(cli, cid) == [
        ("register", None, "registered"),
        ("start_screening", "registered", "screening"),
        ("open_consultation", "screening", "consultation"),
        ("issue_advice", "consultation", "advice_issued"),
        ("accept_advice", "advice_issued", "agreed"),
        ("decide", "agreed", "decided"),
    ]
    assert cli("case", "verify", "--all", "--as", "bzk").exit_code == 0


def test_krimp_in_maastricht_escalated_to_the_mr_which_decides(demo_db, cli, today):
    cid = _register(cli, org="RSP", type="krimp", fte="120", location="Maastricht")["id"]
    flags = _send(cli, cid, "start_screening", "bzk")["flags"]
    assert flags == ["krimp buiten de Randstad: motiveren"]
    _send(cli, cid, "open_consultation", "bzk")
    _send(cli, cid, "issue_advice", "bzk", "--set", "location=Amsterdam", *ADVICE)
    escalated = _send(
        cli,
        cid,
        "escalate_to_mr",
        "ministry:JENV",
        location="Maastricht",
        motivation="De gerechtelijke kaart bepaalt de zetel",
    )
    dossier = escalated["dossier"]["escalation"]
    # One dossier holds the department's choice and the BZK advice together.
    assert dossier["department"]["location"] == "GM0935"
    assert dossier["bzk_advice"]["location"] == "GM0363"
    assert escalated["allowed_events"] == ["withdraw"]  # as the ministry sees it
    refused = _try_send(
        cli, str(cid), "record_mr_decision", "bzk", location="Maastricht", motivation="Zetel"
    )
    assert refused.exit_code == 2 and "voorbehouden aan de rol ministerraad (mr)" in refused.stderr
    decided = _send(
        cli, cid, "record_mr_decision", "mr", location="Maastricht", motivation="De zetel"
    )
    assert decided["dossier"]["decision"]["by"] == "mr"
    assert decided["dossier"]["decision"]["deviates_from_advice"] is True
    assert [e[0] for e in _events(cli, cid)][-2:] == ["escalate_to_mr", "record_mr_decision"]


def test_groei_below_the_threshold_is_out_of_scope(demo_db, cli, today):
    cid = _register(cli, fte="80", location="Zwolle")["id"]
    assert _send(cli, cid, "start_screening", "bzk")["in_scope"] is False
    before = _database_state(demo_db.engine())
    refused = cli("case", "send", str(cid), "open_consultation", "--as", "bzk", "--actor", "A")
    assert refused.exit_code == 2
    assert "binnen de reikwijdte" in refused.stderr
    assert _database_state(demo_db.engine()) == before
    closed = _send(cli, cid, "declare_out_of_scope", "bzk")
    assert closed["state_label"] == "Buiten reikwijdte"
    assert closed["allowed_events"] == []


def test_a_case_withdrawn_while_suspended(demo_db, cli, today, monkeypatch):
    cid = _register(
        cli, org="DUO", type="nieuw", fte="300", location="Utrecht", as_="ministry:OCW", actor="Jan"
    )["id"]
    _send(cli, cid, "start_screening", "bzk")
    suspended = _send(cli, cid, "suspend", "bzk", "--reason", "wacht op de business case")
    assert suspended["state"] == "suspended"
    assert suspended["suspended_from"] == "screening"
    assert suspended["allowed_events"] == ["withdraw", "resume"]
    monkeypatch.setenv("SPREIDING_TODAY", "2026-05-06")
    withdrawn = _send(cli, cid, "withdraw", "ministry:OCW", "--reason", "het plan vervalt")
    assert withdrawn["state"] == "withdrawn"
    assert withdrawn["due_date"] is None
    assert withdrawn["suspended_from"] is None
    trail = cli("case", "show", str(cid), "--as", "bzk", "--json").json()["events"]
    assert trail[-1]["reason"] == "het plan vervalt"
    assert trail[-1]["from"] == "suspended"


def test_suspension_stops_the_clock(demo_db, cli, today, monkeypatch):
    cid = _register(cli, org="DUO", type="nieuw", fte="300", location="Utrecht")["id"]
    screening = _send(cli, cid, "start_screening", "bzk")
    # 20 April 2026 + 10 working days, with Koningsdag (27 April) and 5 May off: 6 May.
    assert screening["due_date"] == "2026-05-06"
    _send(cli, cid, "suspend", "bzk", "--reason", "wachten")
    monkeypatch.setenv("SPREIDING_TODAY", "2026-04-24")  # suspended for 4 working days
    resumed = _send(cli, cid, "resume", "bzk", "--reason", "stukken binnen")
    assert resumed["state"] == "screening"
    assert resumed["due_date"] == "2026-05-12"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["999", "start_screening", "--as", "bzk"], "Zaak 999 bestaat niet"),
        (["1", "start_screening", "--as", "ministry:FIN"], "voorbehouden aan de rol BZK (bzk)"),
        (["1", "start_screening", "--as", "viewer"], "Zaak 1 bestaat niet"),  # intern
        (["1", "start_screening", "--as", "koning"], "Onbekende rol 'koning'"),
        (
            ["1", "issue_advice", "--as", "bzk"],
            "Stap 'BZK-advies uitbrengen' (issue_advice) is nu niet mogelijk: de zaak is in "
            "'Aangemeld'",
        ),
        (["1", "fly_away", "--as", "bzk"], "Onbekende stap 'fly_away'"),
        (["1", "withdraw", "--as", "bzk"], "vraagt om 'reason'"),
        (
            ["1", "withdraw", "--as", "ministry:VWS", "--reason", "x"],
            "handelt alleen in zaken van het eigen ministerie",
        ),
        (["1", "start_screening", "--as", "bzk", "--set", "fte"], "SLEUTEL=WAARDE"),
    ],
)
def test_a_refused_event_is_one_line_exit_2_and_writes_nothing(demo_db, cli, today, args, message):
    _register(cli)
    before = _database_state(demo_db.engine())
    result = cli("case", "send", *args, "--actor", "Tester")
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _database_state(demo_db.engine()) == before


def test_an_advice_without_the_three_considerations_is_refused(demo_db, cli, today):
    cid = _register(cli)["id"]
    _send(cli, cid, "start_screening", "bzk")
    _send(cli, cid, "open_consultation", "bzk")
    before = _database_state(demo_db.engine())
    result = _try_send(
        cli,
        str(cid),
        "issue_advice",
        "bzk",
        location="Assen",
        rationale="Past bij de regio",
        primary_process="nee",
    )
    assert result.exit_code == 2
    assert "legal_location" in result.stderr and "housing_cost" in result.stderr
    assert _database_state(demo_db.engine()) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "NOPE"], "organisatie 'NOPE' is onbekend"),
        (["--location", "Atlantis"], "gemeente 'Atlantis' is onbekend"),
        (["--type", "verhuizing"], "Onbekende soort plan ('case_type') 'verhuizing'"),
        (["--fte", "-5"], "'fte' is een getal van 0 tot en met 100.000, niet -5"),
        (["--fte", "nan"], "'fte' is een getal van 0 tot en met 100.000, niet nan"),
        (["--fte", "inf"], "niet inf"),
        (["--fte", "0"], "'fte': een plan van de soort 'Groei' verplaatst meer dan 0 fte"),
        (
            ["--confidentiality", "geheim"],
            "Onbekende vertrouwelijkheid ('confidentiality') 'geheim'",
        ),
        (["--type", "hervestiging"], "Een hervestiging vraagt om 'target'"),
        (["--handler", "jan@fin.nl, piet@fin.nl"], "is geen geldig e-mailadres"),
        (["--as", "ministry:VWS"], "meldt BZK (bzk) of het ministerie zelf (ministry:FIN)"),
    ],
)
def test_a_bad_registration_names_the_value_and_writes_nothing(demo_db, cli, args, message):
    base = {
        "--org": "BD",
        "--type": "groei",
        "--fte": "150",
        "--location": "Den Haag",
        "--as": "bzk",
        "--actor": "Anna",
    }
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    before = _database_state(demo_db.engine())
    result = cli("case", "register", *[part for pair in base.items() for part in pair])
    assert result.exit_code == 2
    assert message in result.stderr
    assert _database_state(demo_db.engine()) == before


def test_a_vertrouwelijk_case_is_hidden_from_other_ministries_and_viewers(demo_db, cli, today):
    cid = _register(
        cli,
        org="RSP",
        type="krimp",
        fte="200",
        location="Zwolle",
        confidentiality="vertrouwelijk",
        as_="ministry:JENV",
        actor="Kees",
    )["id"]
    for role in ("bzk", "mr", "ministry:JENV"):
        assert cli("case", "show", str(cid), "--as", role).exit_code == 0
        assert [c["id"] for c in cli("case", "list", "--as", role, "--json").json()] == [cid]
    for role in ("viewer", "ministry:FIN"):
        hidden = cli("case", "show", str(cid), "--as", role)
        assert hidden.exit_code == 2 and f"Zaak {cid} bestaat niet" in hidden.stderr
        assert cli("case", "list", "--as", role, "--json").json() == []


def test_case_list_filters_by_state_and_deadline(demo_db, cli, monkeypatch):
    monkeypatch.setenv("SPREIDING_TODAY", "2026-04-01")
    early = _register(cli, location="Assen", actor="A")["id"]
    monkeypatch.setenv("SPREIDING_TODAY", "2026-04-20")
    late = _register(cli, location="Assen", actor="A")["id"]
    _send(cli, late, "start_screening", "bzk")

    def ids(*args):
        return [c["id"] for c in cli("case", "list", "--as", "bzk", "--json", *args).json()]

    assert ids("--overdue") == [early]
    assert ids("--state", "screening") == [late]
    assert ids("--due-within", "5") == [early]
    assert ids("--due-within", "20") == [early, late]
    assert cli("case", "list", "--state", "nergens").exit_code == 2


def test_verify_detects_an_audit_row_edited_behind_its_back(demo_db, cli, today):
    cid = _register(cli)["id"]
    _send(cli, cid, "start_screening", "bzk")
    _send(cli, cid, "open_consultation", "bzk")
    assert cli("case", "verify", str(cid), "--as", "bzk").exit_code == 0
    engine = demo_db.engine()
    # The database refuses edits of the trail ...
    with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
        connection.execute(text("UPDATE case_event SET actor = 'Mallory' WHERE seq = 2"))
    # ... so a tamperer first drops the guard, as a database administrator could.
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER case_event_no_update"))
        else:
            connection.execute(text("DROP TRIGGER case_event_append_only ON case_event"))
        connection.execute(text("UPDATE case_event SET actor = 'Mallory' WHERE seq = 2"))
    result = cli("case", "verify", "--all", "--as", "bzk")
    assert result.exit_code == 1
    assert f"case {cid}" in result.stdout and "event 2" in result.stdout
    assert "edited" in result.stdout


def test_verify_detects_a_state_changed_behind_the_trails_back(demo_db, cli, today):
    cid = _register(cli)["id"]
    with demo_db.engine().begin() as connection:
        connection.execute(
            text("UPDATE location_case SET state = 'agreed' WHERE id = :id"), {"id": cid}
        )
    result = cli("case", "verify", str(cid), "--as", "bzk", "--json")
    assert result.exit_code == 1
    assert "stored state 'agreed'" in result.json()[0]["problem"]


def test_a_stale_version_is_a_conflict_not_a_lost_update(demo_db, cli, today):
    case = _register(cli)
    _send(cli, case["id"], "start_screening", "bzk")
    stale = _try_send(
        cli,
        str(case["id"]),
        "suspend",
        "bzk",
        "--reason",
        "x",
        "--expect-version",
        str(case["version"]),
    )
    assert stale.exit_code == 2
    assert "is gewijzigd sinds u haar opende" in stale.stderr


def _advised_case(cli):
    cid = _register(cli)["id"]
    _send(cli, cid, "start_screening", "bzk")
    _send(cli, cid, "open_consultation", "bzk")
    _send(cli, cid, "issue_advice", "bzk", *ADVICE, location="Groningen")
    return cid


def test_a_case_started_on_version_1_runs_on_under_it_and_its_trail_verifies(
    demo_db, cli, today, monkeypatch
):
    """A case started before lifecycle version 2 keeps the one-sided agree and typed
    follows_advice it started with; its trail, agree included, replays and verifies."""
    monkeypatch.setattr("spreiding.statemachine.service.CURRENT_LIFECYCLE", 1)
    cid = _advised_case(cli)
    monkeypatch.setattr("spreiding.statemachine.service.CURRENT_LIFECYCLE", 2)
    shown = cli("case", "show", str(cid), "--as", "ministry:FIN", "--json").json()
    assert shown["lifecycle_version"] == 1
    assert "agree" in shown["allowed_events"]
    _send(cli, cid, "agree", "ministry:FIN", location="Amsterdam")
    before = _database_state(demo_db.engine())
    result = _try_send(
        cli,
        str(cid),
        "decide",
        "ministry:FIN",
        location="Amsterdam",
        fte="150",
        follows_advice="ja",
    )
    assert result.exit_code == 2
    assert "follows_advice=nee" in result.stderr and "Groningen" in result.stderr
    assert _database_state(demo_db.engine()) == before
    decided = _send(
        cli, cid, "decide", "ministry:FIN", location="Amsterdam", fte=150, follows_advice="nee"
    )
    assert decided["dossier"]["decision"]["deviates_from_advice"] is True
    assert cli("case", "verify", str(cid), "--as", "bzk").exit_code == 0
    # A new case starts on version 2, where agree does not exist.
    new = _register(cli)
    assert new["lifecycle_version"] == 2
    refused = _try_send(cli, new["id"], "agree", "ministry:FIN", location="Assen")
    assert refused.exit_code == 2 and "Onbekende stap 'agree'" in refused.stderr


def test_a_misspelt_part_of_a_consideration_is_refused_not_read_as_yes(demo_db, cli, today):
    cid = _register(cli)["id"]
    _send(cli, cid, "start_screening", "bzk")
    _send(cli, cid, "open_consultation", "bzk")
    result = _try_send(
        cli,
        str(cid),
        "issue_advice",
        "bzk",
        *ADVICE,
        location="Assen",
        **{"housing_cost.notes": "ja"},
    )
    assert result.exit_code == 2
    assert "housing_cost.notes" in result.stderr


def test_verify_and_diagram_do_not_reveal_a_vertrouwelijk_case(demo_db, cli, today, tmp_path):
    cid = _register(cli, confidentiality="vertrouwelijk", org="RSP", as_="ministry:JENV")["id"]
    out = tmp_path / "d.md"
    for args in (
        ["case", "verify", str(cid)],
        ["lifecycle", "diagram", "--format", "md", "--case", str(cid), "--out", str(out)],
    ):
        hidden = cli(*args, "--as", "ministry:FIN")
        assert hidden.exit_code == 2 and f"Zaak {cid} bestaat niet" in hidden.stderr
        assert cli(*args, "--as", "ministry:JENV").exit_code == 0
    listed = cli("case", "verify", "--all", "--as", "viewer", "--json").json()
    assert cid not in [r["case_id"] for r in listed]


def test_verify_detects_a_case_row_edited_behind_the_trails_back(demo_db, cli, today):
    cid = _register(cli, confidentiality="vertrouwelijk")["id"]
    with demo_db.engine().begin() as connection:
        connection.execute(
            text("UPDATE location_case SET confidentiality = 'openbaar' WHERE id = :id"),
            {"id": cid},
        )
    result = cli("case", "verify", "--all", "--as", "bzk", "--json")
    assert result.exit_code == 1
    problem = next(r["problem"] for r in result.json() if r["case_id"] == cid)
    assert "confidentiality 'openbaar'" in problem and "'vertrouwelijk'" in problem


def test_the_trail_cannot_be_emptied_either(demo_db, cli, today):
    _register(cli)
    engine = demo_db.engine()
    statement = (
        "DELETE FROM case_event"
        if engine.dialect.name == "sqlite"
        else ("TRUNCATE case_event CASCADE")
    )
    with pytest.raises(Exception, match="append-only"), engine.begin() as connection:
        connection.execute(text(statement))
    assert cli("case", "verify", "--all", "--as", "bzk").exit_code == 0
