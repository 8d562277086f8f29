"""Two delivery runs at the same time, in two real processes, against one real SMTP server.

What a ministry relies on: however two runs (two flows, two hosts) overlap, every message in
the outbox arrives exactly once, on SQLite as on PostgreSQL. And a run that died while it
was sending does not keep its messages from the next run for ever.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from spreiding.core.settings import SmtpSettings
from spreiding.mail import outbox
from spreiding.mail.outbox import deliver_pending, enqueue
from spreiding.models.db import make_engine, migrate, session_scope
from spreiding.models.tables import OutboxMessage, utcnow
from tests.mailserver import MailServer

MESSAGES = 200
RUNS = 2
TIMEOUT = 120  # seconds for both runs together, far above what they take


def _deliver_in_child(url: str, port: int, start, results) -> None:
    """Child process: wait for the other run, then deliver with an engine of its own."""
    engine = make_engine(url)
    try:
        smtp = SmtpSettings(host="127.0.0.1", port=port, sender="spreiding@minbzk.nl", timeout=5)
        start.wait(timeout=TIMEOUT)
        report = deliver_pending(engine, smtp=smtp)
        results.put({"sent": report.sent, "failed": report.failed, "error": report.error})
    except BaseException as exc:  # report it to the test instead of dying silently
        results.put({"crash": f"{type(exc).__name__}: {exc}"})
    finally:
        engine.dispose()


def deliver_together(url: str, port: int) -> list[dict]:
    """Run ``deliver_pending`` in RUNS processes of their own, all starting at once."""
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(RUNS), context.Queue()
    children = [
        context.Process(target=_deliver_in_child, args=(url, port, start, results))
        for _ in range(RUNS)
    ]
    for child in children:
        child.start()
    try:
        reports = [results.get(timeout=TIMEOUT) for _ in children]
    except queue.Empty:
        pytest.fail(f"the delivery runs did not finish within {TIMEOUT} s")
    finally:
        for child in children:
            child.join(timeout=30)
            if child.is_alive():
                child.kill()
    crashes = [r["crash"] for r in reports if "crash" in r]
    assert not crashes, crashes
    return reports


def queue_messages(engine, n: int) -> list[str]:
    keys = [f"test:{i:03d}" for i in range(n)]
    with session_scope(engine) as session:
        for key in keys:
            enqueue(
                session,
                key=key,
                kind="test",
                to="contact@minfin.nl",
                subject=f"Herinnering ({key})",
                body="Het Ministerie van Financiën wordt herinnerd aan de opgave.\n",
            )
    return keys


@pytest.fixture
def engine(database):
    engine = make_engine(database.url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def server():
    server = MailServer().start()
    yield server
    server.stop()


def test_two_runs_at_once_send_every_message_exactly_once(database, engine, server):
    keys = queue_messages(engine, MESSAGES)
    reports = deliver_together(database.url, server.port)
    arrived = Counter(str(r.message["X-Spreiding-Key"]) for r in server.received)
    doubled = sorted(key for key, n in arrived.items() if n > 1)
    assert not doubled, f"{len(server.received)} mails for {MESSAGES} messages"
    assert sorted(arrived) == keys
    assert sum(r["sent"] for r in reports) == MESSAGES
    assert all(r["failed"] == 0 and r["error"] is None for r in reports)
    with session_scope(engine) as session:
        unsent = select(func.count()).where(OutboxMessage.sent_at.is_(None))
        assert session.scalar(unsent) == 0


def test_a_claim_left_by_a_dead_run_is_retaken_once_it_is_old(engine, server):
    """A run that died mid-send leaves its claim: the next run waits for it, then sends."""
    (key,) = queue_messages(engine, 1)
    smtp = SmtpSettings(host="127.0.0.1", port=server.port, timeout=5)
    with session_scope(engine) as session:  # what a run killed after claiming leaves behind
        session.execute(update(OutboxMessage).values(claimed_at=utcnow()))
    assert deliver_pending(engine, smtp=smtp).sent == 0  # it may still be sending: leave it
    assert server.received == []
    long_ago = utcnow() - outbox.CLAIM_TIMEOUT - timedelta(minutes=1)
    with session_scope(engine) as session:
        session.execute(update(OutboxMessage).values(claimed_at=long_ago))
    report = deliver_pending(engine, smtp=smtp)
    assert (report.sent, report.pending) == (1, 0)
    assert [str(r.message["X-Spreiding-Key"]) for r in server.received] == [key]
