"""Adding, importing and listing opportunities in a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from spreiding.core.errors import InvalidSubmission
from spreiding.geography.reference import gazetteer
from spreiding.models import RegionalOpportunity
from spreiding.models.db import session_scope
from spreiding.opportunities.store import (
    import_opportunities,
    list_opportunities,
    load_demo_opportunities,
    opportunity_weights,
    regional_weights,
)

from .conftest import GOOD_ROWS


def count(engine, year: int | None = None) -> int:
    query = select(func.count()).select_from(RegionalOpportunity)
    if year is not None:
        query = query.where(RegionalOpportunity.year == year)
    with Session(engine) as session:
        return session.scalar(query)


def test_import_a_good_file_then_again_adds_nothing(demo_db, write_csv, opportunity_cli):
    path = write_csv("kansen-2025.csv")
    first = opportunity_cli("import", str(path), "--year", "2025", "--json")
    assert first.exit_code == 0, first.error
    assert first.json() == {
        "file": "kansen-2025.csv",
        "year": 2025,
        "rows": 3,
        "added": 3,
        "already_present": 0,
    }
    again = opportunity_cli("import", str(path), "--year", "2025")
    assert again.exit_code == 0, again.error
    assert "0 new opportunities, 3 already registered" in again.stdout
    assert count(demo_db.engine()) == 3
    stored = opportunity_cli("list", "--year", "2025", "--json").json()
    assert [(r["region"]["code"], r["submitted_by_kind"], r["submitted_by"]) for r in stored] == [
        ("PV21", "province", "Fryslân"),
        ("CR12", "municipality", "Enschede"),
        ("PV31", "ministry", "EZ"),
    ]
    assert stored[1]["region"] == {
        "level": "corop",
        "code": "CR12",
        "name": "Twente",
        "province_code": "PV23",
        "province_name": "Overijssel",
    }


def test_the_same_file_for_another_year_is_another_inventory(demo_db, write_csv):
    path = write_csv("kansen.csv")
    with session_scope(demo_db.engine()) as session:
        assert import_opportunities(session, path, year=2024).added == 3
        assert import_opportunities(session, path, year=2025).added == 3
    assert (count(demo_db.engine(), 2024), count(demo_db.engine(), 2025)) == (3, 3)


def test_a_file_with_a_bad_row_loads_nothing(demo_db, write_csv, opportunity_cli):
    rows = [*GOOD_ROWS, ("Drenthe", "gemeente", "Enschede", "Zorg", "Zorg op afstand.", "")]
    path = write_csv("kansen-fout.csv", rows, encoding="cp1252")
    result = opportunity_cli("import", str(path), "--year", "2025")
    assert result.exit_code == 2
    assert result.error == (
        "kansen-fout.csv, regel 5, kolom 'ingediend_door': 'Enschede': Drenthe ligt buiten "
        "gemeente Enschede; een provincie of gemeente draagt kansen aan in haar eigen regio"
    )
    assert count(demo_db.engine()) == 0


def test_a_refused_import_leaves_earlier_opportunities_alone(demo_db, write_csv):
    with session_scope(demo_db.engine()) as session:
        import_opportunities(session, write_csv("goed.csv"), year=2025)
    bad = write_csv("fout.csv", [("Atlantis", "provincie", "Zeeland", "Water", "Zee.", "")])
    refused = pytest.raises(InvalidSubmission, match=r"fout\.csv, regel 2, kolom 'regio'")
    with refused, session_scope(demo_db.engine()) as session:
        import_opportunities(session, bad, year=2025)
    assert count(demo_db.engine()) == 3


def test_add_then_add_again_and_list(demo_db, opportunity_cli):
    args = (
        "add",
        "--year",
        "2025",
        "--region",
        "cr14",
        "--by-kind",
        "gemeente",
        "--by",
        "Doetinchem",
        "--theme",
        "Maakindustrie",
        "--description",
        "Familiebedrijven zoeken samenwerking.",
        "--contact",
        "kansen@doetinchem.example",
    )
    added = opportunity_cli(*args, "--json")
    assert added.exit_code == 0, added.error
    data = added.json()
    assert data["created"] is True
    assert data["region"]["name"] == "Achterhoek"
    assert data["contact"] == "kansen@doetinchem.example"
    again = opportunity_cli(*args)
    assert again.exit_code == 0, again.error
    assert f"Already registered as opportunity {data['id']}" in again.stdout
    listed = opportunity_cli("list")
    assert listed.exit_code == 0, listed.error
    assert "Achterhoek (Gelderland)" in listed.stdout
    assert "gemeente Doetinchem" in listed.stdout
    assert "1 opportunity." in listed.stdout
    assert "SYNTHETISCHE DEMODATA" not in listed.stdout
    assert count(demo_db.engine()) == 1


def test_add_refuses_naming_the_option(demo_db, opportunity_cli):
    result = opportunity_cli(
        "add",
        "--year",
        "2025",
        "--region",
        "Zeeland",
        "--by-kind",
        "ministerie",
        "--by",
        "Ministerie van Toverij",
        "--theme",
        "Water",
        "--description",
        "Zee.",
    )
    assert result.exit_code == 2
    assert result.error.startswith(
        "--by: 'Ministerie van Toverij' is geen geregistreerd ministerie"
    )
    assert count(demo_db.engine()) == 0


def test_list_by_region_and_year(demo_db, opportunity_cli):
    with session_scope(demo_db.engine()) as session:
        assert load_demo_opportunities(session, 2024) == 25
        assert load_demo_opportunities(session, 2024) == 0
        assert load_demo_opportunities(session, 2025) == 25
    groningen = opportunity_cli("list", "--year", "2024", "--region", "Groningen", "--json").json()
    # The province's own entry first, then those of its COROP regions.
    assert [r["region"]["code"] for r in groningen] == ["PV20", "PV20", "CR01", "CR02"]
    twente = opportunity_cli("list", "--region", "Twente", "--json").json()
    assert [(r["year"], r["submitted_by"]) for r in twente] == [
        (2024, "Enschede"),
        (2025, "Enschede"),
    ]
    shown = opportunity_cli("list", "--year", "2024", "--region", "CR12")
    assert "SYNTHETISCHE DEMODATA" in shown.stdout
    unknown = opportunity_cli("list", "--region", "Atlantis")
    assert unknown.exit_code == 2
    assert "'Atlantis' is geen provincie of COROP-gebied" in unknown.error


def test_weights_favour_provinces_with_more_opportunities(demo_db):
    engine = demo_db.engine()
    with session_scope(engine) as session:
        assert opportunity_weights(session) == {}
        load_demo_opportunities(session, 2024)
        weights = opportunity_weights(session, 2024)
        rows = list_opportunities(session, year=2024)
    assert sum(weights.values()) == pytest.approx(1.0)
    corop_province = {c.code: c.province_code for c in gazetteer().corop_regions.values()}
    per_province = Counter(corop_province.get(r.region_code, r.region_code) for r in rows)
    # Groningen has 4 entries (2 of them for a COROP region), Drenthe 2, Utrecht none.
    assert per_province["PV20"] == 4
    assert weights["PV20"] == pytest.approx(4 / 25)
    assert weights["PV20"] > weights["PV22"] > 0
    assert "PV26" not in weights
    assert weights == pytest.approx({code: n / len(rows) for code, n in per_province.items()})


def test_weights_default_to_the_latest_inventory(demo_db, write_csv):
    with session_scope(demo_db.engine()) as session:
        load_demo_opportunities(session, 2024)
        import_opportunities(session, write_csv("k.csv", GOOD_ROWS[:1]), year=2025)
        assert opportunity_weights(session) == {"PV21": 1.0}
        assert opportunity_weights(session, 2023) == {}


def test_the_json_says_which_opportunities_are_synthetic_demo_data(demo_db):
    from spreiding.opportunities.store import add_opportunity, list_opportunities, opportunity_json

    with session_scope(demo_db.engine()) as session:
        load_demo_opportunities(session, 2024)
        real, _created = add_opportunity(
            session,
            year=2024,
            region="Twente",
            submitted_by_kind="provincie",
            submitted_by="Overijssel",
            theme="Digitale veiligheid",
            description="Campus voor cyberveiligheid bij de universiteit",
        )
        rows = [opportunity_json(row) for row in list_opportunities(session, year=2024)]
    flags = {row["id"]: row["synthetic"] for row in rows}
    assert flags.pop(real.id) is False
    assert set(flags.values()) == {True}


def test_the_projection_gets_weights_only_outside_the_randstad(demo_db):
    randstad = ("PV26", "PV27", "PV28")
    with session_scope(demo_db.engine()) as session:
        assert regional_weights(session, randstad) is None  # none registered: spread evenly
        load_demo_opportunities(session, 2024)
    with session_scope(demo_db.engine()) as session:
        all_weights = opportunity_weights(session)
        weights = regional_weights(session, randstad)
    assert weights
    assert not set(weights) & set(randstad)
    assert any(code in randstad for code in all_weights)  # the demo has Randstad entries too
    assert weights == {c: w for c, w in all_weights.items() if c not in randstad}
