"""Shared fixtures: a real database per test (SQLite always, PostgreSQL when configured).

PostgreSQL tests run against ``SPREIDING_TEST_POSTGRES_URL`` or, when that is unset, the
local server at :data:`LOCAL_POSTGRES_URL` if it answers; each test gets its own schema,
created and migrated before and dropped after. The report header and the summary say which
backends ran. Under CI (``CI=true``) an unset or
unreachable server fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from spreiding.core.settings import get_settings
from spreiding.models.db import get_engine, make_engine

# Prefect reads PREFECT_HOME once, when it is first imported (maybe during collection).
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="spreiding-prefect-"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

UNDER_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
LOCAL_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _reachable(url: str) -> bool:
    """Whether a PostgreSQL server answers at ``url`` within two seconds."""
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 2}, poolclass=NullPool)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure to connect means: not here
        return False


def _postgres_url() -> tuple[str | None, str]:
    """The PostgreSQL URL the tests use, and where it came from (for the report header)."""
    given = os.environ.get("SPREIDING_TEST_POSTGRES_URL")
    if given:
        return given, "SPREIDING_TEST_POSTGRES_URL"
    if _reachable(LOCAL_POSTGRES_URL):
        return LOCAL_POSTGRES_URL, "SPREIDING_TEST_POSTGRES_URL unset, found on 127.0.0.1:5432"
    return None, "SPREIDING_TEST_POSTGRES_URL unset and nothing answers on 127.0.0.1:5432"


PG_URL, PG_SOURCE = _postgres_url()


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function: object) -> bool:
    """A tag in a feature file names a rule of the memo (``@principe-3``): no pytest marker.

    Taken here, in the root conftest, so that every test folder that binds a feature file
    collects under ``--strict-markers``; the memo gate (``spreiding.spec.memo``, run by
    ``tests/features/test_gate.py``) checks that each tag names a rule.
    """
    return True


def pytest_report_header(config: pytest.Config) -> str:
    """Say which database backends this run tests, before the first test."""
    if PG_URL:
        shown = make_url(PG_URL).render_as_string(hide_password=True)
        return f"database backends: sqlite, postgresql at {shown} ({PG_SOURCE})"
    return f"database backends: sqlite only; postgresql skipped: {PG_SOURCE}"


def pytest_terminal_summary(terminalreporter) -> None:
    """Count the tests that ran per backend (their ``[sqlite]``/``[postgresql]`` id)."""
    ran = {"sqlite": 0, "postgresql": 0}
    skipped = {"sqlite": 0, "postgresql": 0}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            ids = re.search(r"\[(.*)\]$", getattr(report, "nodeid", ""))
            backend = next((b for b in ran if ids and b in ids.group(1).split("-")), None)
            if backend is None or report.when == "teardown":
                continue
            if outcome == "skipped":
                skipped[backend] += 1
            elif report.when == "call" or outcome == "error":
                ran[backend] += 1
    line = (
        f"database backends: {ran['sqlite']} tests ran on sqlite, {ran['postgresql']} on postgresql"
    )
    if skipped["postgresql"] or skipped["sqlite"]:
        # Each skip names its own reason in the short summary; a missing server is one of them.
        line += f"; skipped: {skipped['sqlite']} on sqlite, {skipped['postgresql']} on postgresql"
    terminalreporter.write_line(line)


def _require_postgres() -> str:
    if not PG_URL:
        if UNDER_CI:
            pytest.fail("CI must test PostgreSQL: set SPREIDING_TEST_POSTGRES_URL")
        pytest.skip(f"no PostgreSQL: {PG_SOURCE}")
    try:
        with create_engine(PG_URL).connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # the test must fail, naming why, not skip
        pytest.fail(f"PostgreSQL at {PG_URL} is unreachable: {exc}")
    return PG_URL


@dataclass
class Database:
    """A fresh, empty database (no schema yet) for one test."""

    url: str
    backend: str

    def engine(self) -> Engine:
        """The process-wide engine for this URL (the one the CLI would use too)."""
        return get_engine(self.url)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Database:
    """A SQLite file in the test's own temporary folder."""
    return Database(f"sqlite:///{tmp_path / 'spreiding.db'}", "sqlite")


@pytest.fixture
def postgres_db() -> Iterator[Database]:
    """A schema of its own on the test PostgreSQL server, dropped afterwards."""
    base = _require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    database = Database(url.render_as_string(hide_password=False), "postgresql")
    try:
        yield database
    finally:
        get_engine(database.url).dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> Database:
    """Each test that uses this runs twice: on SQLite and on PostgreSQL."""
    name = "sqlite_db" if request.param == "sqlite" else "postgres_db"
    return request.getfixturevalue(name)


@pytest.fixture
def configured(database: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Database:
    """Point the settings (and so the CLI) at the test database."""
    monkeypatch.setenv("SPREIDING_DATABASE_URL", database.url)
    monkeypatch.setenv("SPREIDING_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("SPREIDING_RANDSTAD", raising=False)
    get_settings.cache_clear()
    yield database
    get_settings.cache_clear()


@pytest.fixture
def demo_db(configured: Database) -> Database:
    """The test database, migrated and filled with reference data and the demo set."""
    from spreiding.models.loading import init_database

    init_database(configured.engine(), with_demo=True)
    return configured


@dataclass
class CliResult:
    """What a user sees: the exit code, stdout and stderr."""

    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> object:
        """Stdout parsed as JSON."""
        import json

        return json.loads(self.stdout)

    @property
    def error(self) -> str:
        """The message of the one ``error: ...`` line a refusal prints ('' when stderr is empty)."""
        if not self.stderr:
            return ""
        assert self.stderr.startswith("error: ") and self.stderr.count("\n") == 1, self.stderr
        return self.stderr.removeprefix("error: ").rstrip("\n")


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run ``spreiding ARGS...`` in-process through the real entry point."""
    from spreiding.cli.main import main

    def run(*args: str) -> CliResult:
        get_settings.cache_clear()
        capsys.readouterr()
        monkeypatch.setattr("sys.argv", ["spreiding", *args])
        monkeypatch.setenv("COLUMNS", "200")
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


def fresh_engine(url: str) -> Engine:
    """A new engine of its own (not the cached one), for tests that dispose it."""
    return make_engine(url)


@pytest.fixture(scope="session")
def prefect_harness():
    """One Prefect test server for the whole session (it takes about 20 s to start).

    PREFECT_HOME is a temporary folder (set above), analytics are off, and the heartbeat (which
    makes every run wait about a second at its end) is turned off.
    """
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with (
        prefect_test_harness(server_startup_timeout=90),
        temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
    ):
        yield


# The real SMTP server's fixtures, for every test folder that sends mail.
from tests.mailserver import mail_outage, mail_server  # noqa: E402, F401
