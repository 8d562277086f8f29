"""A number field of the API takes a JSON number only: ``true`` is no fte, no case version
and no count of days (pydantic's lax mode would read it as 1). A whole number still counts
where a decimal one is asked for."""

from __future__ import annotations

import pytest

PLAN = {"organisation": "BD", "case_type": "groei", "location": "Den Haag", "title": "Strikt"}


@pytest.mark.parametrize("value", [True, False, "12"])
def test_a_plan_whose_fte_is_no_json_number_is_refused_naming_the_field(server, value) -> None:
    answer = server.bearer("bzk").post("/cases", json={**PLAN, "fte": value})
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"] == "fte: moet een getal zijn"


def test_a_whole_number_of_fte_is_still_taken(server) -> None:
    answer = server.bearer("bzk").post("/cases", json={**PLAN, "fte": 12})
    assert answer.status_code == 201, answer.text
    assert answer.json()["fte"] == 12


def test_a_masterplan_number_of_true_is_refused(server) -> None:
    answer = server.bearer("bzk").post(
        "/cases", json={**PLAN, "case_type": "vtw", "masterplan": True, "covers": ["BD:1"]}
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"] == "masterplan: moet een geheel getal zijn"


def test_an_expected_version_of_true_is_refused(server) -> None:
    case_id = server.cases[("FIN", "intern")]
    answer = server.bearer("bzk").post(
        f"/cases/{case_id}/events", json={"event": "start_screening", "expected_version": True}
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"] == "expected_version: moet een geheel getal zijn"


def test_a_token_lifetime_of_true_days_is_refused(server) -> None:
    client = server.sign_in(server.new_account("bzk"))
    answer = client.post("/tokens", json={"days": True})
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"] == "days: moet een geheel getal zijn"
