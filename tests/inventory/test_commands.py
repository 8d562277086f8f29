"""The inventory and report commands, run through the real entry point.

The exit code 2 for a refused file is the contract of :func:`spreiding.cli.main.main`, which turns
any SpreidingError into one line on stderr: :func:`run` goes through it, as a user does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from spreiding.models import Submission, WorkforceCount
from tests.inventory.test_files import BAD


@dataclass
class Result:
    exit_code: int
    stdout: str
    error: str


@pytest.fixture
def run(cli):
    """Run ``spreiding ARGS...`` through the real entry point (the ``cli`` fixture).

    ``error`` is the one line a refusal prints on stderr, without its ``error: `` prefix.
    """

    def invoke(*args: str) -> Result:
        result = cli(*args)
        return Result(result.exit_code, result.stdout, result.error)

    return invoke


def rows(engine) -> tuple[int, int]:
    with Session(engine) as session:
        return (
            session.scalar(select(func.count()).select_from(Submission)),
            session.scalar(select(func.count()).select_from(WorkforceCount)),
        )


@pytest.fixture
def delivery(tmp_path) -> Path:
    path = tmp_path / "ocw-2023.csv"
    path.write_text(
        "organisatie;gemeente;fte\nOCW-KERN;Den Haag;500\nDUO;Groningen;2500,5\n", encoding="utf-8"
    )
    return path


def test_import_loads_a_file_and_says_what_it_replaced(run, demo_db, delivery):
    result = run("inventory", "import", str(delivery), "--year", "2023", "--json")
    assert result.exit_code == 0, result.error
    data = json.loads(result.stdout)
    assert data["status"] == "loaded" and data["ministry_code"] == "OCW"
    assert data["rows"] == 2 and data["total_fte"] == 3000.5 and len(data["superseded"]) == 1
    again = run("inventory", "import", str(delivery), "--year", "2023")
    assert again.exit_code == 0
    assert "was delivered before by OCW" in again.stdout and "nothing changed" in again.stdout


def test_import_of_a_bad_file_exits_2_with_one_line_per_error_and_loads_nothing(cli, demo_db):
    before = rows(demo_db.engine())
    result = cli("inventory", "import", str(BAD / "negatieve-fte.csv"), "--year", "2023")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert all(line.startswith("error: negatieve-fte.csv, regel ") for line in lines)
    assert lines[-1].endswith("kolom 'fte': '-3' is negatief; geef de fte als getal, 0 of meer")
    assert rows(demo_db.engine()) == before


def test_import_of_a_file_with_three_errors_prints_each_on_its_own_line_and_loads_nothing(
    cli, demo_db, tmp_path
):
    before = rows(demo_db.engine())
    path = tmp_path / "ocw-2023.csv"
    path.write_text(
        "organisatie;gemeente;fte\n"
        "OCW-KERN;Den Haag;abc\n"
        "Onbekend;Utrecht;5\n"
        "DUO;Atlantis;2\n"
        "DUO;Groningen;100\n",
        encoding="utf-8",
    )
    result = cli("inventory", "import", str(path), "--year", "2023")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert [line.split(": ", 2)[1] for line in lines] == [
        "ocw-2023.csv, regel 2, kolom 'fte'",
        "ocw-2023.csv, regel 3, kolom 'organisatie'",
        "ocw-2023.csv, regel 4, kolom 'gemeente'",
    ]
    assert all(line.startswith("error: ") for line in lines)
    assert "'abc' is geen getal" in lines[0] and "Traceback" not in result.stderr
    assert rows(demo_db.engine()) == before


def test_import_of_a_missing_file_exits_2(run, demo_db, tmp_path):
    result = run("inventory", "import", str(tmp_path / "weg.csv"), "--year", "2023")
    assert (result.exit_code, result.error) == (
        2,
        "weg.csv: het bestand kan niet worden gelezen; lever het opnieuw",
    )


def test_list_shows_current_and_superseded_deliveries(run, demo_db, delivery):
    run("inventory", "import", str(delivery), "--year", "2023")
    data = json.loads(run("inventory", "list", "--year", "2023", "--json").stdout)
    ocw = [d for d in data if d["ministry_code"] == "OCW"]
    assert [d["status"] for d in ocw] == ["superseded", "current"]
    assert ocw[0]["superseded_by"] == ocw[1]["id"]
    assert ocw[1]["file"] == "ocw-2023.csv" and len(ocw[1]["sha256"]) == 64
    assert ocw[1]["rows"] == 2 and ocw[1]["total_fte"] == 3000.5
    table = run("inventory", "list", "--year", "2023").stdout
    assert "ocw-2023.csv" in table and f"vervangen door {ocw[1]['id']}" in table
    assert len(json.loads(run("inventory", "list", "--json").stdout)) == 37  # 36 demo + 1


def test_missing_lists_the_ministries_without_delivery(run, demo_db):
    assert json.loads(run("inventory", "missing", "--year", "2023", "--json").stdout) == []
    assert "Every ministry has delivered" in run("inventory", "missing", "--year", "2023").stdout
    missing = json.loads(run("inventory", "missing", "--year", "2024", "--json").stdout)
    assert len(missing) == 12 and missing[0] == {
        "code": "AZ",
        "name": "Ministerie van Algemene Zaken",
        "contact": None,
    }


def test_report_write_writes_the_report_from_the_store(run, demo_db, tmp_path):
    result = run("report", "write", "--year", "2023", "--out", str(tmp_path / "r"), "--json")
    assert result.exit_code == 0, result.error
    data = json.loads(result.stdout)
    assert data["total_fte"] == 336_270 and data["synthetic"] is True
    assert "report.html" in data["files"]
    assert (tmp_path / "r" / "report.md").is_file()
    human = run("report", "write", "--year", "2023", "--out", str(tmp_path / "r2"))
    assert "336.270 fte" in human.stdout and "SYNTHETISCHE DEMODATA" in human.stdout


def test_report_for_a_year_without_counts_exits_2(run, demo_db, tmp_path):
    result = run("report", "write", "--year", "2030", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert result.error.startswith("geen fte-tellingen voor peildatum 1 januari 2030")


def test_inventory_demo_writes_one_labelled_delivery_per_demo_ministry(demo_db, cli, tmp_path):
    folder = tmp_path / "inbox"
    from spreiding.models.demo import MINISTRIES

    result = cli("inventory", "demo", "--year", "2023", "--folder", str(folder))
    assert result.exit_code == 0, result.stderr
    assert "SYNTHETISCHE DEMODATA" in result.stdout
    written = sorted(p.name for p in folder.iterdir())
    assert len(written) == len(MINISTRIES)
    loaded = [
        cli("inventory", "import", str(folder / name), "--year", "2023", "--json")
        for name in written
    ]
    assert all(r.exit_code == 0 for r in loaded), [r.stderr for r in loaded]
    assert sum(r.json()["total_fte"] for r in loaded) == 336270


def test_list_is_readable_at_80_columns_with_the_synthetic_label_once(demo_db):
    """A real terminal of 80 columns: one line per delivery, the label once above the table."""
    import os
    import subprocess
    import sys

    MAIN = "from spreiding.cli.main import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", MAIN, "inventory", "list", "--year", "2023"],
        env={**os.environ, "COLUMNS": "80"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    table = [line for line in lines if line[:1] in "┏┃┡│└"]
    assert table and all(len(line) <= 80 for line in table)
    assert done.stdout.count("SYNTHETISCHE DEMODATA") == 1
    assert lines[0].startswith("* SYNTHETISCHE DEMODATA")
    rows = [line for line in lines if line.startswith("│")]
    assert len(rows) == 12  # twelve demo deliveries for 2023, one line each
    assert all("(demodata)" in row for row in rows)
    assert "│ 3 *  │ 2023 │ AZ " in rows[0] and "1.434" in rows[0]


def test_the_report_counts_the_location_cases_of_the_last_year(run, cli, demo_db, tmp_path):
    plans = [("groei", "BD", "150"), ("groei", "BD", "200"), ("krimp", "RSP", "120")]
    ids = []
    for case_type, org, fte in plans:
        registered = cli(
            "case", "register", "--org", org, "--type", case_type, "--fte", fte,
            "--location", "Den Haag", "--as", "bzk", "--actor", "Anna", "--json",
        )  # fmt: skip
        assert registered.exit_code == 0, registered.stderr
        ids.append(json.loads(registered.stdout)["id"])
    first = ids[0]
    screened = cli("case", "send", str(first), "start_screening", "--as", "bzk", "--actor", "Anna")
    assert screened.exit_code == 0, screened.stderr
    result = run("report", "write", "--year", "2023", "--out", str(tmp_path / "r"))
    assert result.exit_code == 0, result.error
    markdown = (tmp_path / "r" / "report.md").read_text("utf-8")
    section = markdown.split("## Locatiezaken van het afgelopen jaar")[1].split("\n## ")[0]
    assert "| Groei | 2 | 1 | 0 | 0 | 0 | 0 |" in section  # one screened: 150 fte, in scope
    assert "| Krimp | 1 | 0 |" in section
    assert "| **Totaal** | **3** |" in section
    assert "SYNTHETISCHE DEMODATA**: ook deze zaken zijn verzonnen." in section  # demo store
    assert "Bron: locatiezaken in spreiding, aangemeld van " in section
    html = (tmp_path / "r" / "report.html").read_text("utf-8")
    assert "<h2>Locatiezaken van het afgelopen jaar</h2>" in html


def test_the_year_of_cases_is_the_twelve_months_up_to_the_report():
    from datetime import date

    from spreiding.inventory.report import case_year_since

    assert case_year_since(date(2026, 12, 1)) == date(2025, 12, 2)
    assert case_year_since(date(2028, 2, 29)) == date(2027, 3, 1)
