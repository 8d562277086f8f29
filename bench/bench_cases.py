"""Benchmark: accepted case transitions per second, with the audit trail, per database.

Each transition is what ``spreiding case send`` does: one transaction that loads the case,
rebuilds its StateChart, checks role and payload, updates the row under its version check and
appends a hash-chained audit event. Run: ``.venv/bin/python bench/bench_cases.py``; set
SPREIDING_TEST_POSTGRES_URL to include PostgreSQL (a throwaway schema is used and dropped).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from spreiding.core.settings import ServiceNorms
from spreiding.models.db import make_engine, session_scope
from spreiding.models.loading import init_database
from spreiding.statemachine import rules
from spreiding.statemachine.service import Actor, Context, register_case, send_event

CTX = Context(("PV26", "PV27", "PV28"), ServiceNorms(), date(2026, 4, 20))
JOURNEY = [
    ("start_screening", "bzk"),
    ("open_consultation", "bzk"),
    ("issue_advice", "bzk"),
    ("accept_advice", "ministry:FIN"),
    ("decide", "ministry:FIN"),
]
CASES, RUNS = 40, 5


def _payload(event: str) -> dict:
    payload = rules.example_step(event)[1]
    if "location" in payload:
        payload["location"] = "Groningen"
    return payload


def one_run(engine) -> float:
    """Transitions per second over CASES full journeys (registration not counted)."""
    with session_scope(engine) as session:
        ids = [
            register_case(
                session,
                CTX,
                Actor("Bench", "bzk"),
                organisation="BD",
                case_type="groei",
                fte=150,
                location="Den Haag",
            ).id
            for _ in range(CASES)
        ]
    start = time.perf_counter()
    for case_id in ids:
        for event, role in JOURNEY:
            with session_scope(engine) as session:
                send_event(session, CTX, Actor("Bench", role), case_id, event, _payload(event))
    return len(ids) * len(JOURNEY) / (time.perf_counter() - start)


def measure(name: str, engine) -> None:
    init_database(engine, with_demo=True)
    one_run(engine)  # warm-up
    rates = [one_run(engine) for _ in range(RUNS)]
    print(f"| {name} | {statistics.median(rates):,.0f} | {min(rates):,.0f} | {max(rates):,.0f} |")


def main() -> None:
    print(f"{CASES} cases x {len(JOURNEY)} transitions per run, median of {RUNS} runs")
    print("| database | transitions/s (median) | min | max |\n|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        measure("SQLite (file, WAL)", engine)
        engine.dispose()
    url = os.environ.get("SPREIDING_TEST_POSTGRES_URL")
    if not url:
        print("(PostgreSQL skipped: set SPREIDING_TEST_POSTGRES_URL)", file=sys.stderr)
        return
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
        engine = make_engine(scoped.render_as_string(hide_password=False))
        measure("PostgreSQL 15 (localhost)", engine)
        engine.dispose()
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
