"""A real web service per test session and backend: uvicorn on a free loopback port.

The server runs in a thread of the test process on a database of its own (a SQLite file, or
a PostgreSQL schema), migrated and filled with the demo set, one account and one API token
per role. Its clock is injectable (:class:`Clock`): tests move time forward instead of
sleeping. Every log line the server writes is kept, so tests can look for secrets in them.
Tests talk to it with httpx, as any client would.
"""

from __future__ import annotations

import contextlib
import logging
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from spreiding.accounts.store import add_account, create_token
from spreiding.core.principal import Principal
from spreiding.core.settings import AccountSettings, Settings
from spreiding.models.db import get_engine, session_scope
from spreiding.models.loading import init_database
from spreiding.models.tables import utcnow
from spreiding.opportunities.store import load_demo_opportunities
from spreiding.statemachine.demo import create_demo_cases
from spreiding.statemachine.service import Context, register_case
from spreiding.web.app import create_app
from tests.conftest import _require_postgres
from tests.loglines import LogLines
from tests.mailserver import free_port

CHEAP_ARGON2 = AccountSettings(argon2_time_cost=1, argon2_memory_cost=8, argon2_parallelism=1)
PASSWORD = "een lang en goed wachtwoord"
ROLES = ("bzk", "ministry:FIN", "ministry:JENV", "mr", "viewer", "beheer")
LEVELS = ("openbaar", "intern", "vertrouwelijk")
OWNERS = {"FIN": "BD", "JENV": "RSP"}  # ministry -> an organisation of it in the demo set


class Clock:
    """The server's clock: the real time plus an offset that tests move forward."""

    def __init__(self) -> None:
        self.offset = timedelta()
        self.lock = threading.Lock()

    def __call__(self) -> datetime:
        with self.lock:
            return utcnow() + self.offset

    def advance(self, **delta: float) -> None:
        """Move the server's time forward (minutes=31, hours=12, days=2 ...)."""
        with self.lock:
            self.offset += timedelta(**delta)


@dataclass
class Server:
    """The running service and what the tests need to know about it."""

    url: str
    backend: str
    settings: Settings
    clock: Clock
    logs: LogLines
    tokens: dict[str, str] = field(default_factory=dict)  # role -> bearer token
    emails: dict[str, str] = field(default_factory=dict)  # role -> e-mail address
    cases: dict[tuple[str, str], int] = field(default_factory=dict)  # (ministry, level) -> id

    @property
    def api(self) -> str:
        """The API's base URL."""
        return f"{self.url}/api/v1"

    def client(self, **kwargs: object) -> httpx.Client:
        """A new client with no cookies."""
        return httpx.Client(base_url=self.api, timeout=30, **kwargs)

    def bearer(self, role: str) -> httpx.Client:
        """A client that authenticates with the role's API token."""
        return self.client(headers={"Authorization": f"Bearer {self.tokens[role]}"})

    def sign_in(self, email: str, password: str = PASSWORD) -> httpx.Client:
        """A client signed in with the session cookie, the CSRF token in its headers."""
        client = self.client()
        answer = client.post("/session", json={"email": email, "password": password})
        assert answer.status_code == 201, answer.text
        client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
        return client

    def new_account(self, role: str = "bzk", password: str = PASSWORD) -> str:
        """A fresh account of its own for one test (throttling and expiry touch it)."""
        email = f"t-{uuid.uuid4().hex[:10]}@test.example"
        with session_scope(get_engine(self.settings.sqlalchemy_url)) as session:
            add_account(
                session, CHEAP_ARGON2, email=email, name=f"Test {role}", role=role,
                password=password,
            )  # fmt: skip
        return email


def _fill(settings: Settings, server: Server) -> None:
    engine = get_engine(settings.sqlalchemy_url)
    init_database(engine, with_demo=True)
    ctx = Context(settings.randstad, settings.norms, settings.current_date())
    with session_scope(engine) as session:
        create_demo_cases(session, ctx)
        load_demo_opportunities(session, 2024)
        bzk = Principal(role="bzk", name="Test BZK", via="cli", os_user="test")
        for ministry, org in OWNERS.items():
            for level in LEVELS:
                case = register_case(
                    session, ctx, bzk, organisation=org, case_type="groei", fte=150,
                    location="Den Haag", target="Groningen", confidentiality=level,
                    title=f"Matrix {ministry} {level}",
                )  # fmt: skip
                server.cases[(ministry, level)] = case.id
        for role in ROLES:
            email = f"{role.replace(':', '-').lower()}@test.example"
            account = add_account(
                session, CHEAP_ARGON2, email=email, name=f"Test {role}", role=role,
                password=PASSWORD,
            )  # fmt: skip
            server.emails[role] = email
            server.tokens[role] = create_token(session, account, days=30).secret


@contextlib.contextmanager
def _database(backend: str, folder: Path) -> Iterator[str]:
    """A fresh database URL for one server: a SQLite file or a PostgreSQL schema."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'spreiding.db'}"
        return
    base = _require_postgres()
    schema = f"w_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    try:
        yield rendered
    finally:
        get_engine(rendered).dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextlib.contextmanager
def _serve(backend: str) -> Iterator[Server]:
    folder = Path(tempfile.mkdtemp(prefix=f"spreiding-web-{backend}-"))
    with _database(backend, folder) as url:
        settings = Settings(
            database_url=url,
            data_dir=folder / "var",
            spec_dir=folder / "spec",
            accounts=CHEAP_ARGON2.model_copy(),
        )
        clock, logs = Clock(), LogLines()
        port = free_port()
        server = Server(f"http://127.0.0.1:{port}", backend, settings, clock, logs)
        _fill(settings, server)
        root = logging.getLogger()
        root.addHandler(logs)
        previous = root.level
        root.setLevel(logging.INFO)
        # A Prefect test earlier in the session configures the uvicorn loggers not to
        # propagate (Prefect's logging.yml): listen on them directly, so every line is seen.
        served = [
            logging.getLogger(name) for name in ("uvicorn", "uvicorn.access", "uvicorn.error")
        ]
        for logger in served:
            logger.disabled = False
            if not logger.propagate:
                logger.addHandler(logs)
        config = uvicorn.Config(
            create_app(settings, clock=clock),
            host="127.0.0.1",
            port=port,
            log_config=None,  # records go to the root logger, where LogLines keeps them
            log_level="info",
            lifespan="off",
        )
        uv = uvicorn.Server(config)
        thread = threading.Thread(target=uv.run, name=f"uvicorn-{backend}", daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not uv.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the web service did not start")
            time.sleep(0.02)
        try:
            yield server
        finally:
            uv.should_exit = True
            thread.join(timeout=10)
            root.removeHandler(logs)
            root.setLevel(previous)
            for logger in served:
                logger.removeHandler(logs)


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def server(request: pytest.FixtureRequest) -> Iterator[Server]:
    """The running web service, once per test session and backend."""
    with _serve(request.param) as running:
        yield running
