"""Two imports of one ministry's delivery at the same time, in two real processes.

What the figures rely on: however two imports for FIN interleave, exactly one delivery is
current afterwards and FIN's fte count once. Two different files: the second to commit
supersedes the first. The same file twice: one is loaded, the other reports "unchanged".
Each import runs in a process of its own against the same SQLite file or PostgreSQL schema;
both start together (a barrier) after their interpreters have started.
"""

from __future__ import annotations

import multiprocessing
import queue
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from spreiding.geography.reference import municipalities
from spreiding.inventory.deliveries import import_file
from spreiding.models.db import make_engine, session_scope
from spreiding.models.figures import distribution
from spreiding.models.loading import init_database
from spreiding.models.tables import Ministry, Organisation, Submission

ROWS = 100_000  # the size of the files in which the race was found
ORGANISATIONS = 300  # x the 342 municipalities: room for 100,000 distinct rows
YEAR = 2024
RANDSTAD = ("PV26", "PV27", "PV28")
TIMEOUT = 240  # seconds for both imports together, far above what they take


def prepare(engine) -> None:
    """Reference data, the ministry FIN and organisations enough for 100,000 rows."""
    init_database(engine)
    with session_scope(engine) as session:
        session.execute(insert(Ministry), [{"code": "FIN", "name": "Ministerie van Financiën"}])
        session.execute(
            insert(Organisation),
            [
                {
                    "code": f"FIN-{n:03d}",
                    "name": f"Financiële dienst {n:03d}",
                    "ministry_code": "FIN",
                    "sector": "ministeries",
                    "is_zbo": False,
                    "synthetic": False,
                }
                for n in range(ORGANISATIONS)
            ],
        )


def delivery(path: Path, fte: int) -> tuple[Path, float]:
    """A FIN delivery of ROWS rows of ``fte`` each; returns the file and its total."""
    codes = [m.code for m in municipalities()]
    lines = ["organisatie;gemeente;fte"]
    lines += [f"FIN-{n // len(codes):03d};{codes[n % len(codes)]};{fte}" for n in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, float(ROWS * fte)


def _import_in_child(url: str, path: str, start, results) -> None:
    """Child process: wait for the other one, then import ``path`` with an engine of its own."""
    engine = make_engine(url)
    try:
        start.wait(timeout=TIMEOUT)
        result = import_file(Path(path), year=YEAR, engine=engine)
        results.put(result.to_json())
    except BaseException as exc:  # report it to the test instead of dying silently
        results.put({"error": f"{type(exc).__name__}: {exc}"})
    finally:
        engine.dispose()


def import_together(url: str, *paths: Path) -> list[dict]:
    """Import each of ``paths`` in a process of its own, all starting at once."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter, as a second user has
    start, results = context.Barrier(len(paths)), context.Queue()
    children = [
        context.Process(target=_import_in_child, args=(url, str(path), start, results))
        for path in paths
    ]
    for child in children:
        child.start()
    try:
        outcomes = [results.get(timeout=TIMEOUT) for _ in children]
    except queue.Empty:
        pytest.fail(f"the imports did not finish within {TIMEOUT} s")
    finally:
        for child in children:
            child.join(timeout=30)
            if child.is_alive():
                child.kill()
    errors = [o["error"] for o in outcomes if "error" in o]
    assert not errors, errors
    return outcomes


def fin_deliveries(engine) -> list[Submission]:
    with session_scope(engine) as session:
        query = select(Submission).where(Submission.ministry_code == "FIN").order_by(Submission.id)
        return list(session.scalars(query))


def fin_total(engine) -> float:
    with session_scope(engine) as session:
        return distribution(session, YEAR, RANDSTAD).total_fte


@pytest.fixture
def store(database):
    engine = make_engine(database.url)
    prepare(engine)
    yield database.url, engine
    engine.dispose()


def test_two_different_files_at_once_the_second_supersedes_the_first(store, tmp_path):
    url, engine = store
    first, first_total = delivery(tmp_path / "fin-a.csv", 1)
    second, second_total = delivery(tmp_path / "fin-b.csv", 2)
    outcomes = import_together(url, first, second)
    assert sorted(o["status"] for o in outcomes) == ["loaded", "loaded"]
    stored = fin_deliveries(engine)
    current = [s for s in stored if s.superseded_by is None]
    assert len(stored) == 2
    assert len(current) == 1, "both deliveries stayed current: FIN would count twice"
    (old,) = [s for s in stored if s.superseded_by is not None]
    assert old.superseded_by == current[0].id
    later = next(o for o in outcomes if o["submission_id"] == current[0].id)
    assert later["superseded"] == [old.id]
    expected = {str(first): first_total, str(second): second_total}
    assert fin_total(engine) == pytest.approx(expected[str(tmp_path / later["file"])])


def test_the_same_file_twice_at_once_is_loaded_once(store, tmp_path):
    url, engine = store
    path, total = delivery(tmp_path / "fin.csv", 3)
    outcomes = import_together(url, path, path)
    assert sorted(o["status"] for o in outcomes) == ["loaded", "unchanged"]
    assert len({o["submission_id"] for o in outcomes}) == 1
    assert len(fin_deliveries(engine)) == 1
    assert fin_total(engine) == pytest.approx(total)
