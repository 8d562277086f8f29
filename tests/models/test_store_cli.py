"""The foundation journey through the command line, on SQLite and PostgreSQL."""

import re

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from spreiding.models import Organisation, WorkforceCount


def _row_counts(engine):
    with Session(engine) as session:
        return (
            session.scalar(select(func.count()).select_from(Organisation)),
            session.scalar(select(func.count()).select_from(WorkforceCount)),
        )


def test_init_is_idempotent_and_says_the_demo_data_is_synthetic(configured, cli):
    first = cli("init", "--demo")
    assert first.exit_code == 0, first.stderr
    assert "SYNTHETISCHE DEMODATA" in first.stdout
    counts = _row_counts(configured.engine())
    second = cli("init", "--demo")
    assert second.exit_code == 0
    assert "nothing to add" in second.stdout
    assert _row_counts(configured.engine()) == counts


def test_figures_2023_reproduce_the_published_total(demo_db, cli):
    result = cli("figures", "show", "--year", "2023", "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["peildatum"] == "2023-01-01"
    assert data["total_fte"] == 336270
    assert data["synthetic"] is True
    assert len(data["rows"]) == 12
    assert {row["province_code"] for row in data["rows"]} == {f"PV{n}" for n in range(20, 32)}
    west = sum(r["fte"] for r in data["rows"] if r["province_code"] in ("PV26", "PV27", "PV28"))
    assert data["randstad_share"] == pytest.approx(west / 336270, abs=1e-6)
    assert [r["province_code"] for r in data["rows"] if r["randstad"]] == ["PV26", "PV27", "PV28"]


def test_the_randstad_is_a_setting(demo_db, cli, monkeypatch):
    default = cli("figures", "show", "--year", "2022", "--json").json()
    monkeypatch.setenv("SPREIDING_RANDSTAD", "PV24,PV26,PV27,PV28")
    with_flevoland = cli("figures", "show", "--year", "2022", "--json").json()
    flevoland = next(r["fte"] for r in default["rows"] if r["province_code"] == "PV24")
    assert with_flevoland["randstad"] == ["PV24", "PV26", "PV27", "PV28"]
    assert with_flevoland["randstad_share"] == pytest.approx(
        default["randstad_share"] + flevoland / default["total_fte"], abs=1e-5
    )


def test_figures_by_sector_add_up_to_the_total(demo_db, cli):
    data = cli("figures", "show", "--year", "2021", "--by", "sector", "--json").json()
    assert [r["sector"] for r in data["rows"]] == [
        "ministeries",
        "politie",
        "rechtspraak",
        "gevangeniswezen",
        "defensie",
        "zbo",
    ]
    assert sum(r["fte"] for r in data["rows"]) == data["total_fte"] == 311353


def test_figures_by_ministry_add_up_to_the_total(demo_db, cli):
    data = cli("figures", "show", "--year", "2023", "--by", "ministry", "--json").json()
    assert len(data["rows"]) == 12  # the twelve ministries of the demo set
    assert sum(r["fte"] for r in data["rows"]) == data["total_fte"] == 336270
    bzk = next(r for r in data["rows"] if r["ministry_code"] == "BZK")
    assert bzk["name"].startswith("Ministerie van Binnenlandse Zaken")
    assert 0 < bzk["randstad_fte"] <= bzk["fte"]
    table = cli("figures", "show", "--year", "2023", "--by", "ministry")
    assert table.exit_code == 0, table.stderr
    assert "ministerie" in table.stdout and "buiten Randstad" in table.stdout
    assert "Totaal 336.270 fte" in table.stdout


def test_the_province_sector_table_and_the_series_add_up(demo_db):
    from sqlmodel import Session

    from spreiding.models.figures import province_sector, series

    with Session(demo_db.engine()) as session:
        cross = province_sector(session, 2023)
        points = series(session, ("PV26", "PV27", "PV28"))
    assert round(sum(cross.values())) == 336270
    assert [p.peildatum.year for p in points] == sorted(p.peildatum.year for p in points)
    assert len(points) >= 2 and round(points[-1].total_fte) == 336270
    assert 0 < points[-1].randstad_share < 1


def test_the_table_view_labels_synthetic_data(demo_db, cli):
    result = cli("figures", "show", "--year", "2023")
    assert result.exit_code == 0
    assert "Totaal 336.270 fte" in result.stdout  # the Dutch format of the report, not 336,270
    assert "%" in result.stdout and not re.search(r"\d\.\d%", result.stdout)  # 4,3%, not 4.3%
    assert (
        "SYNTHETISCHE DEMODATA: verzonnen verdeling, alleen de gepubliceerde totalen kloppen"
        in result.stdout
    )


def test_org_list_json_has_the_documented_fields(demo_db, cli):
    rows = cli("org", "list", "--json").json()
    uwv = next(r for r in rows if r["code"] == "UWV")
    assert uwv == {
        "code": "UWV",
        "name": "Uitvoeringsinstituut Werknemersverzekeringen",
        "ministry_code": "SZW",
        "sector": "zbo",
        "is_zbo": True,
        "synthetic": True,
    }
    assert any(r["is_zbo"] for r in rows) and not all(r["is_zbo"] for r in rows)


def test_org_add_then_list(demo_db, cli):
    added = cli(
        "org",
        "add",
        "--code",
        "ncsc",
        "--name",
        "Nationaal Cyber Security Centrum",
        "--ministry",
        "jenv",
        "--sector",
        "ministeries",
        "--json",
    )
    assert added.exit_code == 0, added.stderr
    assert added.json()["code"] == "NCSC"
    codes = [r["code"] for r in cli("org", "list", "--ministry", "JENV", "--json").json()]
    assert "NCSC" in codes and "UWV" not in codes


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (
            ["org", "add", "--code", "X1", "--name", "X", "--ministry", "NOPE", "--sector", "zbo"],
            "ministerie 'NOPE' bestaat niet",
        ),
        (
            ["org", "add", "--code", "X1", "--name", "X", "--ministry", "BZK", "--sector", "bos"],
            "sector 'bos' bestaat niet",
        ),
        (
            ["org", "add", "--code", "UWV", "--name", "X", "--ministry", "BZK", "--sector", "zbo"],
            "code 'UWV'",
        ),
        (
            ["org", "add", "--code", "1x", "--name", "X", "--ministry", "BZK", "--sector", "zbo"],
            "'1X' van een organisatie begint met een letter",
        ),
        (["figures", "show", "--year", "2019"], "geen fte-tellingen voor peildatum 1 januari 2019"),
        (["figures", "show", "--year", "2023", "--by", "gemeente"], "'gemeente'"),
        (["place", "find", "Atlantis"], "gemeente 'Atlantis' is onbekend"),
        (["place", "find", "[bold]Atlantis"], "gemeente '[bold]Atlantis' is onbekend"),
    ],
)
def test_a_mistake_gives_one_line_exit_2_and_writes_nothing(demo_db, cli, args, named):
    before = _row_counts(demo_db.engine())
    result = cli(*args)
    assert result.exit_code == 2
    assert named in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _row_counts(demo_db.engine()) == before


