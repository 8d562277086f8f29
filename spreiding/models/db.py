"""Engines, sessions and migrations of the store.

SQLite is the embedded default (WAL journal, foreign keys on, a busy timeout so that two
processes wait for each other instead of failing); any SQLAlchemy URL, PostgreSQL included,
works through ``SPREIDING_DATABASE_URL``. The schema is owned by Alembic: :func:`migrate`
brings a database to the newest revision, and nothing calls ``create_all``.

Serialising writers on SQLite: the ``sqlite3`` module (in its default, "legacy" transaction
mode, which SQLAlchemy keeps) opens a transaction only before the first INSERT, UPDATE or
DELETE; reads before it run on their own and see the newest committed data. SQLite ignores
``SELECT ... FOR UPDATE``, so a read-then-write that must not interleave with another
process's (two imports of one ministry's delivery) calls :func:`lock_for_writing` first:
``BEGIN IMMEDIATE`` takes the database's one write lock, waiting up to the busy timeout for
the writer before it, and everything the transaction reads from then on stays true until it
commits. A writer that waits longer than the busy timeout gets :class:`DatabaseBusy`.

Checking the schema version is on every command's start-up path, so it reads the
``alembic_version`` table with plain SQLAlchemy and takes the newest revision from the
migration files' own ``revision``/``down_revision`` lines; Alembic's runtime (which imports
the dialects of every database it supports) is imported only to migrate.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlmodel import Session

from spreiding.core.errors import ConfigurationError, DatabaseBusy, InvalidInput, NotFound
from spreiding.core.settings import get_settings

MIGRATIONS = Path(str(files("spreiding") / "migrations"))
BUSY_TIMEOUT_SECONDS = 10
BUSY_MESSAGE = (
    f"De database is bezet: een ander proces (bijvoorbeeld een grote import) schrijft er al "
    f"meer dan {BUSY_TIMEOUT_SECONDS} s in; er is niets gewijzigd, probeer het zo opnieuw"
)


# -- text the store cannot hold ---------------------------------------------------------------

NUL_MESSAGE = "bevat een NUL-teken (0x00), dat niet kan worden opgeslagen of gezocht; haal het weg"
"""Why text with a NUL character is refused: PostgreSQL can neither store nor compare it
(and refuses the whole statement), SQLite would store it silently; both refuse it alike."""


def _nul_in(value: Any, name: str) -> str | None:
    """The name of the (innermost) field of ``value`` whose text holds a NUL, if any."""
    if isinstance(value, str):
        return name if "\x00" in value else None
    if isinstance(value, dict):
        items: Any = ((str(k), v) for k, v in value.items())
    elif isinstance(value, list | tuple):
        items = ((name, v) for v in value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return name
        found = _nul_in(item, key)
        if found is not None:
            return found
    return None


@event.listens_for(Session, "before_flush")
def _refuse_nul_in_rows(session: Session, _context: Any, _instances: Any) -> None:
    """A row about to be written with a NUL in a text (or JSON text) names that field."""
    for row in (*session.new, *session.dirty):
        for column in inspect(row).mapper.column_attrs:
            found = _nul_in(getattr(row, column.key, None), column.key)
            if found is not None:
                raise InvalidInput(f"{found!r} {NUL_MESSAGE}")


def _refuse_nul_in_statement(
    _conn: Any, _cursor: Any, _statement: str, parameters: Any, *_rest: Any
) -> None:
    """Any other statement (a search, a filter, a sign-in) with a NUL in a parameter."""
    if _nul_in(parameters, "invoer") is not None:
        raise InvalidInput(f"De invoer {NUL_MESSAGE}.")


def _lower(text: str | None) -> str | None:
    return text.lower() if isinstance(text, str) else text


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # SQLite's own lower() folds ASCII only; a search must fold "É" as Python (and
    # PostgreSQL) do, so the listing's text search gives the same cases on both.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; for a SQLite file, create its folder first."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        # The URL may hold a password: name only its start.
        raise ConfigurationError(
            f"SPREIDING_DATABASE_URL: cannot parse the URL starting {url.split(':')[0]!r}"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigurationError(
                    f"cannot create the folder {folder} for the database: {exc.strerror or exc}"
                ) from None
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    # Our engines and sessions only: Prefect's server, in the same process, keeps its own.
    event.listen(engine, "before_cursor_execute", _refuse_nul_in_statement)
    return engine


@cache
def _engine_for(url: str) -> Engine:
    return make_engine(url)


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for ``url`` (default: the configured database)."""
    return _engine_for(url or get_settings().sqlalchemy_url)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One unit of work: commit when the block ends normally, roll back on any exception."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except OperationalError as exc:
            session.rollback()
            if is_busy(exc):
                raise DatabaseBusy(BUSY_MESSAGE) from None
            raise
        except BaseException:
            session.rollback()
            raise


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's "database is locked": a writer waited out the busy timeout."""
    orig = getattr(exc, "orig", exc)
    return isinstance(orig, sqlite3.OperationalError) and "database is locked" in str(orig)


