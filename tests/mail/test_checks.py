"""The "still true?" checks: delivery asks each message's kind just before sending it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import select
from sqlmodel import Session

from spreiding.mail import checks
from spreiding.mail.outbox import deliver_pending, enqueue
from spreiding.models.db import session_scope
from spreiding.models.tables import OutboxMessage


def _queue(engine, key: str, kind: str) -> None:
    with session_scope(engine) as session:
        enqueue(session, key=key, kind=kind, to="a@example.nl", subject=key, body="tekst")


@pytest.fixture
def checked(monkeypatch):
    """Register checks for this test only."""
    monkeypatch.setattr(checks, "_CHECKS", {})
    return checks


def test_a_message_no_longer_true_is_cancelled_and_the_rest_sent(demo_db, mail_server, checked):
    engine = demo_db.engine()
    seen = []

    def only_a(session, message):
        seen.append(message.key)
        return message.key != "b"

    checked.register("test-kind", only_a)
    for key in ("a", "b"):
        _queue(engine, key, "test-kind")
    _queue(engine, "c", "unchecked-kind")  # no check registered: sent as before checks
    report = deliver_pending(engine)
    assert (report.sent, report.failed, report.pending) == (2, 0, 0)
    assert sorted(m.subject for m in mail_server.received) == ["a", "c"]
    assert seen == ["a", "b"]
    with Session(engine) as session:
        b = session.scalars(select(OutboxMessage).where(OutboxMessage.key == "b")).one()
    assert b.sent_at is None and b.cancelled_at is not None
    assert deliver_pending(engine).sent == 0  # a cancelled message is never sent later


def test_every_kind_the_domains_queue_has_its_check():
    """In a fresh process: what the flows import before delivering registers every kind."""
    from spreiding.inventory.deliveries import REMINDER_KIND
    from spreiding.statemachine.signals import CASE_KIND
    from spreiding.zbo.consultations import OUTBOX_KIND

    code = (
        "import spreiding.flows.runs, json\n"
        "from spreiding.mail import checks\n"
        "print(json.dumps(sorted(checks.registered())))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert {REMINDER_KIND, CASE_KIND, OUTBOX_KIND} <= set(json.loads(out))
