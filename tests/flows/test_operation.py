"""The flows in operation, against a real ``prefect server start`` on loopback.

One server for this module (it costs 10-20 s to start), in a ``PREFECT_HOME`` of its own, its
store on PostgreSQL (a database of its own, dropped afterwards) when the local server answers,
on SQLite otherwise. Its scheduler and late-runs loops, and the runners' and workers' polling,
are short so that the catch-up test waits seconds, not minutes. ``spreiding serve``,
``spreiding deploy`` and ``prefect worker start`` run as the operator runs them: subprocesses,
stopped with SIGINT or SIGTERM.

The tests run in file order and share the server: the serve tests first, then catch-up, then
the work pool (which moves the deployments onto the pool).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL
from tests.mailserver import free_port

FIVE = {
    "zbo-consultation-reminders": "zbo",
    "case-deadline-signals": "zaken",
    "annual-inventory": "inventarisatie",
    "regional-opportunities-overview": "regionale-kansen",
    "scenario-projection": "projectie",
}
BIN = Path(sys.executable).parent


@dataclass
class Server:
    """A running Prefect server and the environment that points subprocesses at it."""

    api: str
    env: dict[str, str]
    database: str

    def get(self, path: str) -> object:
        response = httpx.get(f"{self.api}{path}", timeout=10)
        response.raise_for_status()
        return response.json()

    def post(self, path: str, body: dict) -> object:
        response = httpx.post(f"{self.api}{path}", json=body, timeout=10)
        response.raise_for_status()
        return response.json()

    def deployments(self) -> dict[str, dict]:
        found = self.post("/deployments/filter", {"limit": 50})
        return {d["name"]: d for d in found}

    def runs(self, deployment_id: str, *states: str) -> list[dict]:
        body: dict = {"deployments": {"id": {"any_": [deployment_id]}}, "limit": 200}
        if states:
            body["flow_runs"] = {"state": {"type": {"any_": list(states)}}}
        return self.post("/flow_runs/filter", body)


def _postgres_database() -> tuple[str | None, str | None]:
    """A fresh PostgreSQL database for Prefect's own store: (asyncpg URL, name), or Nones."""
    if not PG_URL:
        return None, None
    name = f"prefect_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(PG_URL).set(drivername="postgresql+asyncpg", database=name, query={})
    return url.render_as_string(hide_password=False), name


