"""A plan through the pages, each step by the role that owns it, signing in and out.

The ministry reports the plan, BZK takes it through screening and consultation to its
advice, the ministry answers; the trail on "Zaak N" names each account. Which actions a
role has is read from its page (the buttons), and each form is filled from the fields it
shows, so the test follows the lifecycle as the pages present it.
"""

from __future__ import annotations

import re

from spreiding.core.synthetic import SYNTHETIC_MARK
from spreiding.statemachine.chart import EVENT_LABELS
from tests.pages.conftest import screenshot, sign_in, sign_out

GENERIC = ("Intrekken", "Opschorten")  # always offered; never the step a journey takes
ANSWERS = ("accept_advice", "agree")  # the ministry's answer to an advice, where the chart has it


def _fill_action_form(page, place: str = "Groningen") -> None:
    """Fill every required field of an action's form (and every text box), and send it."""
    form = page.locator("main form.stack")
    for field in form.locator("input[list=gemeenten][required]").all():
        field.fill(place)
    for field in form.locator("textarea").all():
        field.fill("Motivering vanuit de browsertest")
    for field in form.locator("input[inputmode=decimal][required]").all():
        field.fill("150")
    for radio in form.locator("input[type=radio][value=ja]").all():
        radio.check()
    form.locator("button[type=submit]").click()
    outcome = (
        page.get_by_role("status").filter(has_text="Vastgelegd").or_(page.get_by_role("alert"))
    )
    outcome.first.wait_for()
    refused = page.get_by_role("alert")
    assert not refused.count(), refused.inner_text()


def _actions(page) -> list[str]:
    return [a.inner_text() for a in page.locator("ul.actions a.button").all()]


def _take(page, label: str, shot: str | None = None, place: str = "Groningen") -> None:
    page.get_by_role("link", name=label, exact=True).click()
    page.get_by_role("heading", name=label).wait_for()
    if shot:
        screenshot(page, shot)
    _fill_action_form(page, place)


def _send_empty_and_see_the_messages(page, label: str) -> None:
    """Send an action's form empty: nothing is recorded, each field says what it needs."""
    page.get_by_role("link", name=label, exact=True).click()
    page.get_by_role("heading", name=label).wait_for()
    page.locator("main form.stack button[type=submit]").click()
    assert "nog niet compleet" in page.get_by_role("alert").inner_text()
    messages = page.locator("main form.stack .error-text").all_inner_texts()
    assert "Vul gemeente in." in messages
    assert "Kies bij elke afweging ja of nee." in messages
    screenshot(page, "actie-meldingen")
    page.get_by_role("link", name="Annuleren").click()


def _report_plan(page, site, title: str) -> str:
    """The ministry reports a plan through "Plan melden"; the address of its Zaak N page."""
    sign_in(page, site.emails["ministry:FIN"])
    page.get_by_role("link", name="Plan melden").click()
    page.get_by_label("Organisatie").select_option("BD")
    page.get_by_label("Soort plan").select_option("groei")
    page.get_by_label("Omvang in fte").fill("150")
    page.get_by_label("Gemeente", exact=True).fill("Den Haag")
    page.get_by_label("Titel (niet verplicht)").fill(title)
    screenshot(page, "plan-melden")
    page.get_by_role("button", name="Plan melden").click()
    page.get_by_role("heading", name=re.compile(r"^Zaak \d+$")).wait_for()
    case_url = page.url.split("?")[0]
    sign_out(page)
    return case_url


def _bzk_advises(page, site, case_url: str, *, check_messages: bool = False) -> None:
    """BZK takes its steps (screening, consultation, advice) until the advice is there."""
    sign_in(page, site.emails["bzk"])
    page.goto(case_url)
    for _ in range(5):
        if page.get_by_role("heading", name="BZK-advies").count():
            break
        step = next(a for a in _actions(page) if a not in GENERIC)
        advice = step == EVENT_LABELS["issue_advice"]
        if advice and check_messages:
            _send_empty_and_see_the_messages(page, step)
        _take(page, step, "actie-formulier" if advice else None)
    assert page.get_by_role("heading", name="BZK-advies").is_visible()
    assert page.get_by_role("table", name="De drie afwegingen").is_visible()


def _trail(page) -> str:
    return page.get_by_role("table", name=re.compile("Audittrail")).inner_text()


def test_plan_advice_answer_through_the_pages(page, site) -> None:
    case_url = _report_plan(page, site, "Browsertest: groei Belastingdienst")
    _bzk_advises(page, site, case_url, check_messages=True)
    sign_out(page)

    sign_in(page, site.emails["ministry:FIN"])
    page.goto(case_url)
    offered = _actions(page)
    answer = next(
        (EVENT_LABELS[e] for e in ANSWERS if e in EVENT_LABELS and EVENT_LABELS[e] in offered),
        next(a for a in offered if a not in GENERIC),
    )
    _take(page, answer)
    screenshot(page, "zaak")
    trail = _trail(page)
    assert "Test ministry:FIN" in trail and "Test bzk" in trail
    assert "via de website" in trail
    assert trail.count("Test ministry:FIN") >= 2  # the plan and the answer
    assert answer in trail
    page.get_by_role("link", name="Mijn werkvoorraad").click()  # the decision waits for FIN
    number = case_url.rsplit("/", 1)[1]
    assert page.get_by_role("link", name=f"Zaak {number}", exact=True).is_visible()
    owners = page.locator("main table tbody td:nth-child(2)").all_inner_texts()
    assert owners and all(o.endswith("(FIN)") for o in owners)  # only its own ministry's
    sign_out(page)


