"""How tests tamper with the audit trail behind the system's back, as an administrator could."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import Connection, text
from sqlmodel import Session, select

from spreiding.models.tables import CaseEvent
from spreiding.statemachine import audit


def unguarded(connection: Connection) -> None:
    """Drop the append-only triggers of the audit trail, as an administrator could."""
    if connection.dialect.name == "sqlite":
        connection.execute(text("DROP TRIGGER case_event_no_update"))
        connection.execute(text("DROP TRIGGER case_event_no_delete"))
    else:
        connection.execute(text("DROP TRIGGER case_event_append_only ON case_event"))


def plain_rehash(connection: Connection, case_id: int, since_seq: int = 1) -> None:
    """Recompute the chain from ``since_seq`` on with plain SHA-256, as the old code did."""
    with Session(bind=connection) as session:
        query = select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq)
        rows = [e.model_dump() for e in session.exec(query)]
    previous = audit.GENESIS
    for row in rows:
        if row["seq"] >= since_seq:
            content = {name: row[name] for name in audit.HASHED_FIELDS}
            content["at"] = audit.canonical_time(row["at"])
            body = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            digest = hashlib.sha256(f"{previous}\n{body}".encode()).hexdigest()
            connection.execute(
                text("UPDATE case_event SET prev_hash = :p, hash = :h WHERE id = :i"),
                {"p": previous, "h": digest, "i": row["id"]},
            )
            row["hash"] = digest
        previous = row["hash"]
