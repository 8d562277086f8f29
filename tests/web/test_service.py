"""The service as a client meets it: headers, problem details, uploads, the trail, the logs."""

from __future__ import annotations

from spreiding.inventory.demo_files import demo_deliveries
from tests.web.conftest import PASSWORD

CSV = "text/csv"


def test_every_answer_carries_the_security_headers(server):
    answers = [
        server.client().get("/openapi.json"),  # 200
        server.client().get("/cases"),  # 401
        server.bearer("bzk").get("/cases/999999"),  # 404
        server.client().get("/no/such/route"),  # 404 from the router
    ]
    for answer in answers:
        csp = answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"


def test_the_openapi_document_lists_the_endpoints(server):
    paths = server.client().get("/openapi.json").json()["paths"]
    expected = ["session", "cases", "cases/{case_id}/events", "deliveries", "deliveries/missing"]
    assert {f"/api/v1/{p}" for p in [*expected, "figures", "projections"]} <= set(paths)


def test_a_refused_event_answers_the_lifecycles_own_line(server):
    client = server.bearer("bzk")
    case_id = server.cases[("FIN", "openbaar")]
    answer = client.post(f"/cases/{case_id}/events", json={"event": "issue_advice"})
    assert answer.status_code == 409
    problem = answer.json()
    assert problem["type"].startswith("urn:spreiding:problem:")
    assert problem["status"] == 409
    assert problem["detail"].startswith(
        "Stap 'BZK-advies uitbrengen' (issue_advice) is nu niet mogelijk: de zaak is in '"
    )


def test_bad_input_answers_422_naming_the_field(server):
    answer = server.bearer("bzk").post("/cases", json={"organisation": "BD", "fte": 10})
    assert answer.status_code == 422
    assert answer.json()["detail"] == "case_type: ontbreekt"
    wrong = server.bearer("bzk").post(
        "/cases", json={"organisation": "BD", "case_type": "groei", "fte": "veel"}
    )
    assert (wrong.status_code, wrong.json()["detail"]) == (422, "fte: moet een getal zijn")
    unknown = server.bearer("bzk").post(
        "/cases",
        json={"organisation": "BD", "case_type": "groei", "fte": 10, "location": "Atlantis"},
    )
    assert unknown.status_code == 404 and "Atlantis" in unknown.json()["detail"]


def test_a_ministry_reports_an_intention_and_bzk_a_masterplan_through_the_api(server):
    early = server.bearer("ministry:FIN").post(
        "/cases",
        json={"organisation": "BD", "case_type": "groei", "fte": 80, "location": "Den Haag",
              "stage": "voornemen", "period": "2027-2029", "title": "Vroeg gemeld"},
    )  # fmt: skip
    assert early.status_code == 201, early.text
    assert (early.json()["state"], early.json()["state_label"]) == ("intention", "Voornemen")
    plan = server.bearer("bzk").post(
        "/cases",
        json={"organisation": "BD", "case_type": "masterplan", "area": "Groningen",
              "covers": ["BD:120", "RSP:30"], "rvb_contact": "RVB Noord"},
    )  # fmt: skip
    assert plan.status_code == 201, plan.text
    assert plan.json()["fte"] == 150  # the sum of what it covers
    nothing = server.bearer("bzk").post(
        "/cases", json={"organisation": "BD", "case_type": "groei", "location": "Den Haag"}
    )
    assert nothing.status_code == 422 and "fte" in nothing.json()["detail"]


def test_events_sent_through_the_api_record_the_account_and_the_door(server):
    registered = server.bearer("ministry:FIN").post(
        "/cases",
        json={"organisation": "BD", "case_type": "groei", "fte": 150, "location": "Den Haag",
              "target": "Groningen", "title": "Spoor"},
    )  # fmt: skip
    assert registered.status_code == 201
    case_id = registered.json()["id"]
    bzk = server.sign_in(server.emails["bzk"])
    sent = bzk.post(f"/cases/{case_id}/events", json={"event": "start_screening"})
    assert sent.status_code == 200, sent.text
    trail = bzk.get(f"/cases/{case_id}").json()["events"]
    me = bzk.get("/session").json()["account"]
    fin = server.bearer("ministry:FIN").get("/session").json()["account"]
    assert (trail[0]["actor"], trail[0]["role"]) == (fin["name"], "ministry:FIN")
    assert trail[0]["payload"]["actor_account"] == fin["id"]
    assert trail[0]["payload"]["via"] == "api"
    assert trail[1]["actor"] == me["name"] and trail[1]["payload"]["actor_account"] == me["id"]
    assert trail[1]["payload"]["via"] == "web"


