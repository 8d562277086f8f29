"""``/users`` through the accounts service with the principal: the same rules as Beheer's
pages and the CLI (a beheer never blocks itself or changes its own role), and unblocking."""

from __future__ import annotations

from tests.web.conftest import PASSWORD


def _account(admin, email: str) -> dict:
    return next(a for a in admin.get("/users").json() if a["email"] == email)


def test_a_blocked_account_is_unblocked_and_signs_in_again(server):
    email = server.new_account("viewer")
    admin = server.bearer("beheer")
    account_id = _account(admin, email)["id"]
    assert admin.patch(f"/users/{account_id}", json={"disabled": True}).json()["disabled"]
    assert (
        server.client().post("/session", json={"email": email, "password": PASSWORD}).status_code
        == 401
    )
    assert admin.patch(f"/users/{account_id}", json={"disabled": False}).json()["disabled"] is False
    assert (
        server.client().post("/session", json={"email": email, "password": PASSWORD}).status_code
        == 201
    )


def test_a_beheer_cannot_block_itself_or_change_its_own_role(server):
    email = server.new_account("beheer")
    admin = server.sign_in(email)
    account_id = _account(admin, email)["id"]
    blocked = admin.patch(f"/users/{account_id}", json={"disabled": True})
    assert blocked.status_code == 422
    assert "eigen account niet blokkeren" in blocked.json()["detail"]
    role = admin.patch(f"/users/{account_id}", json={"role": "bzk"})
    assert role.status_code == 422 and "eigen rol" in role.json()["detail"]
    assert _account(admin, email)["role"] == "beheer"
    assert admin.get("/session").status_code == 200  # still signed in
