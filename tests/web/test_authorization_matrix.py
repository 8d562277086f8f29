"""Who may do what with cases: every role x the case endpoints x own/other ministry x level.

One table says what each role sees (:data:`SEES`); the expected answer of every endpoint
follows from it and from who may send an event or register (:data:`SENDS`, :data:`REGISTERS`).
A hidden case answers 404 on every endpoint, exactly like a case that does not exist.
Events are sent with a stale ``expected_version``, so an allowed one answers 409 and no case
changes while the matrix runs.
"""

from __future__ import annotations

import pytest

from tests.web.conftest import LEVELS, OWNERS, ROLES

# role -> (ministry of the case: "own"/"other" seen from ministry:FIN, level) -> visible?
SEES = {
    "bzk": {"openbaar": True, "intern": True, "vertrouwelijk": True},
    "mr": {"openbaar": True, "intern": True, "vertrouwelijk": True},
    "ministry:own": {"openbaar": True, "intern": True, "vertrouwelijk": True},
    "ministry:other": {"openbaar": True, "intern": True, "vertrouwelijk": False},
    "viewer": {"openbaar": True, "intern": False, "vertrouwelijk": False},
    "beheer": {"openbaar": False, "intern": False, "vertrouwelijk": False},
}
SENDS = {"bzk": "start_screening"}  # the one role that may send the matrix's event
REGISTERS = {"bzk": True, "ministry:own": True}  # who may register a plan of the ministry


def _who(role: str, ministry: str) -> str:
    if role.startswith("ministry:"):
        return "ministry:own" if role == f"ministry:{ministry}" else "ministry:other"
    return role


@pytest.mark.parametrize("role", ROLES)
def test_every_case_endpoint_answers_as_the_table_says(server, role):
    client = server.bearer(role)
    listed = client.get("/cases", params={"limit": 1000})
    listed_ids = {c["id"] for c in listed.json()} if listed.status_code == 200 else set()
    wrong = []
    for ministry in OWNERS:
        for level in LEVELS:
            who, case_id = _who(role, ministry), server.cases[(ministry, level)]
            visible = SEES[who][level]
            hidden = 200 if visible else 404
            event = 409 if not visible or who in SENDS else 403
            event = 404 if not visible else event
            expected = {
                "list": visible,
                "show": hidden,
                "diagram": hidden,
                "event": event,
                "register": 201 if REGISTERS.get(who) else 403,
            }
            got = {
                "list": case_id in listed_ids,
                "show": client.get(f"/cases/{case_id}").status_code,
                "diagram": client.get(f"/cases/{case_id}/diagram.svg").status_code,
                "event": client.post(
                    f"/cases/{case_id}/events",
                    json={"event": "start_screening", "expected_version": 999},
                ).status_code,
                "register": client.post(
                    "/cases",
                    json={"organisation": OWNERS[ministry], "case_type": "krimp", "fte": 120,
                          "location": "Zwolle", "confidentiality": level},
                ).status_code,
            }  # fmt: skip
            wrong += [
                f"{role} on {ministry}/{level} {name}: expected {expected[name]}, got {got[name]}"
                for name in expected
                if expected[name] != got[name]
            ]
    assert wrong == []
    assert listed.status_code == (403 if role == "beheer" else 200)


def test_a_hidden_case_answers_exactly_like_a_missing_one(server):
    client = server.bearer("ministry:FIN")
    hidden = client.get(f"/cases/{server.cases[('JENV', 'vertrouwelijk')]}")
    missing = client.get("/cases/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.headers["content-type"] == "application/problem+json"
    assert hidden.json()["title"] == missing.json()["title"]


def test_an_event_the_role_may_not_send_says_why(server):
    answer = server.bearer("mr").post(
        f"/cases/{server.cases[('FIN', 'intern')]}/events", json={"event": "start_screening"}
    )
    assert answer.status_code == 403
    assert answer.json()["detail"] == (
        "Stap 'Beoordeling starten' (start_screening) is voorbehouden aan de rol BZK (bzk); "
        "de rol ministerraad (mr) mag dit niet."
    )


def test_beheer_manages_accounts_and_nobody_else_does(server):
    assert server.bearer("beheer").get("/users").status_code == 200
    for role in ROLES[:-1]:
        assert server.bearer(role).get("/users").status_code == 403, role
