"""A SQLite database that another process keeps busy: one line that says to retry, no trace."""

import sqlite3
import subprocess
import sys
import time

from sqlalchemy.engine import make_url

from spreiding.core.settings import get_settings
from spreiding.models.db import BUSY_TIMEOUT_SECONDS

# Another process takes the write lock and holds it (as a 1M-row import does) until killed.
HOLD_THE_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
connection.execute("INSERT INTO ministry (code, name) VALUES ('LOCK', 'Schrijvend proces')")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_a_write_to_a_busy_sqlite_database_is_one_line_saying_to_retry(
    sqlite_db, cli, monkeypatch, tmp_path
):
    monkeypatch.setenv("SPREIDING_DATABASE_URL", sqlite_db.url)
    monkeypatch.setenv("SPREIDING_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    assert cli("init").exit_code == 0
    path = make_url(sqlite_db.url).database
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, path, str(BUSY_TIMEOUT_SECONDS * 3)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        result = cli("ministry", "add", "--code", "FIN", "--name", "Ministerie van Financiën")
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "database is bezet" in lines[0] and "probeer het zo opnieuw" in lines[0]
    assert waited >= BUSY_TIMEOUT_SECONDS - 1  # it waited for the other writer first
    with sqlite3.connect(path) as connection:  # and wrote nothing
        assert connection.execute("SELECT code FROM ministry").fetchall() == []
