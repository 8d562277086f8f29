"""Beheer: a new account's name pasted far too long is refused with the length that was typed,
not the length of what the form kept to show back."""

from __future__ import annotations

import re

from tests.pages.test_bad_input import _signed_in


def test_a_name_of_5000_characters_is_refused_naming_5000(site) -> None:
    client, csrf = _signed_in(site, "beheer")
    form = client.get("/beheer")
    once = re.search(r'name="formulier" value="([^"]+)"', form.text).group(1)
    answer = client.post(
        "/beheer",
        data={"csrf_token": csrf, "formulier": once, "email": "lang@test.example",
              "name": "n" * 5000, "role": "viewer"},
    )  # fmt: skip
    assert answer.status_code == 422
    assert "De naam is te lang (5.000 tekens); ten hoogste 200." in answer.text
