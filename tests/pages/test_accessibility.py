"""Every page through axe-core in Chromium: no serious or critical violation; a screenshot
of each to ``build/screens/`` for review (not compared pixel by pixel)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from spreiding.core.synthetic import SYNTHETIC_MARK
from tests.pages.conftest import screenshot, sign_in

BAD = ("serious", "critical")


def _check(page, name: str) -> None:
    results = Axe().run(page)
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in BAD
    ]
    screenshot(page, name)
    assert not found, f"{name}: " + "; ".join(found)


def test_the_sign_in_page(page) -> None:
    page.goto("/")
    _check(page, "inloggen")
    page.goto("/zaken/1")  # signed out: Inloggen, that leads back to the case
    page.get_by_label("E-mailadres").fill("niemand@test.example")
    page.get_by_label("Wachtwoord").fill("niet het goede wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("alert").wait_for()
    _check(page, "inloggen-mislukt")


@pytest.mark.parametrize("role", ["bzk", "ministry:FIN"])
def test_every_page_of_a_role(page, site, role: str) -> None:
    sign_in(page, site.emails[role])
    slug = role.replace(":", "-").lower()
    _check(page, f"werkvoorraad-{slug}")
    for path, name in [
        ("/zaken", "zaken"),
        ("/zaken?toestand=advice_issued&sorteer=fte", "zaken-gefilterd"),
        (f"/zaken/{site.cases[('FIN', 'intern')]}", "zaak-aangemeld"),
        ("/zaken/2", "zaak-demo"),
        ("/plan-melden", "plan-melden-formulier"),
        ("/leveringen", "leveringen"),
        ("/cijfers", "cijfers"),
        ("/kansen", "kansen"),
        ("/zbo", "zbo"),
        ("/projecties", "projecties"),
        ("/zaken/999999", "niet-gevonden"),
    ]:
        page.goto(path)
        _check(page, f"{name}-{slug}")
    page.goto(f"/zaken/{site.cases[('FIN', 'openbaar')]}")
    first = page.locator("ul.actions a.button").first
    if first.count():
        first.click()
        _check(page, f"actie-{slug}")


def test_bzk_sees_who_delivered_and_who_has_not(page, site) -> None:
    sign_in(page, site.emails["bzk"])
    page.goto("/leveringen?jaar=2023")
    delivered = page.locator("section[aria-labelledby=geleverd]").inner_text()
    missing = page.locator("section[aria-labelledby=ontbreekt]").inner_text()
    assert "(FIN)" in delivered and "(FIN)" not in missing
    assert "Nog niet geleverd" in missing


def test_beheer_manages_accounts_and_sees_no_cases(page, site) -> None:
    sign_in(page, site.emails["beheer"])
    page.get_by_role("heading", name="Beheer: accounts").wait_for()
    _check(page, "beheer")
    page.get_by_label("E-mailadres").fill("nieuw@test.example")
    page.get_by_label("Naam").fill("Nieuwe lezer")
    page.get_by_label("Rol").select_option("viewer")  # chosen from the list of roles
    page.get_by_role("button", name="Account toevoegen").click()
    assert "nieuw@test.example aangemaakt" in page.get_by_role("status").inner_text()
    _check(page, "beheer-account-aangemaakt")
    page.get_by_role("link", name="Account nieuw@test.example beheren").click()
    page.get_by_role("heading", name="Account nieuw@test.example").wait_for()
    _check(page, "beheer-account")
    page.get_by_role("button", name="Account blokkeren").click()
    page.locator("#fout-bevestig").wait_for()
    _check(page, "beheer-account-bevestiging-ontbreekt")
    page.get_by_role("button", name="Nieuw wachtwoord maken").click()
    page.get_by_role("status").wait_for()
    _check(page, "beheer-account-nieuw-wachtwoord")
    answer = page.goto("/zaken")
    assert answer is not None and answer.status == 403
    assert page.get_by_role("heading", name="Niet toegestaan").is_visible()


def test_projecties_lists_each_output_folder_with_its_bijsluiter(page, site) -> None:
    folder = site.settings.data_dir / "projectie-browsertest"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.csv").write_text("scenario,jaar\nnieuwe-aanpak,2033\n", encoding="utf-8")
    (folder / "bijsluiter.html").write_text(
        "<!doctype html><html lang=nl><title>Bijsluiter</title><h1>Bijsluiter</h1></html>",
        encoding="utf-8",
    )
    sign_in(page, site.emails["viewer"])
    page.get_by_role("link", name="Projecties").click()
    page.get_by_role("heading", name="projectie-browsertest").wait_for()
    _check(page, "projecties-met-map")
    page.get_by_role("link", name="Bijsluiter van projectie-browsertest").click()
    page.get_by_role("heading", name="Bijsluiter").wait_for()


def test_cijfers_draws_the_map_and_downloads_each_table_as_csv(page, site) -> None:
    sign_in(page, site.emails["viewer"])
    page.get_by_role("link", name="Cijfers").click()
    page.get_by_role("heading", name="Cijfers 1 januari 2023").wait_for()
    kaart = page.get_by_role("img", name=re.compile("Kaart van Nederland"))
    kaart.wait_for()
    page.wait_for_function("document.querySelector('figure.map img').naturalWidth > 0")
    per_province = page.get_by_role("table", name="Fte per provincie op 1 januari 2023")
    assert "Groningen" in per_province.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download per sector als CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == SYNTHETIC_MARK
    assert lines[1].split(";")[:3] == ["sector", "naam", "fte_2023"]
    assert re.search(r";\d{1,3}(\.\d{3})*,\d;", lines[2])  # Dutch numbers: 103.281,0


def test_zaken_sorts_by_a_column_and_filters_on_ministry(page, site) -> None:
    sign_in(page, site.emails["bzk"])
    page.goto("/zaken")
    page.get_by_role("link", name="Fte (sorteren)").click()
    page.wait_for_url(re.compile("sorteer=fte"))
    table = page.locator("main table")
    cells = table.locator("tbody td.num").all_inner_texts()
    # Dutch numbers, 1.234,5: other tests on the shared site add plans with decimals.
    numbers = [float(t.replace(".", "").replace(",", ".")) for t in cells]
    assert numbers == sorted(numbers, reverse=True)
    assert table.locator("th[aria-sort]").inner_text().startswith("Fte")
    page.get_by_label("Ministerie").select_option("JENV")
    page.get_by_role("button", name="Toon zaken").click()
    ministries = page.locator("main table tbody td:nth-child(2)").all_inner_texts()
    assert ministries and all(m.endswith("(JENV)") for m in ministries)
