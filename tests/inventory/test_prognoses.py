"""Ministries' own prognoses: optional ``prognose_<year>`` columns in the yearly delivery.

Read and refused like the rest of the file (one line naming file, row, column and value),
stored with their delivery and superseded with it, and shown per ministry in the annual
report (Markdown, HTML and ``prognoses.csv``) in Dutch numbers, labelled when synthetic.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlmodel import Session

from spreiding.core.errors import InvalidSubmission
from spreiding.inventory.deliveries import current_prognoses, import_file
from spreiding.inventory.files import read_submission
from spreiding.inventory.report import build_report
from spreiding.models import Prognosis
from spreiding.models.db import session_scope
from tests.inventory.test_files import resolve_organisation
from tests.inventory.test_import import BZK_CSV, RANDSTAD

# BZK's organisations of the demo set, with prognoses for 2024-2027 given once per organisation
# (Logius on its only row, BZK-KERN on its first, Kadaster (KAD) on its second).
BZK_WITH_PROGNOSES = (
    "organisatie;gemeente;fte;prognose_2024;Prognose 2025;prognose_2026;prognose_2027\n"
    "BZK-KERN;Den Haag;1200,5;1250;1300;1350,5;1400\n"
    "Logius;GM0518;300;310;320;330;340\n"
    "Kadaster;Apeldoorn;80,25;;;;\n"
    "KAD;Groningen;19,25;110;120;130;2140\n"
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def read(path: Path, year: int = 2023):
    return read_submission(path, year=year, resolve_organisation=resolve_organisation)


def refusal(tmp_path: Path, text: str, name: str = "bzk-2023.csv") -> str:
    with pytest.raises(InvalidSubmission) as caught:
        read(write(tmp_path / name, text))
    return str(caught.value)


# --- reading --------------------------------------------------------------------------------


def test_prognoses_are_read_per_organisation_and_year(tmp_path):
    text = (
        "organisatie;gemeente;fte;prognose_2024;prognose_2026\n"
        "BZK;Den Haag;1200,5;1250;1300,5\n"
        "BZK;GM0014;12,5;;\n"
        "RWS;GM0344;300;;\n"
        "RWS;GM0518;80,25;400;410\n"
    )
    parsed = read(write(tmp_path / "bzk-2023.csv", text))
    assert parsed.total_fte == pytest.approx(1593.25)  # the counts are as without prognoses
    found = {(p.organisation, p.year): (p.fte, p.line) for p in parsed.prognoses}
    assert found == {
        ("BZK", 2024): (1250.0, 2),
        ("RWS", 2024): (400.0, 5),
        ("BZK", 2026): (1300.5, 2),
        ("RWS", 2026): (410.0, 5),
    }


def test_a_file_without_prognosis_columns_has_none(tmp_path):
    parsed = read(write(tmp_path / "bzk-2023.csv", "organisatie;gemeente;fte\nBZK;Den Haag;12\n"))
    assert parsed.prognoses == ()


def test_prognoses_in_a_workbook_are_read(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["organisatie", "gemeente", "fte", "prognose_2027"])
    sheet.append(["BZK", "Den Haag", 1200.5, 1400])
    sheet.append(["RWS", "Utrecht", 80.25, 95.5])
    book.save(tmp_path / "bzk-2023.xlsx")
    parsed = read(tmp_path / "bzk-2023.xlsx")
    assert [(p.organisation, p.year, p.fte) for p in parsed.prognoses] == [
        ("BZK", 2027, 1400.0),
        ("RWS", 2027, 95.5),
    ]


def test_a_prognosis_beyond_the_next_four_peildata_is_refused(tmp_path):
    message = refusal(tmp_path, "organisatie;gemeente;fte;prognose_2028\nBZK;Den Haag;12;13\n")
    assert message.startswith("bzk-2023.csv, regel 1, kolom 'prognose_2028':")
    assert "alleen prognoses voor 2024 tot en met 2027" in message


def test_a_prognosis_for_this_year_or_before_is_refused(tmp_path):
    message = refusal(tmp_path, "organisatie;gemeente;fte;prognose_2023\nBZK;Den Haag;12;13\n")
    assert message.startswith("bzk-2023.csv, regel 1, kolom 'prognose_2023':")


def test_a_bad_prognosis_value_is_refused_naming_file_row_column_and_value(tmp_path):
    head = "organisatie;gemeente;fte;prognose_2024\nBZK;Den Haag;12;13\n"
    message = refusal(tmp_path, head + "RWS;Utrecht;5;-3\n")
    assert message == (
        "bzk-2023.csv, regel 3, kolom 'prognose_2024': '-3' is negatief; geef de fte als getal, "
        "0 of meer"
    )
    message = refusal(tmp_path, head + "RWS;Utrecht;5;veel\n")
    assert message.startswith("bzk-2023.csv, regel 3, kolom 'prognose_2024': 'veel' is geen getal")
    message = refusal(tmp_path, head + "RWS;Utrecht;5;1.234\n")
    assert "'1.234' is dubbelzinnig" in message
    message = refusal(tmp_path, head + "RWS;Utrecht;5;250000\n")
    assert "'250000' is meer dan 100.000 fte voor één organisatie;" in message


def test_a_prognosis_given_twice_for_one_organisation_is_refused(tmp_path):
    text = "organisatie;gemeente;fte;prognose_2025\nBZK;Den Haag;12;13\nBZK;Utrecht;5;6\n"
    message = refusal(tmp_path, text)
    assert message.startswith("bzk-2023.csv, regel 3, kolom 'prognose_2025': '6' is een tweede")
    assert "'BZK' in 2025 (regel 2 geeft er al een)" in message


def test_an_organisation_without_a_prognosis_in_a_given_column_is_refused(tmp_path):
    text = "organisatie;gemeente;fte;prognose_2025\nBZK;Den Haag;12;13\nRWS;Utrecht;5;\n"
    message = refusal(tmp_path, text)
    assert message.startswith("bzk-2023.csv, regel 3, kolom 'prognose_2025': leeg voor 'RWS'")
    assert "1 januari 2025" in message


def test_the_same_prognosis_year_twice_is_refused(tmp_path):
    text = "organisatie;gemeente;fte;prognose_2025;Prognose 2025\nBZK;Den Haag;12;13;13\n"
    message = refusal(tmp_path, text)
    assert message.startswith(
        "bzk-2023.csv, regel 1, kolom 'prognose_2025': de kolom staat er twee keer in"
    )


# --- the store ------------------------------------------------------------------------------


def prognosis_rows(engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Prognosis))


def test_prognoses_are_stored_with_their_delivery_and_superseded_with_it(demo_db, tmp_path):
    engine = demo_db.engine()
    result = import_file(write(tmp_path / "bzk-2023.csv", BZK_WITH_PROGNOSES), year=2023)
    assert result.status == "loaded"
    assert result.to_json()["prognosis_years"] == [2024, 2025, 2026, 2027]
    with session_scope(engine) as session:
        (bzk,) = current_prognoses(session, 2023)
    assert bzk.code == "BZK"
    assert bzk.fte == {2024: 1670.0, 2025: 1740.0, 2026: 1810.5, 2027: 3880.0}
    assert prognosis_rows(engine) == 12

    # a newer delivery without prognoses supersedes them: none count, the old ones stay
    import_file(write(tmp_path / "bzk-2023-v2.csv", BZK_CSV), year=2023)
    with session_scope(engine) as session:
        assert current_prognoses(session, 2023) == []
    assert prognosis_rows(engine) == 12


def test_a_refused_prognosis_stores_nothing(demo_db, tmp_path):
    engine = demo_db.engine()
    bad = BZK_WITH_PROGNOSES.replace("340", "-340")
    with pytest.raises(InvalidSubmission, match=r"regel 3, kolom 'prognose_2027': '-340'"):
        import_file(write(tmp_path / "bzk-2023.csv", bad), year=2023)
    assert prognosis_rows(engine) == 0


# --- the annual report ----------------------------------------------------------------------


def test_the_annual_report_shows_the_prognoses_per_ministry(demo_db, tmp_path):
    import_file(write(tmp_path / "bzk-2023.csv", BZK_WITH_PROGNOSES), year=2023)
    out = tmp_path / "rapport"
    with session_scope(demo_db.engine()) as session:
        data, written = build_report(session, 2023, out, RANDSTAD)
    assert out / "prognoses.csv" in written
    assert data.synthetic
    md = (out / "report.md").read_text(encoding="utf-8")
    section = md.split("## Prognoses van de ministeries")[1].split("\n## ")[0]
    assert "SYNTHETISCHE DEMODATA" in section
    header = "| Ministerie | fte 1-1-2023 | prognose 1-1-2024 | prognose 1-1-2025 |"
    assert header in section
    # BZK delivers 1.600 fte now; Dutch numbers, the change to the last prognosis signed
    row = next(line for line in section.splitlines() if "Binnenlandse Zaken" in line)
    assert row.endswith("| 1.600 | 1.670 | 1.740 | 1.811 | 3.880 | +2.280 |"), row
    assert "| **Totaal ministeries met prognoses** | **1.600** | 1.670 |" in section
    assert "Bron: prognoses van de ministeries" in section
    assert "Alleen ministeries die prognoses gaven.\n\n## " in md  # the others gave none
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<h2>Prognoses van de ministeries</h2>" in html
    assert '<td class="num">3.880</td>' in html
    assert 'href="prognoses.csv"' in html
    with (out / "prognoses.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == [
        "ministerie_code",
        "ministerie",
        "fte_2023",
        "prognose_2024",
        "prognose_2025",
        "prognose_2026",
        "prognose_2027",
    ]
    assert rows[1][0] == "BZK" and rows[1][2:] == ["1600", "1670", "1740", "1810,5", "3880"]
    assert rows[-1] == [
        "",
        "Totaal ministeries met prognoses",
        "1600",
        "1670",
        "1740",
        "1810,5",
        "3880",
    ]


def test_a_report_without_prognoses_has_no_prognosis_section(demo_db, tmp_path):
    out = tmp_path / "rapport"
    with session_scope(demo_db.engine()) as session:
        _data, written = build_report(session, 2023, out, RANDSTAD)
    assert out / "prognoses.csv" not in written
    assert "Prognoses" not in (out / "report.md").read_text(encoding="utf-8")


def test_a_refusal_names_the_prognosis_column_as_the_file_writes_it(tmp_path):
    text = "organisatie;gemeente;fte;Prognose 2025\nBZK;Den Haag;12;twaalf\n"
    message = refusal(tmp_path, text)
    assert message.startswith(
        "bzk-2023.csv, regel 2, kolom 'Prognose 2025': 'twaalf' is geen getal"
    )
    book = Workbook()
    sheet = book.active
    sheet.append(["organisatie", "gemeente", "fte", "prognose_2024"])
    sheet.append(["BZK", "Den Haag", 12, -1])
    book.save(tmp_path / "bzk-2023.xlsx")
    with pytest.raises(InvalidSubmission) as caught:
        read(tmp_path / "bzk-2023.xlsx")
    assert str(caught.value).startswith(
        "bzk-2023.xlsx, regel 2, kolom 'prognose_2024' (cel D2): '-1' is negatief"
    )


def test_the_reminder_tells_a_ministry_how_to_give_its_prognoses():
    from spreiding.inventory.deliveries import reminder_text

    _subject, body = reminder_text("Ministerie van Financiën", 2023)
    assert "'prognose_2024' tot en met 'prognose_2027'" in body
