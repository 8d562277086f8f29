"""The flows in operation, against a real ``prefect server start`` on loopback.

The server is the session's (:mod:`tests.flows.prefect_server`, started once, 10-20 s).
``spreiding serve``, ``spreiding deploy`` and ``prefect worker start`` run as the operator runs
them: subprocesses, stopped with SIGINT or SIGTERM. Each test sets up what it reads itself
(deployments, runs), so any one of them runs alone.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_URL
from tests.flows.prefect_server import BIN, Server, start, stop, wait

FIVE = {
    "zbo-consultation-reminders": "zbo",
    "case-deadline-signals": "zaken",
    "annual-inventory": "inventarisatie",
    "regional-opportunities-overview": "regionale-kansen",
    "scenario-projection": "projectie",
}


@pytest.fixture
def server(prefect_server: Server) -> Server:
    """The session's Prefect server."""
    return prefect_server


def _active_with_runs(server: Server) -> dict[str, dict] | None:
    found = {n: d for n, d in server.deployments().items() if n in FIVE}
    if len(found) < 5 or any(d["paused"] for d in found.values()):
        return None
    if not all(server.runs(d["id"], "SCHEDULED") for d in found.values()):
        return None
    return found


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["sigint", "sigterm"])
def test_stopping_serve_leaves_five_active_deployments_with_their_runs(server, tmp_path, signum):
    serve = start(server, str(BIN / "spreiding"), "serve", log=tmp_path / "serve.log")
    wait(lambda: _active_with_runs(server), timeout=90, what="five served deployments")
    stop(serve, signum)
    assert "paused" not in (tmp_path / "serve.log").read_text().lower()
    found = _active_with_runs(server)
    assert found is not None, "a deployment was paused or lost its scheduled runs"
    assert set(found) == set(FIVE)


REGISTER = """
from spreiding.flows.serving import build_deployments
for deployment in build_deployments():
    deployment.apply()
"""


def _register(server: Server) -> dict[str, dict]:
    """Register the five deployments as ``serve`` does (without running them)."""
    done = subprocess.run(
        [sys.executable, "-c", REGISTER], env=server.env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return server.deployments()


def test_the_deployments_explain_themselves(server):
    found = _register(server)
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

    serve = start(server, *command, log=tmp_path / "first.log")
    wait(the_run, timeout=60, what="the scheduler to create the run due in 25 s")
    stop(serve, signal.SIGINT)
    wait(lambda: datetime.now(UTC) > due + timedelta(seconds=4), timeout=60, what="the due time")
    missed = the_run()
    assert missed["state_type"] == "SCHEDULED"  # nothing ran it: it waits (Late)
    serve = start(server, *command, log=tmp_path / "second.log")
    try:
        done = wait(
            lambda: (
                (r := the_run()) and r["state_type"] in ("COMPLETED", "FAILED", "CRASHED") and r
            ),
            timeout=120,
            what="the missed run to run",
        )
    finally:
        stop(serve, signal.SIGINT)
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
    worker = start(
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
        stop(worker, signal.SIGINT)
    assert run.returncode == 0, run.stdout + run.stderr + (tmp_path / "worker.log").read_text()
    outcome = json.loads(run.stdout)
    assert outcome["deployment"] == "case-deadline-signals/case-deadline-signals"
    assert outcome["state"] == "Completed" and outcome["flow_run"].startswith("termijnsignalen-")
    assert not any(d["paused"] for n, d in server.deployments().items() if n in FIVE)
    server.forget_deployments()  # a later serve makes its own (see Server.forget_deployments)


def test_prefects_own_store_is_the_database_apart(server):
    if PG_URL is None:
        pytest.skip("no PostgreSQL here: the server ran on SQLite")
    assert server.database == "postgresql"
    url = server.env["PREFECT_SERVER_DATABASE_CONNECTION_URL"].replace("+asyncpg", "+psycopg")
    _register(server)
    engine = create_engine(url)
    with engine.connect() as connection:
        names = connection.execute(text("SELECT name FROM deployment")).scalars().all()
    engine.dispose()
    assert set(FIVE) <= set(names)


def test_flows_run_gives_up_waiting_after_its_timeout(server):
    _register(server)  # a deployment that nothing serves now: its run waits
    spreiding = str(BIN / "spreiding")
    run = subprocess.run(
        [spreiding, "flows", "run", "case-deadline-signals", "--timeout", "3"],
        env=server.env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 124, run.stdout + run.stderr
    (line,) = run.stderr.splitlines()
    assert "niet klaar binnen 3 s / not finished within 3 s" in line
    assert "loopt door in Prefect" in line
    name = line.split(" run ", 1)[1].split(" ", 1)[0]
    deployment = server.deployments()["case-deadline-signals"]
    [waiting] = [r for r in server.runs(deployment["id"]) if r["name"] == name]
    assert waiting["state_type"] == "SCHEDULED"  # it goes on: a worker or serve would run it
    server.delete(f"/flow_runs/{waiting['id']}")  # no later test's serve may run it
