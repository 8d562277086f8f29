"""Signing in and out: the cookie, the CSRF token, rotation, expiry and throttling."""

from __future__ import annotations

from tests.web.conftest import PASSWORD


def test_sign_in_sets_an_httponly_lax_cookie_and_gives_the_csrf_token(server):
    email = server.new_account("bzk")
    client = server.client()
    answer = client.post("/session", json={"email": email.upper(), "password": PASSWORD})
    assert answer.status_code == 201
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # plain http on loopback; over https it is Secure
    me = client.get("/session").json()
    assert me["account"]["email"] == email and me["account"]["role"] == "bzk"
    assert me["csrf_token"] == answer.json()["csrf_token"]
    assert "password_hash" not in me["account"]


def test_a_cookie_write_without_the_csrf_token_is_refused(server):
    client = server.sign_in(server.new_account("bzk"))
    token = client.headers.pop("X-CSRF-Token")
    refused = client.post("/tokens", json={"name": "x"})
    assert refused.status_code == 403
    assert "X-CSRF-Token" in refused.json()["detail"]
    wrong = client.post("/tokens", json={"name": "x"}, headers={"X-CSRF-Token": "0" * 64})
    assert wrong.status_code == 403
    assert client.post("/tokens", json={"name": "x"}, headers={"X-CSRF-Token": token}).is_success


def test_a_bearer_token_needs_no_csrf_token(server):
    answer = server.bearer("bzk").post("/tokens", json={"name": "script"})
    assert answer.status_code == 201


def test_without_a_session_or_token_the_answer_is_401(server):
    answer = server.client().get("/cases")
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert "log eerst in" in answer.json()["detail"]


def test_signing_in_again_rotates_the_session(server):
    email = server.new_account("viewer")
    client = server.sign_in(email)
    old = client.cookies["spreiding_session"]
    again = client.post("/session", json={"email": email, "password": PASSWORD})
    new = client.cookies["spreiding_session"]
    assert again.status_code == 201 and new != old
    stale = server.client(cookies={"spreiding_session": old})
    assert stale.get("/session").status_code == 401
    assert client.get("/session").status_code == 200


def test_signing_out_ends_the_session(server):
    client = server.sign_in(server.new_account("viewer"))
    cookie = client.cookies["spreiding_session"]
    assert client.delete("/session").status_code == 204
    assert server.client(cookies={"spreiding_session": cookie}).get("/session").status_code == 401


def test_a_session_ends_after_30_idle_minutes(server):
    client = server.sign_in(server.new_account("viewer"))
    server.clock.advance(minutes=29)
    assert client.get("/session").status_code == 200  # use keeps it alive
    server.clock.advance(minutes=29)
    assert client.get("/session").status_code == 200
    server.clock.advance(minutes=30, seconds=1)
    assert client.get("/session").status_code == 401


def test_a_session_ends_12_hours_after_sign_in_however_busy(server):
    client = server.sign_in(server.new_account("viewer"))
    for _ in range(35):  # 11 h 40 min of use, every 20 minutes
        server.clock.advance(minutes=20)
        assert client.get("/session").status_code == 200
    server.clock.advance(minutes=20)
    assert client.get("/session").status_code == 401


def test_a_disabled_account_cannot_sign_in_and_its_session_stops(server):
    email = server.new_account("viewer")
    client = server.sign_in(email)
    admin = server.bearer("beheer")
    account = next(a for a in admin.get("/users").json() if a["email"] == email)
    assert admin.patch(f"/users/{account['id']}", json={"disabled": True}).status_code == 200
    assert client.get("/session").status_code == 401
    again = server.client().post("/session", json={"email": email, "password": PASSWORD})
    assert again.status_code == 401


def _fail(server, email, password="wrong password, long enough"):
    return server.client().post("/session", json={"email": email, "password": password})


def test_five_failures_lock_the_address_for_15_minutes(server):
    email = server.new_account("bzk")
    assert [_fail(server, email).status_code for _ in range(5)] == [401] * 5
    locked = _fail(server, email, PASSWORD)  # even the right password
    assert locked.status_code == 429
    assert 890 <= int(locked.headers["Retry-After"]) <= 900
    server.clock.advance(minutes=10)
    assert _fail(server, email, PASSWORD).status_code == 429
    server.clock.advance(minutes=5, seconds=1)
    assert _fail(server, email, PASSWORD).status_code == 201


def test_throttling_answers_the_same_whether_the_account_exists_or_not(server):
    known, unknown = server.new_account("bzk"), "nobody-here@test.example"
    answers = {}
    for email in (known, unknown):
        failures = [_fail(server, email) for _ in range(5)]
        locked = _fail(server, email)
        answers[email] = (
            [(a.status_code, a.json()) for a in failures],
            locked.status_code,
            locked.json(),
            locked.headers["Retry-After"],
        )
    assert answers[known][:3] == answers[unknown][:3]
    assert answers[known][2]["status"] == 429
    assert abs(int(answers[known][3]) - int(answers[unknown][3])) <= 2


def test_failures_spread_over_more_than_15_minutes_do_not_lock(server):
    email = server.new_account("bzk")
    for _ in range(4):
        assert _fail(server, email).status_code == 401
    server.clock.advance(minutes=16)
    assert _fail(server, email).status_code == 401
    assert _fail(server, email, PASSWORD).status_code == 201