def lock_for_writing(session: Session) -> None:
    """Serialise the rest of ``session``'s transaction with every other writer (SQLite).

    On SQLite this emits ``BEGIN IMMEDIATE`` unless the transaction has written already (and
    so holds the write lock); call it before the reads the writes depend on. Other backends
    have row locks: there it does nothing and callers lock rows (``with_for_update``).
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    if not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind ``engine`` to ``revision`` (default: the newest)."""
    from alembic import command

    try:
        command.upgrade(_alembic_config(engine), revision)
    except OperationalError as exc:
        if is_busy(exc):
            raise DatabaseBusy(BUSY_MESSAGE) from None
        raise ConfigurationError(f"cannot reach the database: {exc.orig}") from None


def downgrade(engine: Engine, revision: str) -> None:
    """Downgrade the database behind ``engine`` to ``revision`` (``base`` empties it)."""
    from alembic import command

    command.downgrade(_alembic_config(engine), revision)


_REVISION_LINE = re.compile(
    r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(?:'([^']*)'|\"([^\"]*)\"|None)", re.M
)


@cache
def known_revisions() -> dict[str, str | None]:
    """Every migration's revision id and the revision it follows, read from the files.

    A regular expression over the ``revision = ...`` and ``down_revision = ...`` lines, so
    that no command has to import Alembic to know the newest schema; a test checks that this
    agrees with Alembic's own reading of the scripts.
    """
    graph: dict[str, str | None] = {}
    for script in sorted((MIGRATIONS / "versions").glob("*.py")):
        found = {
            match[1]: match[2] or match[3] or None
            for match in _REVISION_LINE.finditer(script.read_text(encoding="utf-8"))
        }
        if found.get("revision"):
            graph[found["revision"]] = found.get("down_revision")
    return graph


def head_revisions() -> frozenset[str]:
    """The newest revision(s): those no other migration follows (one, unless branches)."""
    graph = known_revisions()
    return frozenset(graph) - {down for down in graph.values() if down}


def current_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        query = text("SELECT version_num FROM alembic_version ORDER BY version_num")
        versions = list(connection.scalars(query))
    if len(versions) > 1:
        raise ConfigurationError(
            f"the database is at more than one schema revision ({', '.join(versions)})"
        )
    return versions[0] if versions else None


def check_schema(engine: Engine) -> None:
    """Refuse a database that is empty, behind the code's schema or ahead of it (one line)."""
    revision = current_revision(engine)
    if revision is None:
        raise NotFound("the database is empty: run 'spreiding init' (or 'spreiding init --demo')")
    heads = head_revisions()
    if revision in heads:
        return
    newest = ", ".join(sorted(heads))
    if revision in known_revisions():
        raise ConfigurationError(
            f"the database has schema revision {revision}, this version of spreiding needs "
            f"{newest}: run 'spreiding init' to upgrade it"
        )
    raise ConfigurationError(
        f"the database has schema revision {revision}, which this version of spreiding does "
        f"not know (newest: {newest}); was it made by a newer version?"
    )