def test_a_bad_randstad_setting_is_one_clear_line(demo_db, cli, monkeypatch):
    monkeypatch.setenv("SPREIDING_RANDSTAD", "PV26,PV99")
    result = cli("figures", "show", "--year", "2023")
    assert result.exit_code == 2
    assert "SPREIDING_RANDSTAD" in result.stderr and "PV99" in result.stderr


def test_commands_on_an_empty_database_ask_for_init(configured, cli):
    result = cli("org", "list")
    assert result.exit_code == 2
    assert "spreiding init" in result.stderr


def test_a_read_only_command_does_not_create_a_database_file(sqlite_db, cli, monkeypatch):
    from pathlib import Path

    from sqlalchemy.engine import make_url

    monkeypatch.setenv("SPREIDING_DATABASE_URL", sqlite_db.url)
    result = cli("case", "list")
    assert result.exit_code == 2 and "spreiding init" in result.stderr
    assert not Path(make_url(sqlite_db.url).database).exists()


@pytest.mark.postgres
def test_init_never_prints_the_database_password(postgres_db, cli, monkeypatch):
    from sqlalchemy.engine import make_url

    # The test server trusts local connections, so any password is accepted and ignored.
    url = make_url(postgres_db.url).set(password="geheim-wachtwoord")
    monkeypatch.setenv("SPREIDING_DATABASE_URL", url.render_as_string(hide_password=False))
    result = cli("init")
    assert result.exit_code == 0, result.stderr
    assert "geheim-wachtwoord" not in result.stdout + result.stderr


def test_a_misspelt_nested_setting_is_an_error_not_ignored(configured, cli, monkeypatch):
    monkeypatch.setenv("SPREIDING_NORMS__SCREENNG", "3")
    result = cli("case", "list")
    assert result.exit_code == 2
    assert "SPREIDING_NORMS__SCREENNG" in result.stderr
