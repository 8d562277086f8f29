"""Hostile input that only looks harmless: numbers that only look like whole numbers (``²``,
a page number of twenty digits) and a NUL character in a search. The pages answer with their
usual fallback or a Dutch page, never an error page or the API's JSON."""

from __future__ import annotations

import pytest

from tests.pages.conftest import cases_titled, plan_form
from tests.pages.test_bad_input import TOKEN, _signed_in


@pytest.mark.parametrize("number", ["²", "١٢", "99999999999999999999"])
def test_a_page_number_that_is_no_plain_whole_number_shows_a_page_of_cases(site, number) -> None:
    client, _csrf = _signed_in(site, "bzk")
    answer = client.get("/zaken", params={"pagina": number})
    assert answer.status_code == 200
    assert "Zaken" in answer.text


def test_a_delivery_year_in_superscript_digits_is_refused_at_the_year_field(site) -> None:
    client, _csrf = _signed_in(site, "ministry:FIN")
    form = client.get("/leveringen")
    answer = client.post(
        "/leveringen",
        data={"csrf_token": TOKEN.search(form.text).group(1), "year": "²⁰²³"},
        files={"file": ("fin-2023.csv", b"organisatie;gemeente;fte\n", "text/csv")},
    )
    assert answer.status_code == 422
    assert "Vul het jaar van de peildatum in" in answer.text


def test_a_search_with_a_nul_character_answers_a_dutch_page_not_json(site) -> None:
    client, _csrf = _signed_in(site, "bzk")
    answer = client.get("/zaken", params={"zoek": "Almere\x00"})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("text/html")
    assert "NUL-teken" in answer.text and "Uitloggen" in answer.text


def test_a_pasted_search_of_5000_characters_is_refused_at_the_search_field(site) -> None:
    client, _csrf = _signed_in(site, "bzk")
    answer = client.get("/zaken", params={"zoek": "a" * 5000})
    assert answer.status_code == 422
    assert "<h1>Zaken</h1>" in answer.text
    assert "De zoektekst is te lang (5.000 tekens)" in answer.text


@pytest.mark.parametrize("version", ["²", "99999999999999999999"])
def test_an_action_form_with_a_version_that_is_no_plain_number_is_no_error_page(
    site, version
) -> None:
    client, csrf = _signed_in(site, "bzk")
    case_id = site.cases[("FIN", "intern")]
    answer = client.post(
        f"/zaken/{case_id}/acties/start_screening",
        data={"csrf_token": csrf, "version": version},
    )
    assert answer.status_code in (303, 409), answer.text
    assert answer.headers.get("content-type", "text/html").startswith("text/html")


@pytest.mark.parametrize("token", ["².abc", "99999999999999999999.abc"])
def test_plan_melden_with_a_forged_form_token_registers_nothing_and_says_so(site, token) -> None:
    client, _csrf = _signed_in(site, "ministry:FIN")
    title = f"Vervalst {token}"
    answer = client.post("/plan-melden", data=plan_form(client, formulier=token, title=title))
    assert answer.status_code == 409, answer.text
    assert cases_titled(site, title) == []


def test_a_municipality_in_superscript_digits_is_unknown_not_an_error(site) -> None:
    client, _csrf = _signed_in(site, "ministry:FIN")
    title = "Gemeente in superscript"
    answer = client.post("/plan-melden", data=plan_form(client, location="²", title=title))
    assert answer.status_code in (404, 422), answer.text
    assert 'id="fout-location"' in answer.text and "Uitloggen" in answer.text
