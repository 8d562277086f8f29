"""Beheer: a ``beheer`` account blocks and unblocks accounts, changes a role chosen from the
list and gives a new password (shown once), through the accounts service; a blocked account's
sessions and API tokens stop at once; a beheer cannot block itself."""

from __future__ import annotations

import re

import httpx

from spreiding.accounts.store import create_token, find_account
from spreiding.models.db import get_engine, session_scope
from tests.pages.conftest import screenshot, sign_in
from tests.web.conftest import PASSWORD, Server

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _browser_session(site: Server, email: str, password: str = PASSWORD) -> httpx.Client:
    """A client signed in through the Inloggen form, as a browser would be."""
    client = httpx.Client(base_url=site.url, timeout=30)
    token = TOKEN.search(client.get("/").text).group(1)
    answer = client.post(
        "/inloggen", data={"email": email, "password": password, "csrf_token": token}
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/", answer.text
    return client


def _api_token(site: Server, email: str) -> str:
    with session_scope(get_engine(site.settings.sqlalchemy_url)) as session:
        return create_token(session, find_account(session, email), days=5).secret


def _open_account(page, email: str) -> None:
    page.goto("/beheer")
    page.get_by_role("link", name=f"Account {email} beheren").click()
    page.get_by_role("heading", name=f"Account {email}").wait_for()


def test_blocking_asks_for_confirmation_and_stops_sessions_and_tokens_at_once(page, site) -> None:
    email = site.new_account("ministry:FIN")
    browser_of_user = _browser_session(site, email)
    token = _api_token(site, email)
    assert browser_of_user.get("/zaken").status_code == 200
    assert site.client().get("/cases", headers={"Authorization": f"Bearer {token}"}).is_success

    sign_in(page, site.emails["beheer"])
    _open_account(page, email)
    page.get_by_role("button", name="Account blokkeren").click()
    message = page.locator("#fout-bevestig")
    message.wait_for()
    assert message.inner_text() == "Vink aan dat u dit account wilt blokkeren."
    assert browser_of_user.get("/zaken").status_code == 200  # nothing happened yet

    page.get_by_label("Ja, blokkeer dit account").check()
    page.get_by_role("button", name="Account blokkeren").click()
    page.get_by_role("status").filter(has_text="Het account is geblokkeerd").wait_for()
    screenshot(page, "beheer-account-geblokkeerd")
    recorded = f"spreiding.accounts INFO account {email}: disabled by Test beheer ("
    assert any(line.startswith(recorded) for line in site.logs.lines)  # who did it

    stopped = browser_of_user.get("/zaken")
    assert stopped.status_code == 303 and stopped.headers["location"].startswith("/?verlopen")
    refused = site.client().get("/cases", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401
    form = httpx.Client(base_url=site.url, timeout=30)
    csrf = TOKEN.search(form.get("/").text).group(1)
    again = form.post("/inloggen", data={"email": email, "password": PASSWORD, "csrf_token": csrf})
    assert again.status_code == 401

    page.get_by_role("button", name="Account deblokkeren").click()
    page.get_by_role("status").filter(has_text="gedeblokkeerd").wait_for()
    assert _browser_session(site, email).get("/zaken").status_code == 200


def test_the_role_is_chosen_from_the_list_of_roles_and_ministries(page, site) -> None:
    email = site.new_account("viewer")
    sign_in(page, site.emails["beheer"])
    _open_account(page, email)
    options = page.get_by_label("Rol").locator("option").all_inner_texts()
    assert "Lezer" in options and "Secretariaat ministerraad" in options
    assert any(o.endswith("(FIN)") and "Financi" in o for o in options)  # by name
    page.get_by_label("Rol").select_option("ministry:JENV")
    page.get_by_role("button", name="Rol wijzigen").click()
    page.get_by_role("status").filter(has_text="De rol is gewijzigd").wait_for()
    assert "(JENV)" in page.locator("dl.facts").inner_text()
    with session_scope(get_engine(site.settings.sqlalchemy_url)) as session:
        assert find_account(session, email).role == "ministry:JENV"


def test_a_role_not_in_the_list_is_refused_next_to_the_field(site) -> None:
    email = site.new_account("viewer")
    admin = _browser_session(site, site.emails["beheer"])
    with session_scope(get_engine(site.settings.sqlalchemy_url)) as session:
        account_id = find_account(session, email).id
    csrf = TOKEN.search(admin.get(f"/beheer/accounts/{account_id}").text).group(1)
    answer = admin.post(
        f"/beheer/accounts/{account_id}/rol", data={"csrf_token": csrf, "role": "koning"}
    )
    assert answer.status_code == 422
    assert 'id="fout-role">Kies een rol uit de lijst.<' in answer.text
    with session_scope(get_engine(site.settings.sqlalchemy_url)) as session:
        assert find_account(session, email).role == "viewer"


def test_a_new_password_is_shown_once_and_the_old_one_stops(page, site) -> None:
    email = site.new_account("bzk")
    user = _browser_session(site, email)
    sign_in(page, site.emails["beheer"])
    _open_account(page, email)
    page.get_by_role("button", name="Nieuw wachtwoord maken").click()
    shown = page.get_by_role("status").filter(has_text="wordt alleen nu getoond")
    shown.wait_for()
    password = shown.locator("code").inner_text()
    assert user.get("/zaken").status_code == 303  # signed out
    assert _browser_session(site, email, password).get("/zaken").status_code == 200
    page.reload()
    assert password not in page.content()


def test_a_beheer_cannot_block_its_own_account(page, site) -> None:
    email = site.new_account("beheer")
    sign_in(page, email)
    _open_account(page, email)
    page.get_by_label("Ja, blokkeer dit account").check()
    page.get_by_role("button", name="Account blokkeren").click()
    message = page.locator("#fout-bevestig")
    message.wait_for()
    assert message.inner_text() == "U kunt uw eigen account niet blokkeren."
    page.goto("/beheer")  # still signed in
    page.get_by_role("heading", name="Beheer: accounts").wait_for()
    page.get_by_role("link", name=f"Account {email} beheren").click()
    page.get_by_label("Rol").select_option("bzk")
    page.get_by_role("button", name="Rol wijzigen").click()
    page.locator("#fout-role").wait_for()
    assert page.locator("#fout-role").inner_text() == "U kunt uw eigen rol niet wijzigen."


def test_only_beheer_opens_an_account_page(site) -> None:
    bzk = _browser_session(site, site.emails["bzk"])
    assert bzk.get("/beheer/accounts/1").status_code == 403
    admin = _browser_session(site, site.emails["beheer"])
    assert admin.get("/beheer/accounts/999999").status_code == 404


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_beheer_by_keyboard_only(page, site) -> None:
    email = site.new_account("viewer")
    sign_in(page, site.emails["beheer"])
    page.goto("/beheer")
    _tab_to(page, f'a[aria-label="Account {email} beheren"]')
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=f"Account {email}").wait_for()
    _tab_to(page, "select#role")
    page.keyboard.type("Secretariaat")  # type-ahead in the closed list
    assert page.evaluate("document.activeElement.value") == "mr"
    _tab_to(page, "button[type=submit]:is(form[action$='/rol'] *)")
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="De rol is gewijzigd").wait_for()
    _tab_to(page, "input#bevestig")
    page.keyboard.press("Space")
    _tab_to(page, "button[type=submit]:is(form[action$='/blokkeren'] *)")
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="Het account is geblokkeerd").wait_for()
    with session_scope(get_engine(site.settings.sqlalchemy_url)) as session:
        account = find_account(session, email)
        assert (account.role, account.disabled) == ("mr", True)
