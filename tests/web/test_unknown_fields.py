"""A request body with a field the API does not know is refused with 422 naming the field,
and nothing changes: a beheer who sends ``{"enabled": false}`` learns that it blocked nothing,
a ministry whose plan misspells a field learns it before the plan is registered."""

from __future__ import annotations


def test_an_account_change_with_an_unknown_field_is_refused_and_changes_nothing(server) -> None:
    admin = server.bearer("beheer")
    email = server.new_account("viewer")
    account = next(a for a in admin.get("/users").json() if a["email"] == email)
    answer = admin.patch(f"/users/{account['id']}", json={"enabled": False})
    assert answer.status_code == 422
    assert answer.json()["detail"] == "enabled: is geen veld van dit verzoek"
    again = next(a for a in admin.get("/users").json() if a["email"] == email)
    assert again["disabled"] is False


def test_a_plan_with_a_misspelled_field_is_refused_before_it_is_registered(server) -> None:
    client = server.bearer("ministry:FIN")
    before = client.get("/cases", params={"limit": 1}).headers["x-total-count"]
    answer = client.post(
        "/cases",
        json={"organisation": "BD", "case_type": "groei", "fte": 10, "location": "Den Haag",
              "handler_emial": "behandelaar@minfin.nl"},
    )  # fmt: skip
    assert answer.status_code == 422
    assert answer.json()["detail"] == "handler_emial: is geen veld van dit verzoek"
    assert client.get("/cases", params={"limit": 1}).headers["x-total-count"] == before
