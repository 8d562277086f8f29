"""The memo's procedure (lifecycle version 2) through the command line, SQLite and PostgreSQL.

The journeys of issue 11's "Done when": early involvement (an intention), the two-sided
agreement, the MR when the two do not agree, the computed deviation and the motivations.
Each assertion is what a BZK handler, a ministry or the MR sees.
"""

from __future__ import annotations

import pytest

from tests.statemachine.test_case_journeys import ADVICE, _events, _register, _send, _try_send


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("SPREIDING_TODAY", "2026-04-20")


def _advised(cli, cid, location, *extra):
    _send(cli, cid, "start_screening", "bzk")
    _send(cli, cid, "open_consultation", "bzk")
    return _send(cli, cid, "issue_advice", "bzk", "--set", f"location={location}", *ADVICE, *extra)


def test_1_groei_towards_groningen_accepted_and_decided_only_at_the_agreed_place(
    demo_db, cli, today
):
    case = _register(cli, target="Groningen", as_="ministry:FIN", actor="Piet")
    assert case["lifecycle_version"] == 2
    cid = case["id"]
    screened = _send(cli, cid, "start_screening", "bzk")
    assert screened["flags"] == []  # the fte land in Groningen, outside the Randstad
    _send(cli, cid, "open_consultation", "bzk")
    advised = _send(cli, cid, "issue_advice", "bzk", "--set", "location=Groningen", *ADVICE)
    assert advised["state"] == "advice_issued"
    agreed = _send(cli, cid, "accept_advice", "ministry:FIN")
    assert agreed["state_label"] == "Overeenstemming"
    assert agreed["dossier"]["agreement"]["location"] == "GM0014"
    assert agreed["dossier"]["agreement"]["consented_by"]["role"] == "ministry:FIN"
    refused = _try_send(cli, cid, "decide", "ministry:FIN", location="Assen", fte="150")
    assert refused.exit_code == 2
    assert "reconsider" in refused.stderr
    typed = _try_send(
        cli, cid, "decide", "ministry:FIN", location="Groningen", fte="150", follows_advice="nee"
    )
    assert (
        typed.exit_code == 2 and "volgt uit de geadviseerde en de besloten locatie" in typed.stderr
    )
    far_off = _try_send(cli, cid, "decide", "ministry:FIN", location="Groningen", fte="20")
    assert far_off.exit_code == 2 and "af van de 150 fte in het plan" in far_off.stderr
    decided = _send(cli, cid, "decide", "ministry:FIN", location="Groningen", fte="150")
    assert decided["state"] == "decided"
    assert decided["dossier"]["decision"]["follows_advice"] is True
    assert decided["dossier"]["decision"]["deviates_from_advice"] is False
    assert cli("case", "verify", "--all", "--as", "bzk").exit_code == 0


def test_2_krimp_in_maastricht_counter_proposal_escalated_by_bzk_mr_deviates(demo_db, cli, today):
    cid = _register(cli, org="RSP", type="krimp", fte="120", location="Maastricht")["id"]
    advised = _advised(
        cli, cid, "Den Haag", "--set", "justify.krimp_buiten_randstad=Krimp in Den Haag"
    )
    assert advised["flags"] == ["krimp buiten de Randstad: motiveren"]
    assert advised["dossier"]["advice"]["justifications"] == {
        "krimp_buiten_randstad": "Krimp in Den Haag"
    }
    countered = _send(
        cli,
        cid,
        "propose_alternative",
        "ministry:JENV",
        location="Heerlen",
        motivation="Het personeel woont in Parkstad",
    )
    assert countered["state_label"] == "Tegenvoorstel ministerie"
    assert countered["flags"] == ["krimp buiten de Randstad: motiveren"]  # Heerlen: Limburg
    escalated = _send(cli, cid, "escalate_to_mr", "bzk", motivation="Wij komen er samen niet uit")
    dossier = escalated["dossier"]["escalation"]
    assert dossier["department"]["location"] == "GM0917"  # Heerlen, as the ministry stated it
    assert dossier["department"]["motivation"] == "Het personeel woont in Parkstad"
    assert dossier["department"]["stated_by"]["role"] == "ministry:JENV"
    assert dossier["bzk_advice"]["location"] == "GM0518"
    assert dossier["bzk_advice"]["justifications"] == {"krimp_buiten_randstad": "Krimp in Den Haag"}
    assert dossier["escalated_by"]["role"] == "bzk"
    assert dossier["motivation"] == "Wij komen er samen niet uit"
    unmotivated = _try_send(cli, cid, "record_mr_decision", "mr", location="Heerlen")
    assert unmotivated.exit_code == 2 and "motivation" in unmotivated.stderr
    decided = _send(
        cli,
        cid,
        "record_mr_decision",
        "mr",
        location="Heerlen",
        motivation="Regionale binding weegt zwaarder",
    )
    assert decided["state"] == "decided"
    assert decided["dossier"]["decision"]["deviates_from_advice"] is True
    assert decided["dossier"]["decision"]["by"] == "mr"
    assert cli("case", "verify", "--all", "--as", "bzk").exit_code == 0


