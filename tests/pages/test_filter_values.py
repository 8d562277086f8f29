"""A filter value in a page's address that the page cannot use (a handler of 300 characters,
a sort order of 20, the year ``abc``) shows the page itself: a typed filter gets a Dutch
message at its field, a chosen one (a list of options) falls back to its default. Never
'Niet gevonden' for a page that exists."""

from __future__ import annotations

import pytest

from tests.pages.test_bad_input import _field_error, _signed_in


def test_a_handler_filter_longer_than_any_address_gets_its_message_at_the_field(site) -> None:
    client, _csrf = _signed_in(site, "bzk")
    answer = client.get("/zaken", params={"behandelaar": "a" * 300})
    assert answer.status_code == 422
    assert "<h1>Zaken</h1>" in answer.text
    assert "te lang" in _field_error(answer.text, "behandelaar")
    assert "300" in _field_error(answer.text, "behandelaar")


@pytest.mark.parametrize("name", ["sorteer", "toestand", "soort", "ministerie", "te_laat"])
def test_a_chosen_filter_value_far_too_long_falls_back_to_the_default(site, name) -> None:
    client, _csrf = _signed_in(site, "bzk")
    answer = client.get("/zaken", params={name: "x" * 300})
    assert answer.status_code == 200, answer.text
    assert "<h1>Zaken</h1>" in answer.text


@pytest.mark.parametrize("year", ["abc", "²", "99999", "1066"])
@pytest.mark.parametrize("role", ["ministry:FIN", "bzk"])
def test_a_year_that_is_none_on_leveringen_gets_its_message_at_the_field(site, role, year) -> None:
    client, _csrf = _signed_in(site, role)
    answer = client.get("/leveringen", params={"jaar": year})
    assert answer.status_code == 422
    assert "Peildatum 1 januari" in answer.text
    assert "jaar" in _field_error(answer.text, "jaar")


@pytest.mark.parametrize(
    ("path", "heading"), [("/cijfers", "Cijfers"), ("/kansen", "Regionale kansen")]
)
def test_a_year_that_is_none_on_cijfers_and_kansen_gets_its_message_at_the_field(
    site, path, heading
) -> None:
    client, _csrf = _signed_in(site, "bzk")
    answer = client.get(path, params={"jaar": "abc"})
    assert answer.status_code == 422
    assert f"<h1>{heading}" in answer.text
    assert "jaar" in _field_error(answer.text, "jaar")