def test_a_ministry_uploads_its_delivery_and_sees_it_loaded(server):
    fin = server.bearer("ministry:FIN")
    data = demo_deliveries(2022)["fin-2022.csv"]
    answer = fin.post(
        "/deliveries", data={"year": "2022"}, files={"file": ("fin-2022.csv", data, CSV)}
    )
    assert answer.status_code == 201, answer.text
    loaded = answer.json()
    assert loaded["ministry_code"] == "FIN" and loaded["rows"] > 0
    assert {d["ministry_code"] for d in fin.get("/deliveries").json()} == {"FIN"}
    assert fin.get("/deliveries/missing", params={"year": 2022}).json() == []


def test_a_ministry_cannot_deliver_for_another_and_nothing_is_stored(server):
    fin = server.bearer("ministry:FIN")
    before = len(server.bearer("bzk").get("/deliveries", params={"year": 2021}).json())
    data = demo_deliveries(2021)["vws-2021.csv"]
    answer = fin.post(
        "/deliveries", data={"year": "2021"}, files={"file": ("vws-2021.csv", data, CSV)}
    )
    assert answer.status_code == 403 and "VWS" in answer.json()["detail"]
    after = len(server.bearer("bzk").get("/deliveries", params={"year": 2021}).json())
    assert after == before


def test_a_bad_delivery_answers_the_line_that_names_row_and_column(server):
    bad = b"organisatie;gemeente;fte\r\nBD;GM0518;veel\r\n"
    answer = server.bearer("ministry:FIN").post(
        "/deliveries", data={"year": "2020"}, files={"file": ("fin-2020.csv", bad, CSV)}
    )
    assert answer.status_code == 422
    assert answer.json()["title"] == "Levering geweigerd"
    assert "fin-2020.csv" in answer.json()["detail"] and "veel" in answer.json()["detail"]
    assert [e["value"] for e in answer.json()["errors"]] == ["veel"]


def test_a_delivery_with_three_errors_answers_every_one_and_stores_nothing(server):
    bzk = server.bearer("bzk")
    before = bzk.get("/deliveries").json()
    bad = (
        b"organisatie;gemeente;fte\r\n"
        b"BD;Den Haag;abc\r\n"
        b"Onbekend;Utrecht;5\r\n"
        b"BD;Atlantis;2\r\n"
        b"BD;Groningen;3\r\n"
    )
    answer = server.bearer("ministry:FIN").post(
        "/deliveries", data={"year": "2020"}, files={"file": ("fin-2020.csv", bad, CSV)}
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert "\n" not in problem["detail"]
    assert problem["detail"].startswith("fin-2020.csv, regel 2, kolom 'fte': 'abc' is geen getal")
    assert problem["detail"].endswith("(en 2 andere fouten)")
    where = [(e["row"], e["column"], e["value"]) for e in problem["errors"]]
    assert where == [(2, "fte", "abc"), (3, "organisatie", "Onbekend"), (4, "gemeente", "Atlantis")]
    assert all(e["file"] == "fin-2020.csv" and e["message"] for e in problem["errors"])
    assert bzk.get("/deliveries").json() == before


def test_an_upload_above_20_mb_is_refused_with_413(server):
    big = b"x" * (21 * 1024 * 1024)
    answer = server.bearer("ministry:FIN").post(
        "/deliveries", data={"year": "2023"}, files={"file": ("fin-2023.csv", big, CSV)}
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/problem+json"
    assert "20 MB" in answer.json()["detail"]


def test_no_password_or_token_appears_in_any_log_line(server):
    email = server.new_account("bzk")
    wrong = "dit is niet het goede wachtwoord"
    server.client().post("/session", json={"email": email, "password": wrong})
    client = server.sign_in(email)
    secret = client.post("/tokens", json={"name": "geheim"}).json()["token"]
    server.client(headers={"Authorization": f"Bearer {secret}"}).get("/cases")
    server.client(headers={"Authorization": f"Bearer {secret}x"}).get("/cases")
    client.get("/cases/999999")
    cookie = client.cookies["spreiding_session"]
    client.delete("/session")
    secrets = [
        PASSWORD,
        wrong,
        secret,
        cookie,
        *server.tokens.values(),
    ]
    lines = server.logs.lines
    assert any("POST /api/v1/session" in line for line in lines)  # the log is captured
    leaks = [line for line in lines for s in secrets if s and s in line]
    assert leaks == []


def test_many_requests_at_once_are_all_served(server):
    """More requests at once than the database pool has connections: they queue, none fails."""
    from concurrent.futures import ThreadPoolExecutor

    case_id = server.cases[("FIN", "intern")]
    token = server.tokens["bzk"]

    def show(_n: int) -> int:
        with server.client(headers={"Authorization": f"Bearer {token}"}) as client:
            return client.get(f"/cases/{case_id}").status_code

    with ThreadPoolExecutor(max_workers=60) as pool:
        codes = list(pool.map(show, range(120)))
    assert codes == [200] * 120
