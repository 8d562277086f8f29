"""Alerts on a real Prefect server: a failing run, and a due run nobody ran, mail the operator.

``spreiding deploy`` (with ``SPREIDING_ALERTS__*`` set) creates the automations in the
session's Prefect server; the web service runs on a real uvicorn on the spreiding store the
server's runs use. A run that fails on a worker, and a run that turns Late with no worker,
each lead to one queued Dutch mail to BZK's operator, made by the server's automation calling
the hook: no flow code sends it.
"""

from __future__ import annotations

import signal
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr
from sqlmodel import Session

from spreiding.core.settings import AlertSettings, Settings
from spreiding.flows.alerting import ALERT_KIND
from spreiding.mail.outbox import outbox_messages
from spreiding.models.db import get_engine
from spreiding.models.loading import init_database
from tests.flows.prefect_server import BIN, Server, start, stop, wait
from tests.flows.web_service import SECRET, web_service
from tests.mailserver import free_port

POOL = "spreiding-alerts"
OPERATOR = "beheer@minbzk.example"
WINDOW = 10  # seconds a due run may take, for this test


@pytest.fixture(scope="module")
def alerting(prefect_server: Server, tmp_path_factory: pytest.TempPathFactory):
    """The web service beside the Prefect server, and the deployments with their automations."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # A spreiding store of its own: the failing runs leave mail pending, which must not make
    # the other modules' runs on the session's server fail.
    folder = tmp_path_factory.mktemp("alerts")
    store = f"sqlite:///{folder / 'spreiding.db'}"
    init_database(get_engine(store))
    settings = Settings(
        database_url=store,
        data_dir=folder / "var",
        alerts=AlertSettings(url=url, secret=SecretStr(SECRET), operator_email=OPERATOR),
    )
    env = prefect_server.env | {
        "SPREIDING_DATABASE_URL": store,
        "SPREIDING_DATA_DIR": str(folder / "var"),
        "SPREIDING_ALERTS__URL": url,
        "SPREIDING_ALERTS__SECRET": SECRET,
        "SPREIDING_ALERTS__OPERATOR_EMAIL": OPERATOR,
        "SPREIDING_ALERTS__WINDOW_SECONDS": str(WINDOW),
        # Report day for 2023 has passed and the store has no 2023 figures: the inventory fails.
        "SPREIDING_TODAY": "2023-06-01",
        "SPREIDING_SMTP__PORT": str(free_port()),  # nothing listens: mail cannot go out
    }
    server = Server(prefect_server.api, env, prefect_server.database)
    with web_service(settings, port) as service:
        deployed = subprocess.run(
            [str(BIN / "spreiding"), "deploy", "--pool", POOL],
            env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr
        assert "6 alert automations" in deployed.stdout
        try:
            yield server, service
        finally:
            server.forget_deployments()
            for automation in server.post("/automations/filter", {}):
                if automation["name"].startswith("spreiding: "):
                    server.delete(f"/automations/{automation['id']}")


def _mail(store: str, key: str):
    with Session(get_engine(store)) as session:
        found = [m for m in outbox_messages(session, kind=ALERT_KIND) if m.key == key]
    return found[0] if found else None


def test_deploy_creates_the_automations_with_the_secret_out_of_sight(alerting):
    server, _service = alerting
    found = {a["name"]: a for a in server.post("/automations/filter", {})}
    assert "spreiding: run mislukt" in found
    assert "spreiding: annual-inventory niet op tijd klaar" in found
    overdue = found["spreiding: case-deadline-signals niet op tijd klaar"]
    assert overdue["trigger"]["posture"] == "Proactive"
    assert overdue["trigger"]["within"] == WINDOW
    assert all(SECRET not in str(a) for a in found.values())
    [block] = server.post(
        "/block_documents/filter", {"block_documents": {"name": {"any_": ["spreiding-beheer"]}}}
    )
    assert SECRET not in str(block)  # the headers are a secret field: obfuscated


def test_a_failing_run_mails_the_operator_in_dutch(alerting, tmp_path):
    server, service = alerting
    worker = start(
        server, str(BIN / "prefect"), "worker", "start", "--pool", POOL, log=tmp_path / "w.log"
    )
    try:
        run = subprocess.run(
            [str(BIN / "spreiding"), "flows", "run", "annual-inventory", "--year", "2023"],
            env=server.env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    finally:
        stop(worker, signal.SIGINT)
    assert run.returncode == 1, run.stdout + run.stderr + (tmp_path / "w.log").read_text()
    [failed] = [
        r for r in server.post("/flow_runs/filter", {"limit": 200})
        if r["name"] == "inventarisatie-2023"
    ]  # fmt: skip
    # Failed with its reason, not Crashed: the run's summary travels in an exception.
    assert (failed["state_type"], failed["state_name"]) == ("FAILED", "Failed")
    store = server.env["SPREIDING_DATABASE_URL"]
    mail = wait(
        lambda: _mail(store, f"prefect:mislukt:{failed['id']}"),
        timeout=60,
        what="the automation to call the hook",
    )
    assert mail.to_address == OPERATOR
    assert mail.subject == "[spreiding] annual-inventory: run inventarisatie-2023 is mislukt"
    assert "van de flow annual-inventory is geëindigd in de toestand mislukt (Failed)" in mail.body
    assert "Rapportage 2023 niet geschreven" in mail.body
    assert not any(SECRET in line for line in service.logs.lines)


def test_a_due_run_that_nobody_runs_mails_the_operator(alerting):
    server, _service = alerting
    deployment = server.deployments()["case-deadline-signals"]
    due = datetime.now(UTC) + timedelta(seconds=1)
    run = server.post(
        f"/deployments/{deployment['id']}/create_flow_run",
        {"state": {"type": "SCHEDULED", "state_details": {"scheduled_time": due.isoformat()}}},
    )
    try:
        mail = wait(
            lambda: _mail(server.env["SPREIDING_DATABASE_URL"], f"prefect:te-laat:{run['id']}"),
            timeout=90,
            what="the proactive automation to call the hook",
        )
    finally:
        server.delete(f"/flow_runs/{run['id']}")  # no later serve may run it
    assert mail.subject == (
        f"[spreiding] case-deadline-signals: run {run['name']} is niet op tijd klaar"
    )
    assert "Toestand nu: te laat (Late)" in mail.body
