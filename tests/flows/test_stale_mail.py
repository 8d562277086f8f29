"""Mail that stopped being true while it waited is cancelled at delivery, whoever delivers it.

Both cases once went out for real: a "binnenkort" deadline signal queued on 3 December was
sent on 2 March by the zbo flow, weeks after the deadline had passed; FIN's "nog niet
geleverd" reminder was sent after FIN had delivered. A real SMTP server is down while the
message is queued and up when another flow delivers.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from spreiding.flows.inventory import annual_inventory
from spreiding.inventory.deliveries import import_file, reminder_key
from spreiding.inventory.demo_files import write_demo_files
from spreiding.models.db import session_scope
from spreiding.models.tables import OutboxMessage
from spreiding.statemachine.service import Actor, register_case
from tests.statemachine.conftest import _ctx


def _message(engine, key: str) -> OutboxMessage:
    with Session(engine) as session:
        return session.scalars(select(OutboxMessage).where(OutboxMessage.key == key)).one()


def test_a_soon_signal_queued_in_december_is_not_sent_in_march(demo_db, mail_server, days):
    engine = demo_db.engine()
    with session_scope(engine) as session:
        case = register_case(
            session,
            _ctx(date(2025, 12, 1)),
            Actor("Behandelaar", "bzk"),
            organisation="BD",
            case_type="groei",
            fte=150,
            location="Den Haag",
            handler_email="piet@minbzk.nl",
        )
    mail_server.stop()
    queued = days.cases(date(2025, 12, 3))  # due 8 December: "binnenkort"
    key = f"case:{case.id}:2025-12-08:binnenkort"
    assert queued["queued_keys"] == [key] and queued["pending"] == 1
    mail_server.start()
    delivered = days.zbo(date(2026, 3, 2))  # the zbo flow delivers what waits
    assert (delivered["sent"], delivered["pending"]) == (0, 0)
    assert mail_server.received == []
    message = _message(engine, key)
    assert message.sent_at is None and message.cancelled_at is not None


def test_a_missing_reminder_is_not_sent_once_the_ministry_has_delivered(
    demo_db, mail_server, days, tmp_path
):
    engine = demo_db.engine()
    fin_2023 = next(p for p in write_demo_files(tmp_path / "files") if p.name == "fin-2023.csv")
    fin = tmp_path / "fin-2024.csv"  # FIN's 2023 figures, delivered for 2024
    fin.write_bytes(fin_2023.read_bytes().replace(b"1 januari 2023", b"1 januari 2024"))
    mail_server.stop()
    days.on(date(2024, 3, 1))
    summary = annual_inventory.fn(year=2024, inbox=str(tmp_path / "empty"))
    assert "FIN" in summary["reminders_queued"] and summary["mail"]["pending"] == 12
    import_file(fin, year=2024)  # FIN delivers, no flow runs
    mail_server.start()
    delivered = days.zbo(date(2024, 3, 4))
    assert (delivered["sent"], delivered["pending"]) == (11, 0)
    recipients = [m.message["X-Spreiding-Key"] for m in mail_server.received]
    assert reminder_key(2024, "FIN") not in recipients and len(recipients) == 11
    fin = _message(engine, reminder_key(2024, "FIN"))
    assert fin.sent_at is None and fin.cancelled_at is not None
