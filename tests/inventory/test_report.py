"""The yearly report is a pure function of its data: numbers, Dutch texts, files, same bytes."""

from __future__ import annotations

import csv
import hashlib
import re
from datetime import date
from pathlib import Path

import pytest

from spreiding.core.dutch import percentage as percent
from spreiding.core.dutch import points, signed, whole
from spreiding.inventory.report import (
    MinistryLine,
    ProvinceLine,
    ReportData,
    SectorLine,
    render,
    write_report,
)
from spreiding.models.figures import SeriesPoint

FILES = [
    "kaart-fte.png",
    "kaart-fte.svg",
    "kaart-verandering-pct.png",
    "kaart-verandering-pct.svg",
    "kaart-verandering.png",
    "kaart-verandering.svg",
    "per-ministerie.csv",
    "per-provincie-en-sector.csv",
    "per-provincie.csv",
    "per-sector.csv",
    "reeks.csv",
    "reeks.png",
    "reeks.svg",
    "report.html",
    "report.md",
    "staafdiagram-provincies.png",
    "staafdiagram-provincies.svg",
]

# 12 provinces: fte now and a year earlier; Zuid-Holland shrinks, Groningen grows most.
PROVINCES = (
    ("PV20", "Groningen", False, 15_000.0, 13_000.0),
    ("PV21", "Fryslân", False, 7_000.0, 6_900.0),
    ("PV22", "Drenthe", False, 8_000.0, 7_900.0),
    ("PV23", "Overijssel", False, 16_000.0, 15_500.0),
    ("PV24", "Flevoland", False, 6_500.0, 6_400.0),
    ("PV25", "Gelderland", False, 35_000.0, 34_000.0),
    ("PV26", "Utrecht", True, 38_000.0, 38_100.0),
    ("PV27", "Noord-Holland", True, 63_000.0, 62_000.0),
    ("PV28", "Zuid-Holland", True, 95_000.0, 96_000.0),
    ("PV29", "Zeeland", False, 4_500.0, 4_400.0),
    ("PV30", "Noord-Brabant", False, 29_000.0, 28_000.0),
    ("PV31", "Limburg", False, 12_750.5, 12_500.0),
)


def data(*, synthetic: bool = False, previous: bool = True, missing=()) -> ReportData:
    return ReportData(
        year=2023,
        provinces=tuple(
            ProvinceLine(code, name, randstad, fte, before if previous else None)
            for code, name, randstad, fte, before in PROVINCES
        ),
        sectors=(
            SectorLine("ministeries", 200_000.0, 120_000.0),
            SectorLine("politie", 129_750.5, 76_000.0),
        ),
        synthetic=synthetic,
        delivered=(("BZK", "Ministerie van BZK"),),
        missing=missing,
        has_previous=previous,
        ministries=(
            MinistryLine("BZK", "Ministerie van BZK", 129_750.5, 76_000.0),
            MinistryLine("FIN", "Ministerie van Financiën", 200_000.0, 120_000.0),
        ),
        cross=tuple(
            (code, sector, fte * share)
            for code, _n, _r, fte, _b in PROVINCES
            for sector, share in (("ministeries", 0.6), ("politie", 0.4))
        ),
        series=(
            SeriesPoint(date(2021, 1, 1), 320_000.0, 200_000.0, synthetic),
            *(
                (SeriesPoint(date(2022, 1, 1), 324_700.0, 196_100.0, synthetic),)
                if previous
                else ()
            ),
            SeriesPoint(date(2023, 1, 1), 329_750.5, 196_000.0, synthetic),
        ),
    )


def test_dutch_numbers():
    assert whole(336_270.4) == "336.270"
    assert whole(0.2) == "0"
    assert whole(329_750.5) == "329.751"  # half away from zero, not to even
    assert signed(14_873.6) == "+14.874"
    assert signed(-1_000) == "-1.000"
    assert signed(-0.3) == "0"
    assert percent(0.5975) == "59,8%"
    assert percent(0.046, sign=True) == "+4,6%"
    assert percent(-0.0104, sign=True) == "-1,0%"
    assert points(0.0021) == "+0,2 procentpunt"


def test_totals_changes_and_movers():
    report = data()
    assert report.total == pytest.approx(329_750.5)
    assert report.previous_total == pytest.approx(324_700.0)
    assert report.change == pytest.approx(5_050.5)
    assert [p.name for p in report.growers()] == ["Groningen", "Gelderland", "Noord-Holland"]
    assert [p.name for p in report.fastest_growers()] == [
        "Groningen",  # +15,4%
        "Noord-Brabant",  # +3,6%
        "Overijssel",  # +3,2%
    ]
    assert [p.name for p in report.shrinkers()] == ["Zuid-Holland", "Utrecht"]
    assert report.randstad_names == "Noord-Holland, Utrecht en Zuid-Holland"
    assert report.outside_change == pytest.approx(5_150.5)


def test_the_markdown_report_reads_as_a_report_to_parliament():
    text = render(data(), "report.md.j2", {"kaart-fte", "kaart-verandering"})
    assert text.startswith(
        "# Rapportage spreiding rijkswerkgelegenheid, peildatum 1 januari 2023\n"
    )
    assert "**329.751 fte**, +5.051 fte (+1,6%) ten opzichte van 1 januari 2022" in text
    assert "Grootste krimp: Zuid-Holland (-1.000 fte, -1,0%), Utrecht (-100 fte, -0,3%)" in text
    assert "| Groningen |  | 15.000 | 4,5% | 13.000 | +2.000 | +15,4% |" in text
    assert "SYNTHETISCHE DEMODATA" not in text
    assert "Voorlopige cijfers" not in text


