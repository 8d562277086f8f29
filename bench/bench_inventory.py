"""Benchmark: importing one 100,000-row delivery, on SQLite and on PostgreSQL.

    .venv/bin/python bench/bench_inventory.py [--rows 100000] [--runs 5]

Each backend gets a fresh store: a SQLite file in a temporary folder, and on PostgreSQL a
throwaway schema on the server named by ``SPREIDING_TEST_POSTGRES_URL`` (skipped when unset),
dropped afterwards. The store holds the reference geography and one ministry with 300
organisations, so that a file can name 100,000 distinct (organisation, municipality) pairs.

Every run imports a new version of the file (one fte changed, so another sha256), which
supersedes the previous one as a ministry's redelivery would. Timed separately: reading and
checking the file (parse), and writing it in one transaction (load: submission row, superseding
and a bulk insert of the counts). The table shows the median of the runs (and the fastest).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, insert, text
from sqlalchemy.engine import make_url

from spreiding.geography.reference import municipalities
from spreiding.inventory.deliveries import load_submission, read_file
from spreiding.models.db import make_engine, session_scope
from spreiding.models.loading import init_database
from spreiding.models.tables import Ministry, Organisation

ORGANISATIONS = 300


@contextmanager
def sqlite_store(folder: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def postgres_store(base: str) -> Iterator[Engine]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def prepare(engine: Engine) -> None:
    """Reference data, one ministry and its organisations."""
    init_database(engine)
    with session_scope(engine) as session:
        session.execute(insert(Ministry), [{"code": "BENCH", "name": "Ministerie van Meten"}])
        session.execute(
            insert(Organisation),
            [
                {
                    "code": f"BENCH-{n:03d}",
                    "name": f"Meetdienst {n:03d}",
                    "ministry_code": "BENCH",
                    "sector": "ministeries",
                    "is_zbo": False,
                    "synthetic": True,
                }
                for n in range(ORGANISATIONS)
            ],
        )


def write_file(path: Path, rows: int, version: int) -> Path:
    """A ';'-separated delivery of ``rows`` rows with decimal commas; ``version`` varies a value."""
    codes = [m.code for m in municipalities()]
    if rows > len(codes) * ORGANISATIONS:
        sys.exit(f"at most {len(codes) * ORGANISATIONS} rows")
    lines = ["organisatie;gemeente;fte"]
    for n in range(rows):
        fte = f"{version}" if n == 0 else f"{(n % 97) + 0.5:.1f}".replace(".", ",")
        lines.append(f"BENCH-{n // len(codes):03d};{codes[n % len(codes)]};{fte}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_once(engine: Engine, path: Path) -> tuple[float, float]:
    """Seconds to parse and to load one file."""
    with session_scope(engine) as session:
        start = time.perf_counter()
        parsed = read_file(session, path, year=2023)
        parsed_at = time.perf_counter()
        result = load_submission(session, parsed)
    loaded_at = time.perf_counter()
    assert result.status == "loaded" and result.rows == len(parsed.rows)
    return parsed_at - start, loaded_at - parsed_at


def measure(name: str, engine: Engine, folder: Path, rows: int, runs: int) -> dict:
    prepare(engine)
    parse, load = [], []
    for version in range(runs):
        path = write_file(folder / f"bench-{name}-{version}.csv", rows, version + 1)
        p, w = run_once(engine, path)
        parse.append(p)
        load.append(w)
    total = [p + w for p, w in zip(parse, load, strict=True)]
    return {
        "backend": name,
        "rows": rows,
        "parse": statistics.median(parse),
        "load": statistics.median(load),
        "total": statistics.median(total),
        "best": min(total),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with sqlite_store(folder) as engine:
            results.append(measure("SQLite", engine, folder, args.rows, args.runs))
        base = os.environ.get("SPREIDING_TEST_POSTGRES_URL")
        if base:
            with postgres_store(base) as engine:
                results.append(measure("PostgreSQL", engine, folder, args.rows, args.runs))
        else:
            print("SPREIDING_TEST_POSTGRES_URL is not set: PostgreSQL skipped", file=sys.stderr)
    print(f"Import of one delivery, median of {args.runs} runs (seconds)\n")
    print("| backend | rows | parse | load | total | fastest | rows/s |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    for r in results:
        print(
            f"| {r['backend']} | {r['rows']:,} | {r['parse']:.2f} | {r['load']:.2f} | "
            f"{r['total']:.2f} | {r['best']:.2f} | {r['rows'] / r['total']:,.0f} |"
        )


if __name__ == "__main__":
    main()