def test_bzk_escalates_and_the_mr_secretariat_records_the_decision(page, site) -> None:
    case_url = _report_plan(page, site, "Browsertest: naar de ministerraad")
    _bzk_advises(page, site, case_url)
    if "propose_alternative" in EVENT_LABELS:  # where the chart has it: the ministry's own place
        sign_out(page)
        sign_in(page, site.emails["ministry:FIN"])
        page.goto(case_url)
        _take(page, EVENT_LABELS["propose_alternative"], place="Zwolle")
        sign_out(page)
        sign_in(page, site.emails["bzk"])
        page.goto(case_url)
    _take(page, EVENT_LABELS["escalate_to_mr"])
    assert page.get_by_role("heading", name="Dossier voor de ministerraad").is_visible()
    assert page.get_by_role("heading", name="Keuze van het departement").is_visible()
    assert page.get_by_role("heading", name="Advies van BZK").is_visible()
    sign_out(page)

    sign_in(page, site.emails["mr"])
    page.get_by_role("heading", name="Mijn werkvoorraad").wait_for()
    number = case_url.rsplit("/", 1)[1]
    page.get_by_role("link", name=f"Zaak {number}", exact=True).click()  # in the MR's queue
    step = next(a for a in _actions(page) if a not in GENERIC)
    _take(page, step)
    assert page.get_by_role("heading", name="Besluit").is_visible()
    decision = page.locator("dl.facts", has_text="Besloten door").inner_text()
    assert "de ministerraad" in decision
    trail = _trail(page)
    for name in ("Test ministry:FIN", "Test bzk", "Test mr"):
        assert name in trail
    screenshot(page, "zaak-besloten")
    sign_out(page)


def test_another_ministrys_confidential_case_is_not_found(page, site) -> None:
    hidden = site.cases[("FIN", "vertrouwelijk")]
    sign_in(page, site.emails["ministry:JENV"])
    answer = page.goto(f"/zaken/{hidden}")
    assert answer is not None and answer.status == 404
    assert page.get_by_role("heading", name="Niet gevonden").is_visible()
    assert "Matrix FIN vertrouwelijk" not in page.content()
    page.goto("/zaken?zoek=Matrix")
    listed = page.locator("main table").inner_text()
    assert "Matrix FIN intern" in listed and "Matrix FIN vertrouwelijk" not in listed
    sign_out(page)

    sign_in(page, site.emails["ministry:FIN"])
    page.goto(f"/zaken/{hidden}")
    assert page.get_by_role("heading", name=f"Zaak {hidden}").is_visible()


def test_sign_in_by_keyboard_only(page, site) -> None:
    page.goto("/")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "email":
            break
    assert page.evaluate("document.activeElement.id") == "email"
    page.keyboard.type(site.emails["viewer"])
    page.keyboard.press("Tab")
    page.keyboard.type("een lang en goed wachtwoord")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Mijn werkvoorraad").wait_for()
    page.get_by_role("button", name="Uitloggen").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Inloggen").wait_for()


def test_a_wrong_password_says_so_and_signs_nobody_in(page, site) -> None:
    page.goto("/")
    page.get_by_label("E-mailadres").fill(site.emails["mr"])
    page.get_by_label("Wachtwoord").fill("niet het wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    assert "klopt niet" in page.get_by_role("alert").inner_text()
    assert page.get_by_role("button", name="Uitloggen").count() == 0
    screenshot(page, "inloggen-mislukt")


def test_after_five_failures_sign_in_is_throttled_with_a_message(page, site) -> None:
    email = site.new_account("viewer")
    for _ in range(5):
        page.goto("/")
        page.get_by_label("E-mailadres").fill(email)
        page.get_by_label("Wachtwoord").fill("steeds het verkeerde wachtwoord")
        page.get_by_role("button", name="Inloggen").click()
        assert "klopt niet" in page.get_by_role("alert").inner_text()
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("een lang en goed wachtwoord")  # right, but too late
    page.get_by_role("button", name="Inloggen").click()
    assert "Te veel mislukte pogingen" in page.get_by_role("alert").inner_text()
    assert page.get_by_role("button", name="Uitloggen").count() == 0


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(page, site) -> None:
    sign_in(page, site.emails["bzk"])
    case_id = site.cases[("JENV", "openbaar")]
    answer = page.request.post(
        f"/zaken/{case_id}/acties/withdraw", form={"reason": "zonder token"}, max_redirects=0
    )
    assert answer.status == 403
    assert "Niet toegestaan" in answer.text()
    page.goto(f"/zaken/{case_id}")
    assert "zonder token" not in page.locator("main").inner_text()


def test_every_page_shows_the_synthetic_data_banner_while_demo_data_is_loaded(page, site) -> None:
    page.goto("/")
    assert SYNTHETIC_MARK in page.get_by_role("note").inner_text()
    sign_in(page, site.emails["viewer"])
    for path in ("/", "/zaken", "/cijfers"):
        page.goto(path)
        assert SYNTHETIC_MARK in page.get_by_role("note").inner_text()


def test_after_30_idle_minutes_a_page_asks_to_sign_in_again(page, site) -> None:
    sign_in(page, site.emails["viewer"])
    site.clock.advance(minutes=31)
    page.goto("/zaken")
    assert page.get_by_role("heading", name="Inloggen").is_visible()
    assert "sessie is verlopen" in page.get_by_role("status").inner_text()