def test_synthetic_data_is_said_prominently_in_markdown_and_html():
    for template in ("report.md.j2", "report.html.j2"):
        text = render(data(synthetic=True), template, set())
        first_lines = "\n".join(text.splitlines()[:30])
        assert "SYNTHETISCHE DEMODATA" in first_lines, template


def test_missing_ministries_make_the_figures_provisional():
    text = render(data(missing=(("VWS", "Ministerie van VWS"),)), "report.md.j2", set())
    assert "**Voorlopige cijfers.** Nog niet geleverd: Ministerie van VWS (VWS)." in text
    assert "Geleverd door 1 van de 2 ministeries." in text


def test_without_last_year_there_is_no_change_column_and_no_change_map(tmp_path):
    written = write_report(data(previous=False), tmp_path)
    assert "kaart-verandering.png" not in [p.name for p in written]
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "Cijfers over 1 januari 2022 ontbreken" in text
    assert "| Provincie | Randstad | fte 1-1-2023 | aandeel |\n" in text


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_the_same_data_gives_the_same_bytes(tmp_path):
    first = write_report(data(synthetic=True), tmp_path / "a")
    write_report(data(synthetic=True), tmp_path / "b")
    assert [p.name for p in first] == FILES
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")


def test_the_html_is_self_contained(tmp_path):
    write_report(data(synthetic=True), tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<style>" in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)  # nothing from the network
    for source in re.findall(r'src="([^"]+)"', html):
        assert (tmp_path / source).is_file()
    assert html.count('class="synthetic"') == 1


def test_charts_carry_the_synthetic_label(tmp_path):
    write_report(data(synthetic=True), tmp_path)
    for name in ("kaart-fte.svg", "kaart-verandering.svg", "staafdiagram-provincies.svg"):
        svg = (tmp_path / name).read_text(encoding="utf-8")
        assert "SYNTHETISCHE DEMODATA" in svg, name
        assert "<dc:date>" not in svg


def test_the_csv_files_open_in_dutch_excel(tmp_path):
    write_report(data(), tmp_path)
    raw = (tmp_path / "per-provincie.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel shows Fryslân, not FryslÃ¢n
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][:4] == ["provincie_code", "provincie", "randstad", "fte_2023"]
    assert rows[0][4] == "aandeel_pct" and rows[0][7] == "verandering_pct"  # both in percent
    assert rows[12] == ["PV31", "Limburg", "nee", "12750,5", "3,87", "12500", "250,5", "2"]
    assert rows[13][:4] == ["NL", "Totaal", "", "329750,5"]
    sectors = list(
        csv.reader((tmp_path / "per-sector.csv").read_text("utf-8-sig").splitlines(), delimiter=";")
    )
    assert sectors[1] == [
        "ministeries",
        "Ministeries en uitvoeringsorganisaties",
        "200000",
        "120000",
        "80000",
        "60",
    ]
    assert sectors[0][-1] == "aandeel_randstad_pct"


def test_the_annual_report_has_the_letters_tables_and_the_series(tmp_path):
    write_report(data(), tmp_path)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    for text in (html, md):
        assert "Rijkswerkgelegenheid per provincie en sector" in text
        assert "Rijkswerkgelegenheid per ministerie" in text
        assert "Ontwikkeling 2021-2023" in text
        assert "Bedragen" not in text and "Aantallen fte zijn afgerond op hele fte" in text
    # province x sector: Groningen's 15.000 fte split 60/40 over the two sectors
    assert "| Groningen | 9.000 | 6.000 | 15.000 |" in md
    assert "| Ministerie van Financiën | 200.000 | 60,7% | 120.000 | 40,0% |" in md
    assert "| 1 januari 2021 | 320.000 | 200.000 | 37,5% |" in md
    assert 'src="reeks.svg"' in html and 'src="kaart-verandering-pct.svg"' in html
    # a source line under every chart
    figures = re.findall(r"<figure>.*?</figure>", html, re.S)
    assert len(figures) == 5
    assert all('class="source">Bron: opgaven van de ministeries' in f for f in figures)
    ministries = list(
        csv.reader(
            (tmp_path / "per-ministerie.csv").read_text("utf-8-sig").splitlines(), delimiter=";"
        )
    )
    assert ministries[2] == ["FIN", "Ministerie van Financiën", "200000", "120000", "60,65", "40"]
    series = (tmp_path / "reeks.csv").read_text("utf-8-sig").splitlines()
    assert (
        series[0] == "peildatum;fte;fte_randstad;aandeel_randstad_pct;aandeel_buiten_randstad_pct"
    )


def test_stored_names_cannot_break_the_markdown_tables():
    odd = ReportData(
        **{
            **{f: getattr(data(), f) for f in ReportData.__dataclass_fields__},
            "ministries": (MinistryLine("X", "A | *B*", 1.0, 0.0),),
        }
    )
    text = render(odd, "report.md.j2", set())
    assert "| A \\| \\*B\\* | 1 |" in text