def test_3_bzk_cannot_state_the_departments_choice(demo_db, cli, today):
    cid = _register(cli, org="RSP", type="krimp", fte="120", location="Maastricht")["id"]
    _advised(cli, cid, "Den Haag")
    _send(cli, cid, "propose_alternative", "ministry:JENV", location="Heerlen", motivation="M")
    refused = _try_send(cli, cid, "escalate_to_mr", "bzk", location="Groningen", motivation="M")
    assert refused.exit_code == 2
    assert "BZK geeft de keuze van het departement niet op" in refused.stderr
    assert _events(cli, cid)[-1][0] == "propose_alternative"


def test_3b_bzk_escalates_only_from_a_counter_proposal_the_ministry_with_its_location(
    demo_db, cli, today
):
    cid = _register(cli, location="Zwolle", as_="ministry:FIN", actor="Piet")["id"]
    _advised(cli, cid, "Groningen")
    refused = _try_send(cli, cid, "escalate_to_mr", "bzk", motivation="Geen overeenstemming")
    assert refused.exit_code == 2 and "tegenvoorstel" in refused.stderr
    no_place = _try_send(cli, cid, "escalate_to_mr", "ministry:FIN", motivation="Nee")
    assert no_place.exit_code == 2 and "'location'" in no_place.stderr
    escalated = _send(
        cli, cid, "escalate_to_mr", "ministry:FIN", location="Zwolle", motivation="Nabij de klant"
    )
    department = escalated["dossier"]["escalation"]["department"]
    assert department["location"] == "GM0193"  # Zwolle: the registered plan is not lost
    assert department["stated_by"]["role"] == "ministry:FIN"
    assert escalated["dossier"]["escalation"]["bzk_advice"]["location"] == "GM0014"


def test_4_nieuw_registered_without_a_location_bzk_proposes_one(demo_db, cli, today):
    case = _register(cli, org="DUO", type="nieuw", fte="300", location="", as_="ministry:OCW")
    assert case["location"] is None
    cid = case["id"]
    advised = _advised(cli, cid, "Leeuwarden")
    assert advised["dossier"]["advice"]["location"] == "GM0080"
    agreed = _send(cli, cid, "accept_advice", "ministry:OCW")
    assert agreed["dossier"]["agreement"]["location"] == "GM0080"
    decided = _send(cli, cid, "decide", "ministry:OCW", fte="300")
    assert decided["dossier"]["decision"]["location"] == "GM0080"
    assert cli("case", "verify", "--all", "--as", "bzk").exit_code == 0
    refused = cli(
        "case", "register", "--org", "BD", "--type", "groei", "--fte", "150",
        "--as", "bzk", "--actor", "A",
    )  # fmt: skip
    assert refused.exit_code == 2 and "vraagt om 'location'" in refused.stderr


def test_5_an_intention_completed_by_submit_plan(demo_db, cli, today):
    case = _register(
        cli, stage="voornemen", fte="120", location="Den Haag", period="2027-2028",
        as_="ministry:FIN", actor="Piet",
    )  # fmt: skip
    assert case["state"] == "intention"
    assert case["state_label"] == "Voornemen"
    assert case["period"] == "2027-2028"
    assert case["allowed_events"] == ["submit_plan", "withdraw"]
    cid = case["id"]
    plan = _send(cli, cid, "submit_plan", "ministry:FIN", fte="160", target="Zwolle")
    assert plan["state"] == "registered"
    assert plan["fte"] == 160
    assert plan["target"]["name"] == "Zwolle"
    assert _events(cli, cid)[:2] == [
        ("register", None, "intention"),
        ("submit_plan", "intention", "registered"),
    ]
    assert cli("case", "verify", "--all", "--as", "bzk").exit_code == 0


def test_a_masterplan_covers_many_organisations_and_bzk_proposes_where_housing_goes(
    demo_db, cli, today
):
    result = cli(
        "case", "register", "--type", "masterplan", "--area", "Groningen",
        "--org", "BD:120", "--org", "DUO:-20", "--rvb-contact", "R. Vos",
        "--as", "bzk", "--actor", "Anna", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    plan = result.json()
    assert (plan["area"], plan["fte"], plan["location"]) == ("PV20", 100, None)
    assert plan["organisations"] == [
        {"organisation": "BD", "fte": 120},
        {"organisation": "DUO", "fte": -20},
    ]
    assert plan["parties"] == [{"party": "rvb", "name": "R. Vos"}]
    advised = _advised(cli, plan["id"], "Groningen")
    assert advised["in_scope"] is True
    assert advised["dossier"]["advice"]["location"] == "GM0014"  # where the housing goes
    vtw = cli(
        "case", "register", "--type", "vtw", "--masterplan", str(plan["id"]),
        "--org", "BD:30", "--as", "bzk", "--actor", "Anna", "--json",
    )  # fmt: skip
    assert vtw.exit_code == 0, vtw.stderr
    assert (vtw.json()["masterplan"], vtw.json()["area"]) == (plan["id"], "PV20")
    wrong = cli(
        "case", "register", "--type", "vtw", "--masterplan", "999", "--org", "BD:30",
        "--as", "bzk", "--actor", "Anna",
    )  # fmt: skip
    assert wrong.exit_code == 2 and "er is geen masterplan met dat zaaknummer" in wrong.stderr
    no_area = cli(
        "case", "register", "--type", "masterplan", "--org", "BD:30",
        "--as", "bzk", "--actor", "Anna",
    )  # fmt: skip
    assert no_area.exit_code == 2 and "vraagt om 'area'" in no_area.stderr
    assert cli("case", "verify", "--all", "--as", "bzk").exit_code == 0