def _drop_database(name: str) -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _wait(check, *, timeout: float, what: str, every: float = 0.5):
    """Poll ``check`` until it returns something true; fail naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"gave up waiting for {what}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``prefect server start`` on a free loopback port, with a spreiding store beside it."""
    folder = tmp_path_factory.mktemp("operation")
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    pg_url, pg_name = _postgres_database()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "SPREIDING_"))}
    env |= {
        "PREFECT_HOME": str(folder / "prefect"),
        "PREFECT_API_URL": api,
        "PREFECT_UI_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2",
        # A yearly flow's next run is more than Prefect's default 100 days ahead: without this
        # the scheduler creates none for it (the README says the same for production).
        "PREFECT_SERVER_SERVICES_SCHEDULER_MAX_SCHEDULED_TIME": "P400D",
        "PREFECT_SERVER_SERVICES_LATE_RUNS_LOOP_SECONDS": "2",
        "PREFECT_SERVER_SERVICES_LATE_RUNS_AFTER_SECONDS": "2",
        "PREFECT_RUNNER_POLL_FREQUENCY": "2",
        "PREFECT_WORKER_QUERY_SECONDS": "2",
        "SPREIDING_DATA_DIR": str(folder / "var"),
        "SPREIDING_DATABASE_URL": f"sqlite:///{folder / 'spreiding.db'}",
    }
    if pg_url:
        env["PREFECT_SERVER_DATABASE_CONNECTION_URL"] = pg_url
    init = subprocess.run(
        [str(BIN / "spreiding"), "init"], env=env, capture_output=True, text=True, timeout=300
    )
    assert init.returncode == 0, init.stderr
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )

    def healthy() -> bool:
        if process.poll() is not None:
            pytest.fail(
                f"prefect server start ended: {(folder / 'server.log').read_text()[-2000:]}"
            )
        try:
            return httpx.get(f"{api}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        _wait(healthy, timeout=120, what="the Prefect server to answer", every=1)
        yield Server(api, env, "postgresql" if pg_url else "sqlite")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        if pg_name:
            _drop_database(pg_name)


def _start(server: Server, *args: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        list(args), env=server.env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def _stop(process: subprocess.Popen, signum: int) -> None:
    """Stop like an operator (SIGINT is Ctrl-C, SIGTERM is systemd): within 30 s, cleanly."""
    process.send_signal(signum)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail(f"still running 30 s after signal {signum}")


def _active_with_runs(server: Server) -> dict[str, dict] | None:
    found = {n: d for n, d in server.deployments().items() if n in FIVE}
    if len(found) < 5 or any(d["paused"] for d in found.values()):
        return None
    if not all(server.runs(d["id"], "SCHEDULED") for d in found.values()):
        return None
    return found


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_stopping_serve_leaves_five_active_deployments_with_their_runs(server, tmp_path, signum):
    serve = _start(server, str(BIN / "spreiding"), "serve", log=tmp_path / "serve.log")
    _wait(lambda: _active_with_runs(server), timeout=90, what="five served deployments")
    _stop(serve, signum)
    assert "paused" not in (tmp_path / "serve.log").read_text().lower()
    found = _active_with_runs(server)
    assert found is not None, "a deployment was paused or lost its scheduled runs"
    assert set(found) == set(FIVE)


def test_the_deployments_explain_themselves(server):
    found = server.deployments()
    for name, domain in FIVE.items():
        deployment = found[name]
        assert deployment["tags"] == ["spreiding", domain]
        assert " Voor " in deployment["description"]  # what, when, and for whom, in Dutch
        assert "database_url" not in deployment["parameter_openapi_schema"]["properties"]
    year = found["annual-inventory"]["parameter_openapi_schema"]["properties"]["year"]
    assert year["description"].startswith("Jaar van de peildatum")
    crons = [s["schedule"]["cron"] for s in found["annual-inventory"]["schedules"]]
    assert sorted(crons) == sorted(["0 6 1,8,15,22,29 3 *", "0 6 5,12,19,26 4 *", "0 6 1 5 *"])


CATCH_UP = """
import sys
from datetime import datetime
from prefect.schedules import Interval
from spreiding.flows import FLOWS, load_flow
from spreiding.flows.serving import serve

spec = FLOWS["case-deadline-signals"]
anchor = datetime.fromisoformat(sys.argv[1])
deployment = load_flow(spec.name).to_deployment(
    name=spec.name, schedules=[Interval(86400, anchor_date=anchor)], tags=spec.tags
)
serve([deployment])
"""


def test_a_run_due_while_serve_was_down_runs_once_when_it_is_back(server, tmp_path):
    due = (datetime.now(UTC) + timedelta(seconds=25)).replace(microsecond=0)
    script = tmp_path / "serve_case.py"
    script.write_text(CATCH_UP, encoding="utf-8")
    command = [sys.executable, str(script), due.isoformat()]

    def the_run() -> dict | None:
        deployment = server.deployments().get("case-deadline-signals")
        if deployment is None:
            return None
        runs = server.runs(deployment["id"])
        return next(
            (
                r
                for r in runs
                if r["expected_start_time"].startswith(due.strftime("%Y-%m-%dT%H:%M:%S"))
            ),
            None,
        )

    serve = _start(server, *command, log=tmp_path / "first.log")
    _wait(the_run, timeout=60, what="the scheduler to create the run due in 25 s")
    _stop(serve, signal.SIGINT)
    _wait(lambda: datetime.now(UTC) > due + timedelta(seconds=4), timeout=60, what="the due time")
    missed = the_run()
    assert missed["state_type"] == "SCHEDULED"  # nothing ran it: it waits (Late)
    serve = _start(server, *command, log=tmp_path / "second.log")
    try:
        done = _wait(
            lambda: (
                (r := the_run()) and r["state_type"] in ("COMPLETED", "FAILED", "CRASHED") and r
            ),
            timeout=120,
            what="the missed run to run",
        )
    finally:
        _stop(serve, signal.SIGINT)
    assert done["state_type"] == "COMPLETED"
    assert (
        done["name"]
        == f"termijnsignalen-{due.astimezone(ZoneInfo('Europe/Amsterdam')).date():%Y-%m-%d}"
    )
    deployment = server.deployments()["case-deadline-signals"]
    ran = server.runs(deployment["id"], "COMPLETED", "RUNNING", "FAILED", "CRASHED")
    assert [r["id"] for r in ran] == [done["id"]]  # once


def test_a_worker_on_the_pool_runs_a_deployment_and_its_stop_pauses_nothing(server, tmp_path):
    spreiding = str(BIN / "spreiding")
    deployed = subprocess.run(
        [spreiding, "deploy", "--pool", "spreiding-test"],
        env=server.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    found = server.deployments()
    assert {found[n]["work_pool_name"] for n in FIVE} == {"spreiding-test"}
    worker = _start(
        server,
        str(BIN / "prefect"),
        "worker",
        "start",
        "--pool",
        "spreiding-test",
        log=tmp_path / "worker.log",
    )
    try:
        run = subprocess.run(
            [spreiding, "flows", "run", "case-deadline-signals", "--json"],
            env=server.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        _stop(worker, signal.SIGINT)
    assert run.returncode == 0, run.stdout + run.stderr + (tmp_path / "worker.log").read_text()
    outcome = json.loads(run.stdout)
    assert outcome["deployment"] == "case-deadline-signals/case-deadline-signals"
    assert outcome["state"] == "Completed" and outcome["flow_run"].startswith("termijnsignalen-")
    assert not any(d["paused"] for n, d in server.deployments().items() if n in FIVE)


def test_prefects_own_store_is_the_database_apart(server):
    if PG_URL is None:
        pytest.skip("no PostgreSQL here: the server ran on SQLite")
    assert server.database == "postgresql"
    url = server.env["PREFECT_SERVER_DATABASE_CONNECTION_URL"].replace("+asyncpg", "+psycopg")
    engine = create_engine(url)
    with engine.connect() as connection:
        runs = connection.execute(text("SELECT count(*) FROM flow_run")).scalar_one()
    engine.dispose()
    assert runs >= 2  # the catch-up run and the worker's run, at least
