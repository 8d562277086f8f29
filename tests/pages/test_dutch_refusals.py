"""One refusal, one message: the API's problem ``detail`` and the page say the same Dutch
thing, and the page puts it next to the field that needs fixing.

The case is driven to Overeenstemming through the API; then the ministry decides on far more
fte than the plan without a motivation, once through the API and once through the browser.
"""

from __future__ import annotations

from tests.pages.conftest import screenshot, sign_in
from tests.web.conftest import Server

REFUSAL = (
    "Stap 'Besluit nemen' (decide): 400 fte wijkt meer dan 20% of 100 fte af van de 150 fte "
    "in het plan; geef 'motivation' (de motivering)."
)


def _agreed_case(site: Server) -> int:
    """A groei of 150 fte of FIN, advised and accepted: it waits for the ministry's decision."""
    bzk, fin = site.bearer("bzk"), site.bearer("ministry:FIN")
    plan = {"organisation": "BD", "case_type": "groei", "fte": 150, "location": "Den Haag",
            "target": "Groningen", "confidentiality": "intern"}  # fmt: skip
    created = bzk.post("/cases", json=plan)
    assert created.status_code == 201, created.text
    case_id = created.json()["id"]
    advice = {"location": "Groningen", "rationale": "Past bij de regio",
              "considerations": {"primary_process": "nee", "legal_location": "nee",
                                 "housing_cost": "nee"}}  # fmt: skip
    for client, event, payload in [
        (bzk, "start_screening", {}),
        (bzk, "open_consultation", {}),
        (bzk, "issue_advice", advice),
        (fin, "accept_advice", {}),
    ]:
        sent = client.post(f"/cases/{case_id}/events", json={"event": event, "payload": payload})
        assert sent.status_code == 200, sent.text
    return case_id


def test_a_refusal_says_the_same_dutch_thing_in_the_api_and_next_to_the_field(page, site) -> None:
    case_id = _agreed_case(site)

    answer = site.bearer("ministry:FIN").post(
        f"/cases/{case_id}/events", json={"event": "decide", "payload": {"fte": 400}}
    )
    assert answer.status_code == 409
    assert answer.json()["detail"] == REFUSAL

    sign_in(page, site.emails["ministry:FIN"])
    page.goto(f"/zaken/{case_id}/acties/decide")
    page.locator("#veld-fte").fill("400")
    page.locator("main form.stack button[type=submit]").click()
    page.get_by_role("alert").wait_for()
    screenshot(page, "actie-geweigerd")
    assert page.get_by_role("alert").inner_text().strip() == f"Niet opgeslagen: {REFUSAL}"
    assert page.locator("#fout-motivation").inner_text().strip() == REFUSAL
    assert page.locator("#veld-motivation").get_attribute("aria-invalid") == "true"
    assert page.locator("#fout-fte").count() == 0  # the message sits at the field to fix
    assert site.bearer("ministry:FIN").get(f"/cases/{case_id}").json()["state"] == "agreed"
