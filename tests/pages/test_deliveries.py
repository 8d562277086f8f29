"""Leveringen in the browser: a file with errors shows every one in the error table and loads
nothing; a valid file shows its totals."""

from __future__ import annotations

from pathlib import Path

from tests.pages.conftest import screenshot, sign_in

YEAR = "2020"  # a peildatum the demo set does not have, so the demo figures stay as they are


def _history_rows(page) -> int:
    table = page.get_by_role("table", name="Alle leveringen, nieuwste eerst")
    return table.locator("tbody tr").count() if table.count() else 0


def _upload(page, path: Path) -> None:
    page.get_by_label("Jaar van de peildatum (1 januari)").fill(YEAR)
    page.get_by_label("Bestand (.csv of .xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Levering uploaden").click()


def test_a_delivery_with_an_error_loads_nothing_and_a_valid_one_shows_its_totals(
    page, site, tmp_path: Path
) -> None:
    sign_in(page, site.emails["ministry:FIN"])
    page.get_by_role("link", name="Leveringen").click()
    before = _history_rows(page)

    bad = tmp_path / "levering-fin.csv"
    bad.write_text("organisatie;gemeente;fte\nBD;Den Haag;10\nBD;Nergenshuizen;5\n")
    _upload(page, bad)
    assert "er is niets geladen" in page.get_by_role("alert").inner_text()
    errors = page.get_by_role("table", name="Fouten in levering-fin.csv")
    row = errors.locator("tbody tr").first.locator("td").all_inner_texts()
    assert row[:3] == ["3", "gemeente", "Nergenshuizen"]
    assert _history_rows(page) == before
    screenshot(page, "leveringen-fouten")

    good = tmp_path / "levering-fin-goed.csv"
    good.write_text("organisatie;gemeente;fte\nBD;Den Haag;10\nBD;Groningen;5,5\n")
    _upload(page, good)
    loaded = page.get_by_role("status").inner_text()
    assert "Levering geladen" in loaded and "15,5 fte" in loaded
    assert _history_rows(page) == before + 1
    history = page.get_by_role("table", name="Alle leveringen, nieuwste eerst")
    ministries = history.locator("tbody tr td:nth-child(2)").all_inner_texts()
    assert set(ministries) == {"FIN"}  # a ministry sees only its own deliveries
    screenshot(page, "leveringen-geladen")


def test_a_delivery_with_three_errors_shows_all_three_and_loads_nothing(
    page, site, tmp_path: Path
) -> None:
    sign_in(page, site.emails["ministry:FIN"])
    page.get_by_role("link", name="Leveringen").click()
    before = _history_rows(page)

    bad = tmp_path / "levering-fin-drie.csv"
    bad.write_text(
        "organisatie;gemeente;fte\n"
        "BD;Den Haag;abc\n"
        "Onbekend;Utrecht;5\n"
        "BD;Atlantis;2\n"
        "BD;Groningen;3\n"
    )
    _upload(page, bad)
    alert = page.get_by_role("alert").inner_text()
    assert "er is niets geladen" in alert and "3 fouten" in alert
    errors = page.get_by_role("table", name="Fouten in levering-fin-drie.csv")
    headers = errors.locator("thead th").all_inner_texts()
    assert headers == ["Regel", "Kolom", "Waarde", "Melding"]
    rows = [r.locator("td").all_inner_texts() for r in errors.locator("tbody tr").all()]
    assert [row[:3] for row in rows] == [
        ["2", "fte", "abc"],
        ["3", "organisatie", "Onbekend"],
        ["4", "gemeente", "Atlantis"],
    ]
    assert "'abc' is geen getal" in rows[0][3]
    assert _history_rows(page) == before
