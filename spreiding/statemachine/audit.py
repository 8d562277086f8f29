"""The audit trail's hash chain: how an event is hashed and how a trail is checked.

Each event's hash is SHA-256 over the previous event's hash and a canonical JSON form of the
event (sorted keys, no whitespace, times in UTC with microseconds), so that editing,
inserting, reordering or deleting any event breaks every hash after it. The first event of a
case chains to :data:`GENESIS`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
HASHED_FIELDS = ("case_id", "seq", "event", "source", "target", "actor", "role", "at", "reason",
                 "payload")  # fmt: skip


def canonical_time(at: datetime) -> str:
    """An aware datetime as UTC ISO text with microseconds; the form that is hashed."""
    if at.tzinfo is None:  # SQLite hands back naive datetimes that were stored as UTC
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def event_hash(prev_hash: str, record: Mapping[str, Any]) -> str:
    """The hash of one event given the previous event's hash."""
    content = {name: record.get(name) for name in HASHED_FIELDS}
    content["at"] = canonical_time(content["at"])
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{text}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """Where a trail stops being what was written: the event's seq and why."""

    seq: int
    reason: str


def check_chain(events: Iterable[Mapping[str, Any]]) -> ChainBreak | None:
    """The first place where the trail's hash chain is broken, or None when it holds."""
    previous = GENESIS
    for expected_seq, event in enumerate(events, start=1):
        seq = event["seq"]
        if seq != expected_seq:
            return ChainBreak(seq, f"event {expected_seq} is missing (found {seq} in its place)")
        if event["prev_hash"] != previous:
            return ChainBreak(seq, "does not chain to the event before it")
        if event_hash(previous, event) != event["hash"]:
            return ChainBreak(seq, "its content does not match its hash (edited afterwards)")
        previous = event["hash"]
    return None
