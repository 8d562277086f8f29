"""A real ``prefect server start`` on loopback, once per test session, for the flow tests.

It runs in a ``PREFECT_HOME`` of its own, its store on PostgreSQL (a database of its own,
dropped afterwards) when the local server answers, on SQLite otherwise. Its scheduler and
late-runs loops, and the runners' and workers' polling, are short so that tests that wait for
the scheduler wait seconds, not minutes. Beside it a spreiding store (SQLite, initialised).
Subprocesses (``spreiding serve``, ``spreiding deploy``, ``prefect worker start``) get
:attr:`Server.env` and are stopped with SIGINT or SIGTERM, as an operator stops them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL
from tests.mailserver import free_port

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

    def delete(self, path: str) -> None:
        httpx.delete(f"{self.api}{path}", timeout=10).raise_for_status()

    def forget_deployments(self, names: list[str] | None = None) -> None:
        """Delete deployments (all by default): a later ``serve`` makes them anew.

        A deployment put on a work pool by ``spreiding deploy`` keeps its pool's pull steps
        when ``serve`` updates it, and a served run then cannot find its code: a test that
        deploys forgets its deployments afterwards, so tests do not depend on their order.
        """
        for name, deployment in self.deployments().items():
            if names is None or name in names:
                self.delete(f"/deployments/{deployment['id']}")

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


def wait(check, *, timeout: float, what: str, every: float = 0.5):
    """Poll ``check`` until it returns something true; fail naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"gave up waiting for {what}")


def start_server(folder: Path) -> Iterator[Server]:
    """``prefect server start`` on a free loopback port, with a spreiding store beside it."""
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
        wait(healthy, timeout=120, what="the Prefect server to answer", every=1)
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


def start(server: Server, *args: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        list(args), env=server.env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def stop(process: subprocess.Popen, signum: int) -> None:
    """Stop like an operator (SIGINT is Ctrl-C, SIGTERM is systemd): within 30 s, cleanly."""
    process.send_signal(signum)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail(f"still running 30 s after signal {signum}")
