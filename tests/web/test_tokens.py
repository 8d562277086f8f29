"""Personal API tokens over the API: shown once, used as bearer, expiring, revocable."""

from __future__ import annotations


def test_a_token_made_in_a_session_works_as_bearer_until_revoked(server):
    email = server.new_account("ministry:FIN")
    client = server.sign_in(email)
    made = client.post("/tokens", json={"name": "koppeling", "days": 10})
    assert made.status_code == 201
    secret = made.json()["token"]
    listed = client.get("/tokens").json()
    assert [t["name"] for t in listed] == ["koppeling"]
    assert all("token" not in t and secret not in str(t) for t in listed)
    bearer = server.client(headers={"Authorization": f"Bearer {secret}"})
    assert bearer.get("/session").json()["account"]["email"] == email
    assert client.delete(f"/tokens/{made.json()['id']}").status_code == 204
    refused = bearer.get("/cases")
    assert refused.status_code == 401
    assert refused.json()["detail"] == "het API-token is onbekend, verlopen of ingetrokken"
    assert client.get("/tokens").json()[0]["status"] == "revoked"


def test_a_token_stops_working_when_it_expires(server):
    client = server.sign_in(server.new_account("viewer"))
    secret = client.post("/tokens", json={"days": 1}).json()["token"]
    bearer = server.client(headers={"Authorization": f"Bearer {secret}"})
    assert bearer.get("/cases").status_code == 200
    server.clock.advance(days=1, seconds=1)
    assert bearer.get("/cases").status_code == 401


def test_one_account_cannot_revoke_another_accounts_token(server):
    owner = server.sign_in(server.new_account("viewer"))
    token_id = owner.post("/tokens", json={}).json()["id"]
    other = server.sign_in(server.new_account("viewer"))
    assert other.delete(f"/tokens/{token_id}").status_code == 404
    assert owner.get("/tokens").json()[0]["status"] == "active"


def test_a_malformed_authorization_header_is_401(server):
    client = server.client(headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert client.get("/cases").status_code == 401
    assert (
        server.client(headers={"Authorization": "Bearer spr_nonsense"}).get("/cases").status_code
        == 401
    )
