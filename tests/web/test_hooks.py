"""The alert hook as Prefect's automations call it, on a real uvicorn: secret, mail, once.

The end-to-end path (a failing run on a real Prefect server leads to this mail) is in
``tests/flows/test_alerts.py``.
"""

from __future__ import annotations

import uuid

import httpx
import pytest
from pydantic import SecretStr
from sqlmodel import Session

from spreiding.core.settings import AlertSettings, Settings
from spreiding.flows.alerting import ALERT_KIND
from spreiding.mail.outbox import outbox_messages
from spreiding.models.db import get_engine
from spreiding.models.loading import init_database
from tests.flows.web_service import SECRET, web_service

HOOK = "/api/v1/hooks/prefect"
OPERATOR = "beheer@minbzk.example"


def _settings(database, tmp_path, secret: str | None = SECRET) -> Settings:
    return Settings(
        database_url=database.url,
        data_dir=tmp_path / "var",
        alerts=AlertSettings(
            url="http://127.0.0.1:1",
            secret=SecretStr(secret) if secret else None,
            operator_email=OPERATOR,
        ),
    )


@pytest.fixture
def service(database, tmp_path):
    init_database(get_engine(database.url))
    with web_service(_settings(database, tmp_path)) as running:
        yield running, database


def _alert(**changes) -> dict:
    return {
        "kind": "mislukt",
        "flow_run_id": str(uuid.uuid4()),
        "flow_run": "inventarisatie-2024",
        "flow": "annual-inventory",
        "state": "Failed",
        "message": "Bezorging van de e-mail mislukt: cannot connect to localhost:25.",
        "expected_start": "2024-03-01 05:00:00+00:00",
        "url": "http://127.0.0.1:4200/runs/flow-run/1",
        **changes,
    }


def _alerts(database) -> list:
    with Session(get_engine(database.url)) as session:
        return outbox_messages(session, kind=ALERT_KIND)


def test_a_failed_run_queues_one_dutch_mail_to_the_operator(service):
    running, database = service
    body = _alert()
    headers = {"Authorization": f"Bearer {SECRET}"}
    first = httpx.post(running.url + HOOK, json=body, headers=headers, timeout=10)
    again = httpx.post(running.url + HOOK, json=body, headers=headers, timeout=10)
    assert (first.status_code, first.json()["queued"]) == (202, True)
    assert (again.status_code, again.json()["queued"]) == (200, False)
    [mail] = _alerts(database)
    assert mail.to_address == OPERATOR
    assert mail.subject == "[spreiding] annual-inventory: run inventarisatie-2024 is mislukt"
    assert "geëindigd in de toestand mislukt (Failed)" in mail.body
    assert "cannot connect to localhost:25" in mail.body
    assert "spreiding flows run annual-inventory" in mail.body
    assert not any(SECRET in line for line in running.logs.lines)


def test_an_overdue_run_says_so(service):
    running, database = service
    answer = httpx.post(
        running.url + HOOK,
        json=_alert(kind="te-laat", state="Late", message=None, flow_run="termijnsignalen-x"),
        headers={"Authorization": f"Bearer {SECRET}"},
        timeout=10,
    )
    assert answer.status_code == 202
    [mail] = _alerts(database)
    assert mail.subject == (
        "[spreiding] annual-inventory: run termijnsignalen-x is niet op tijd klaar"
    )
    assert "had klaar moeten zijn" in mail.body and "Toestand nu: te laat (Late)" in mail.body
    assert "Gepland voor 1 maart 2024 om 06.00 uur." in mail.body  # Europe/Amsterdam


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer fout", f"Basic {SECRET}", f"Bearer {SECRET}x"],
    ids=["none", "wrong", "scheme", "longer"],
)
def test_without_the_secret_nothing_is_queued(service, authorization):
    running, database = service
    headers = {"Authorization": authorization} if authorization else {}
    answer = httpx.post(running.url + HOOK, json=_alert(), headers=headers, timeout=10)
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    assert _alerts(database) == []


def test_the_secret_comes_before_the_body(service):
    running, _database = service
    answer = httpx.post(running.url + HOOK, json={"kind": "iets"}, timeout=10)
    assert answer.status_code == 401  # not 422: an unauthenticated caller learns nothing


def test_a_bad_body_is_refused_naming_the_field(service):
    running, database = service
    answer = httpx.post(
        running.url + HOOK,
        json=_alert(kind="iets"),
        headers={"Authorization": f"Bearer {SECRET}"},
        timeout=10,
    )
    assert answer.status_code == 422 and "kind" in answer.text
    assert _alerts(database) == []


def test_without_a_configured_secret_there_is_no_hook(database, tmp_path):
    init_database(get_engine(database.url))
    with web_service(_settings(database, tmp_path, secret=None)) as running:
        answer = httpx.post(
            running.url + HOOK,
            json=_alert(),
            headers={"Authorization": f"Bearer {SECRET}"},
            timeout=10,
        )
    assert answer.status_code == 404
    assert _alerts(database) == []
