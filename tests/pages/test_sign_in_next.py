"""Signing in leads back to the page asked for, and only ever to a page of this site.

A page opened signed out sends the browser to Inloggen with the page in ``volgende``; after
signing in the browser is on that page. Whatever ``volgende`` says that is not a path on this
site (another host, a scheme, a backslash, control characters) leads to the start page.
"""

from __future__ import annotations

import re

import httpx
import pytest

from tests.pages.conftest import screenshot
from tests.web.conftest import PASSWORD, Server

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_a_case_opened_signed_out_opens_after_signing_in(page, site) -> None:
    case_id = site.cases[("FIN", "intern")]
    page.goto(f"/zaken/{case_id}")
    page.get_by_role("heading", name="Inloggen").wait_for()
    assert "volgende=" in page.url
    page.get_by_label("E-mailadres").fill(site.emails["ministry:FIN"])
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name=f"Zaak {case_id}").wait_for()
    assert page.url == f"{site.url}/zaken/{case_id}"
    screenshot(page, "inloggen-terug-naar-zaak")


def test_a_wrong_password_keeps_the_page_asked_for(page, site) -> None:
    page.goto("/zaken?te_laat=ja&zoek=Matrix")
    page.get_by_label("E-mailadres").fill(site.emails["bzk"])
    page.get_by_label("Wachtwoord").fill("niet het wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("alert").wait_for()
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Zaken").wait_for()
    assert page.url == f"{site.url}/zaken?te_laat=ja&zoek=Matrix"


def _sign_in_with_next(site: Server, following: str) -> httpx.Response:
    client = httpx.Client(base_url=site.url, timeout=30)
    form = client.get("/")
    token = TOKEN.search(form.text).group(1)
    return client.post(
        "/inloggen",
        data={
            "email": site.emails["viewer"],
            "password": PASSWORD,
            "csrf_token": token,
            "volgende": following,
        },
    )


@pytest.mark.parametrize(
    "following",
    [
        "//evil.example/zaken",
        "https://evil.example/",
        "http:/evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/zaken\r\nSet-Cookie: x=1",
        "/zaken\tx",
        "/\x00evil",
        "javascript:alert(1)",
        "zaken/5",
        " /zaken",
        "/" + "a" * 3000,
    ],
)
def test_sign_in_never_sends_the_browser_off_the_site(site, following: str) -> None:
    answer = _sign_in_with_next(site, following)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"


def test_sign_in_sends_the_browser_to_a_path_of_this_site(site) -> None:
    answer = _sign_in_with_next(site, "/zaken?q=Groningen&page=2")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/zaken?q=Groningen&page=2"


def test_a_hostile_next_page_is_not_put_in_the_sign_in_form(site) -> None:
    form = httpx.get(f"{site.url}/", params={"volgende": "//evil.example"}, timeout=30)
    assert 'name="volgende"' not in form.text
    asked = httpx.get(f"{site.url}/", params={"volgende": "/zaken/3"}, timeout=30)
    assert 'name="volgende" value="/zaken/3"' in asked.text
