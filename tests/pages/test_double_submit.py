"""A form sent twice changes something once: Plan melden registers one case, Beheer adds one
account; the second submit leads to what the first one made. The form's token is the
account's own and is good for 24 hours."""

from __future__ import annotations

import re
import threading
import uuid

import httpx
from sqlmodel import func, select

from spreiding.models.accounts import Account, FormToken
from spreiding.models.db import get_engine, session_scope
from tests.pages.conftest import CSRF_FIELD, FORM_FIELD, cases_titled, plan_form
from tests.web.conftest import PASSWORD, Server


def _signed_in(site: Server, email: str) -> httpx.Client:
    client = httpx.Client(base_url=site.url, timeout=30)
    token = CSRF_FIELD.search(client.get("/").text).group(1)
    answer = client.post(
        "/inloggen", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 303, answer.text
    return client


def test_plan_melden_sent_twice_registers_one_case_and_both_lead_to_it(site) -> None:
    client = _signed_in(site, site.emails["ministry:FIN"])
    title = f"Dubbel {uuid.uuid4().hex[:8]}"
    form = plan_form(client, title=title)
    first = client.post("/plan-melden", data=form)
    second = client.post("/plan-melden", data=form)
    assert first.status_code == second.status_code == 303
    (case_id,) = cases_titled(site, title)
    assert first.headers["location"] == second.headers["location"]
    assert first.headers["location"].startswith(f"/zaken/{case_id}")


def test_plan_melden_sent_twice_at_once_registers_one_case(site) -> None:
    client = _signed_in(site, site.emails["ministry:FIN"])
    title = f"Tegelijk {uuid.uuid4().hex[:8]}"
    form = plan_form(client, title=title)
    answers: list[httpx.Response] = []
    start = threading.Barrier(2)

    def send() -> None:
        start.wait()
        answers.append(client.post("/plan-melden", data=form))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [303, 303]
    (case_id,) = cases_titled(site, title)
    assert {a.headers["location"] for a in answers} == {f"/zaken/{case_id}?gedaan=register"}


def test_the_token_is_the_accounts_own(site) -> None:
    """Another account sending the same token registers its own case, never sees the first."""
    fin = _signed_in(site, site.emails["ministry:FIN"])
    title = f"Eigen {uuid.uuid4().hex[:8]}"
    form = plan_form(fin, title=title)
    first = fin.post("/plan-melden", data=form)
    bzk = _signed_in(site, site.emails["bzk"])
    other = bzk.post(
        "/plan-melden", data={**plan_form(bzk, title=title), "formulier": form["formulier"]}
    )
    assert other.status_code == 303
    assert other.headers["location"] != first.headers["location"]
    assert len(cases_titled(site, title)) == 2


def test_a_plan_form_without_its_token_or_older_than_a_day_registers_nothing(site) -> None:
    email = site.new_account("ministry:FIN")
    client = _signed_in(site, email)
    title = f"Oud {uuid.uuid4().hex[:8]}"
    form = plan_form(client, title=title)
    assert client.post("/plan-melden", data=form).status_code == 303  # claims a token
    without = client.post("/plan-melden", data={**plan_form(client, title=title), "formulier": ""})
    assert without.status_code == 409
    old = plan_form(client, title=title)
    site.clock.advance(hours=24, minutes=1)
    client = _signed_in(site, email)  # the session itself ended meanwhile
    fresh = plan_form(client, title=title)
    late = client.post("/plan-melden", data={**fresh, "formulier": old["formulier"]})
    assert late.status_code == 409
    assert "langer dan 24 uur open" in late.text
    assert FORM_FIELD.search(late.text).group(1) != old["formulier"]  # a new token to send again
    assert len(cases_titled(site, title)) == 1
    assert client.post("/plan-melden", data=fresh).status_code == 303
    with session_scope(get_engine(site.settings.sqlalchemy_url)) as session:
        account_id = session.exec(select(Account.id).where(Account.email == email)).one()
        kept = session.exec(
            select(func.count()).select_from(FormToken).where(FormToken.account_id == account_id)
        ).one()
    assert kept == 1  # the claim older than a day was removed


def test_beheer_add_account_sent_twice_adds_one_and_says_so(site) -> None:
    admin = _signed_in(site, site.emails["beheer"])
    page = admin.get("/beheer").text
    email = f"dubbel-{uuid.uuid4().hex[:8]}@test.example"
    form = {
        "csrf_token": CSRF_FIELD.search(page).group(1),
        "formulier": FORM_FIELD.search(page).group(1),
        "email": email, "name": "Dubbel", "role": "viewer",
    }  # fmt: skip
    first = admin.post("/beheer", data=form)
    assert first.status_code == 201 and "wordt alleen nu getoond" in first.text
    second = admin.post("/beheer", data=form, follow_redirects=True)
    assert second.status_code == 200
    assert "al aangemaakt met hetzelfde formulier" in second.text
    assert "bestaat al" not in second.text
    with session_scope(get_engine(site.settings.sqlalchemy_url)) as session:
        assert session.exec(select(func.count()).where(Account.email == email)).one() == 1


def test_an_action_form_sent_twice_records_one_event(site) -> None:
    """The action forms carry the case's version: the second submit records nothing and,
    being this account's own first click, leads to the case like the first."""
    client = _signed_in(site, site.emails["bzk"])
    case_id = site.cases[("JENV", "openbaar")]
    form_page = client.get(f"/zaken/{case_id}/acties/suspend")
    assert form_page.status_code == 200, form_page.text
    version = re.search(r'name="version" value="(\d+)"', form_page.text).group(1)
    form = {
        "csrf_token": CSRF_FIELD.search(form_page.text).group(1), "version": version,
        "reason": "Dubbel verstuurd",
    }  # fmt: skip
    first = client.post(f"/zaken/{case_id}/acties/suspend", data=form)
    second = client.post(f"/zaken/{case_id}/acties/suspend", data=form)
    assert first.status_code == 303
    assert second.status_code == 303, second.text
    assert second.headers["location"] == first.headers["location"]
    trail = client.get(second.headers["location"]).text
    assert trail.count("Dubbel verstuurd") == 1
    assert "Vastgelegd: Opschorten" in trail
    other = _signed_in(site, site.emails["mr"])  # another account's stale form: no redirect
    own = CSRF_FIELD.search(other.get(f"/zaken/{case_id}").text).group(1)
    stale = other.post(f"/zaken/{case_id}/acties/suspend", data={**form, "csrf_token": own})
    assert stale.status_code in (403, 404, 409), stale.status_code
