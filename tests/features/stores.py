"""Clean stores for scenarios: migrated, with the demo set, and cheap to get clean again.

Every scenario starts from the same store: the schema at the newest migration, the reference
geography and the synthetic demo set, and nothing else.

* **SQLite**: migrated once into a template file; each scenario gets a copy of the file.
* **PostgreSQL**: one schema per session in the test database (only ``CREATE SCHEMA`` rights
  are needed, as for ``tests/conftest.py``), migrated once. After each scenario it is made
  clean again: tables that are empty in a fresh store are truncated; every other table
  (reference data, demo set) and the schema's tables, triggers and functions are compared
  with fingerprints taken of the fresh store. When anything differs (a scenario dropped the
  audit trigger, or changed an organisation) the schema is dropped and built anew.

Why not a database per scenario (``CREATE DATABASE ... TEMPLATE``): creating one is fast,
but ``DROP DATABASE`` forces a checkpoint, which took 0.3 to 5 s each on a busy server.
Truncating takes milliseconds and never waits for a checkpoint.
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

from spreiding.models.db import get_engine, make_engine
from spreiding.models.loading import init_database
from tests.conftest import Database

_SCHEMA_OBJECTS = """
SELECT md5(coalesce(string_agg(x, ',' ORDER BY x), '')) FROM (
  SELECT 'r:' || c.relname || ':' || c.relkind::text AS x
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :s
  UNION ALL
  SELECT 't:' || t.tgname || ':' || t.tgenabled::text
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :s AND NOT t.tgisinternal
  UNION ALL
  SELECT 'f:' || p.proname || ':' || md5(p.prosrc)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = :s
) q
"""
_SCHEMA_KEY = "-- schema objects --"


@dataclass
class _PgStore:
    """The session's PostgreSQL schema and the fingerprints of it when fresh."""

    database: Database
    schema: str
    tables: list[str]
    fresh: dict[str, tuple[int, str]]


class SpecStores:
    """The stores of one test session, one clean store per scenario."""

    def __init__(self, folder: Path, pg_url: str | None) -> None:
        self.folder = folder
        self.pg_url = pg_url
        self._sqlite: Path | None = None
        self._pg: _PgStore | None = None

    def get(self, backend: str, folder: Path) -> Database:
        """A clean store for one scenario on ``backend`` (``sqlite`` or ``postgresql``)."""
        if backend == "sqlite":
            target = folder / "spreiding.db"
            shutil.copyfile(self._sqlite_template(), target)
            return Database(f"sqlite:///{target}", "sqlite")
        if self._pg is None:
            self._pg = self._new_pg_store()
        return self._pg.database

    def release(self, database: Database) -> None:
        """The scenario is over: close its SQLite file, or make the PostgreSQL schema clean."""
        if database.backend == "sqlite":
            get_engine(database.url).dispose()
        elif self._pg is not None and not self._clean_or_false(self._pg):
            self._drop(self._pg)
            self._pg = None

    def close(self) -> None:
        """Drop the PostgreSQL schema of this session."""
        if self._pg is not None:
            self._drop(self._pg)
            self._pg = None

    # -- SQLite --------------------------------------------------------------------------------

    def _sqlite_template(self) -> Path:
        if self._sqlite is None:
            path = self.folder / "template.db"
            engine = make_engine(f"sqlite:///{path}")
            init_database(engine, with_demo=True)
            engine.dispose()  # the last connection checkpoints the WAL into the file
            self._sqlite = path
        return self._sqlite

    # -- PostgreSQL ----------------------------------------------------------------------------

    def _admin(self, statement: str) -> None:
        assert self.pg_url is not None
        admin = create_engine(self.pg_url, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(statement))
        finally:
            admin.dispose()

    def _new_pg_store(self) -> _PgStore:
        assert self.pg_url is not None
        schema = f"spec_{uuid.uuid4().hex[:12]}"
        self._admin(f'CREATE SCHEMA "{schema}"')
        url = make_url(self.pg_url).update_query_dict({"options": f"-csearch_path={schema}"})
        database = Database(url.render_as_string(hide_password=False), "postgresql")
        store = _PgStore(database, schema, [], {})
        try:
            init_database(database.engine(), with_demo=True)
            with database.engine().connect() as connection:
                store.tables = list(
                    connection.scalars(
                        text("SELECT tablename FROM pg_tables WHERE schemaname = :s ORDER BY 1"),
                        {"s": schema},
                    )
                )
                store.fresh = _fingerprints(connection, schema, store.tables)
        except BaseException:
            self._drop(store)
            raise
        return store

    def _clean_or_false(self, store: _PgStore) -> bool:
        try:
            return self._clean(store)
        except Exception:  # whatever went wrong, the next scenario gets a new schema
            return False

    def _clean(self, store: _PgStore) -> bool:
        """Truncate what scenarios fill; False when something else changed."""
        with store.database.engine().begin() as connection:
            now = _fingerprints(connection, store.schema, store.tables)
            changed = [key for key, fresh in store.fresh.items() if fresh[0] and now[key] != fresh]
            if changed or now[_SCHEMA_KEY] != store.fresh[_SCHEMA_KEY]:
                return False
            filled = [t for t in store.tables if now[t][0] and not store.fresh[t][0]]
            if filled:
                names = ", ".join(f'"{store.schema}"."{t}"' for t in filled)
                # The audit trail refuses TRUNCATE (a trigger); a test may reset it anyway.
                connection.execute(text("SET LOCAL session_replication_role = replica"))
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        return True

    def _drop(self, store: _PgStore) -> None:
        store.database.engine().dispose()
        self._admin(f'DROP SCHEMA IF EXISTS "{store.schema}" CASCADE')


def _fingerprints(
    connection: Connection, schema: str, tables: list[str]
) -> dict[str, tuple[int, str]]:
    """Each table's row count and content hash, and a hash of the schema's objects."""
    parts = [
        f"SELECT '{t}', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) "
        f'FROM "{schema}"."{t}" x'
        for t in tables
    ]
    rows = connection.execute(text(" UNION ALL ".join(parts))).all()
    found = {str(name): (int(count), str(digest)) for name, count, digest in rows}
    found[_SCHEMA_KEY] = (1, str(connection.scalar(text(_SCHEMA_OBJECTS), {"s": schema})))
    return found
