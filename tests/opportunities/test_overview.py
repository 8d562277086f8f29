"""The overview per region: grouping, counts, the files and maps it writes."""

from __future__ import annotations

import json
import re

import pytest

from spreiding.models.db import session_scope
from spreiding.opportunities.store import import_opportunities, load_demo_opportunities


@pytest.fixture
def demo_overview(demo_db):
    """The overview of the synthetic demo set, loaded for 2024."""
    from spreiding.opportunities.overview import compile_overview

    with session_scope(demo_db.engine()) as session:
        load_demo_opportunities(session, 2024)
        return compile_overview(session, 2024)


def test_the_overview_groups_per_province_and_region_with_counts(demo_overview):
    overview = demo_overview
    assert overview.year == 2024
    assert overview.total == 25
    assert overview.synthetic is True
    assert [s.code for s in overview.provinces] == [f"PV{n}" for n in range(20, 32)]
    groningen = overview.provinces[0]
    assert (groningen.name, groningen.total, groningen.corop_total) == ("Groningen", 4, 2)
    # The province as a whole first, then its COROP regions in code order.
    assert [(g.region.code, len(g.entries)) for g in groningen.groups] == [
        ("PV20", 2),
        ("CR01", 1),
        ("CR02", 1),
    ]
    utrecht = next(s for s in overview.provinces if s.code == "PV26")
    assert (utrecht.total, utrecht.groups) == (0, ())
    assert overview.province_counts()["PV20"] == 4
    assert overview.province_counts()["PV26"] == 0
    assert sum(overview.province_counts().values()) == 25
    counted = {g.region.code: 1 for g in overview.regions if not g.whole_province}
    assert {c: n for c, n in overview.corop_counts().items() if n} == counted
    assert len(overview.corop_counts()) == 40  # a region without opportunities is a 0
    themes = {t.theme: t.count for t in overview.themes}
    assert sum(themes.values()) == 25
    assert themes["Agrifood"] == 5
    assert [t.count for t in overview.themes] == sorted(themes.values(), reverse=True)
    assert dict(overview.by_kind) == {"municipality": 13, "province": 9, "ministry": 3}


def test_themes_are_grouped_regardless_of_case(demo_db, write_csv):
    from spreiding.opportunities.overview import compile_overview

    rows = [
        ("Fryslân", "provincie", "Fryslân", "Water", "Watertechnologie.", ""),
        ("Zeeland", "provincie", "Zeeland", "water", "Deltakennis.", ""),
        ("Zeeuwsch-Vlaanderen", "gemeente", "Terneuzen", "WATER", "Haven.", ""),
    ]
    with session_scope(demo_db.engine()) as session:
        import_opportunities(session, write_csv("k.csv", rows), year=2025)
        overview = compile_overview(session, 2025)
    assert overview.synthetic is False
    [line] = overview.themes
    assert (line.theme, line.count) == ("WATER", 3)  # each spelling once: the first by name
    assert [r.code for r in line.regions] == ["PV21", "PV29", "CR31"]


def test_the_overview_is_written_as_markdown_html_json_and_maps(demo_overview, tmp_path):
    from spreiding.opportunities.overview import write_overview

    written = write_overview(demo_overview, tmp_path / "out")
    for name in ("markdown", "html", "json", "map-province-png", "map-province-svg"):
        assert written[name].is_file() and written[name].stat().st_size > 0, name
    assert written["map-province-png"].read_bytes().startswith(b"\x89PNG")
    assert written["map-corop-svg"].read_text(encoding="utf-8").lstrip().startswith("<?xml")
    markdown = written["markdown"].read_text(encoding="utf-8")
    assert markdown.startswith("# Regionale kansen 2024\n")
    assert "aangedragen door gemeenten (13), provincies (9), ministeries (3)." in markdown
    assert "SYNTHETISCHE DEMODATA" in markdown
    assert "![Aantal kansen per provincie](regionale-kansen-2024-provincies.png)" in markdown
    assert "| Groningen | 4 | 2 |" in markdown
    assert "## Groningen: 4 kansen" in markdown
    assert "### Twente (COROP-gebied)" in markdown
    assert "Aangedragen door gemeente Enschede; contact: kansen@enschede.example" in markdown
    assert "## Utrecht: 0 kansen\n\nNog geen kansen aangedragen." in markdown
    html = written["html"].read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="nl">' in html
    assert "SYNTHETISCHE DEMODATA" in html
    assert 'src="data:image/svg+xml;base64,' in html  # the maps are inside the page
    assert "http://" not in html.replace("http://www.w3.org", "")  # nothing fetched
    assert 'id="CR12"' in html and '<a href="#CR12">Twente (Overijssel)</a>' in html
    data = json.loads(written["json"].read_text(encoding="utf-8"))
    assert (data["year"], data["total"], data["synthetic"]) == (2024, 25, True)
    assert data["provinces"][0]["regions"][1]["code"] == "CR01"


def test_text_from_submitters_cannot_break_the_pages(demo_db, write_csv, tmp_path):
    from spreiding.opportunities.overview import compile_overview, write_overview

    sneaky = (
        "Zeeland",
        "provincie",
        "Zeeland",
        "Water | <b>Zee</b>",
        "<script>x()</script> [klik](javascript:alert(1)) <img src=x onerror=alert(1)>",
        "",
    )
    with session_scope(demo_db.engine()) as session:
        import_opportunities(session, write_csv("k.csv", [sneaky]), year=2025)
        overview = compile_overview(session, 2025)
    written = write_overview(overview, tmp_path)
    html = written["html"].read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;x()&lt;/script&gt;" in html
    markdown = written["markdown"].read_text(encoding="utf-8")
    assert "| Water \\| \\<b\\>Zee\\</b\\> | 1 |" in markdown  # the table keeps its columns
    assert re.search(r"(?<!\\)<(script|img)", markdown) is None  # no tag, only text
    assert re.search(r"(?<!\\)\]\(javascript:", markdown) is None  # no link from stored text
    assert "\\[klik\\](javascript:alert(1))" in markdown


def test_an_empty_year_still_gives_an_overview(demo_db, tmp_path):
    from spreiding.opportunities.overview import compile_overview, write_overview

    with session_scope(demo_db.engine()) as session:
        overview = compile_overview(session, 2030)
    assert (overview.total, overview.synthetic, overview.themes) == (0, False, ())
    markdown = write_overview(overview, tmp_path)["markdown"].read_text(encoding="utf-8")
    assert "Er zijn voor 2030 nog geen kansen aangedragen." in markdown
    assert "SYNTHETISCHE" not in markdown
