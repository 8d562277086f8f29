"""Benchmark: listing cases, ``case list --json`` as the service does it, over 1,000 cases.

What is timed is :func:`~spreiding.statemachine.service.list_cases` plus
:func:`~spreiding.statemachine.service.case_json` (without events) for every case, as BZK:
the work behind ``spreiding case list`` and ``GET /api/v1/cases``. The allowed events per
case come from a table derived once per (lifecycle version, state, role) from the chart
class, not from a StateChart built per case. Run: ``.venv/bin/python bench/bench_list.py``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from spreiding.core.settings import ServiceNorms
from spreiding.models.db import make_engine, session_scope
from spreiding.models.loading import init_database
from spreiding.statemachine import service
from spreiding.statemachine.service import Actor, Context, case_json, list_cases, register_case

cases_json = getattr(service, "cases_json", None)  # absent before the listing was batched

CTX = Context(("PV26", "PV27", "PV28"), ServiceNorms(), date(2026, 4, 20))
CASES, RUNS = 1000, 5


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        import os

        os.environ["SPREIDING_DATA_DIR"] = folder
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        init_database(engine, with_demo=True)
        with session_scope(engine) as session:
            for i in range(CASES):
                register_case(
                    session,
                    CTX,
                    Actor("Bench", "bzk"),
                    organisation="BD",
                    case_type="groei",
                    fte=150 + i % 7,
                    location="Den Haag",
                )
        timings = []
        for _ in range(RUNS):
            with session_scope(engine) as session:
                start = time.perf_counter()
                cases = list_cases(session, CTX, "bzk")
                rows = (
                    cases_json(session, cases, "bzk")
                    if cases_json is not None
                    else [case_json(session, c, "bzk", with_events=False) for c in cases]
                )
                timings.append(time.perf_counter() - start)
            assert len(rows) >= CASES
        median = statistics.median(timings)
        print(f"list {CASES} cases as bzk: median {median * 1000:.0f} ms over {RUNS} runs")
    sys.exit(0)


if __name__ == "__main__":
    main()
