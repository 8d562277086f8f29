"""The audit trail's keyed hash chain and its anchors: how events are sealed and checked.

**The chain.** Each event's hash covers the previous event's hash and a canonical JSON form
of the event (sorted keys, no whitespace, times in UTC with microseconds), so that editing,
inserting or reordering any event breaks every hash after it. The first event of a case
chains to :data:`GENESIS`. Events are sealed with HMAC-SHA-256 under the audit key, which is
kept outside the database: someone who can write the database but cannot read the key cannot
re-seal an edited event (a plain SHA-256 recomputed after an edit is found out).

Trails written before the key existed were hashed with plain SHA-256. They are not rewritten:
on upgrade their current head is *anchored* under the key (``plain_upto`` and ``plain_head``
of the anchor), so their old part stays checkable and can no longer be edited unseen either.

**The anchors.** An anchor per case records, under the key, how many events its trail has and
the hash of the last one: removing the last events of a trail (and adjusting the case row to
match) no longer goes unseen. A ledger records, under the key, how many cases are anchored
and a keyed digest of their ids, so a case deleted together with its trail and its anchor is
found out too.

What this cannot see (said in the README too): a consistent rollback to an earlier genuine
state (a restored backup, or a case's rows and anchor and the ledger put back as they were
earlier), and anything done by someone who holds the key.

This module is pure: it works on plain mappings and the key's bytes, and imports no store.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64
HASHED_FIELDS = ("case_id", "seq", "event", "source", "target", "actor", "role", "at", "reason",
                 "payload")  # fmt: skip
EMPTY_DIGEST = "0" * 64


def canonical_time(at: datetime) -> str:
    """An aware datetime as UTC ISO text with microseconds; the form that is hashed."""
    if at.tzinfo is None:  # SQLite hands back naive datetimes that were stored as UTC
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def event_hash(prev_hash: str, record: Mapping[str, Any], key: bytes | None = None) -> str:
    """The hash of one event given the previous event's hash: keyed unless ``key`` is None.

    ``key=None`` gives the plain SHA-256 of trails written before the key existed.
    """
    content = {name: record.get(name) for name in HASHED_FIELDS}
    content["at"] = canonical_time(content["at"])
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if key is None:
        return hashlib.sha256(f"{prev_hash}\n{text}".encode()).hexdigest()
    return _mac(key, f"event\n{prev_hash}\n{text}")


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """Where a trail stops being what was written: the event's seq and why."""

    seq: int
    reason: str


def check_chain(
    events: Iterable[Mapping[str, Any]], key: bytes | None = None, plain_upto: int = 0
) -> ChainBreak | None:
    """The first place where the trail's hash chain is broken, or None when it holds.

    Events up to ``plain_upto`` are checked as plain SHA-256 (written before the key), the
    rest under ``key``.
    """
    previous = GENESIS
    for expected_seq, event in enumerate(events, start=1):
        seq = event["seq"]
        if seq != expected_seq:
            return ChainBreak(seq, f"event {expected_seq} is missing (found {seq} in its place)")
        if event["prev_hash"] != previous:
            return ChainBreak(seq, "does not chain to the event before it")
        sealed_with = None if seq <= plain_upto else key
        if not hmac.compare_digest(event_hash(previous, event, sealed_with), event["hash"]):
            return ChainBreak(seq, "its content does not match its hash (edited afterwards)")
        previous = event["hash"]
    return None


# -- anchors and the ledger --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Anchor:
    """A case's trail as sealed under the key: its length and last hash, and its plain part."""

    case_id: int
    seq: int
    head: str
    plain_upto: int = 0
    plain_head: str = GENESIS

    def mac(self, key: bytes) -> str:
        """The seal of this anchor under ``key``."""
        return _mac(
            key,
            f"anchor\n{self.case_id}\n{self.plain_upto}\n{self.plain_head}\n{self.seq}\n{self.head}",
        )


def anchor_problem(
    anchor: Anchor, mac: str, events: list[Mapping[str, Any]], key: bytes
) -> str | None:
    """Why a trail does not match its anchor (or the anchor its seal); None when it does."""
    if not hmac.compare_digest(anchor.mac(key), mac):
        return "its anchor does not match its seal under the audit key (the anchor was changed)"
    if anchor.plain_upto:
        if len(events) < anchor.plain_upto:
            return (
                f"the trail has {len(events)} event(s), fewer than the {anchor.plain_upto} "
                "anchored when the key was introduced: events were removed"
            )
        if events[anchor.plain_upto - 1]["hash"] != anchor.plain_head:
            return f"event {anchor.plain_upto} is not the one anchored when the key was introduced"
    if len(events) != anchor.seq:
        return (
            f"the trail has {len(events)} event(s) but its anchor records {anchor.seq}: "
            + ("events were removed" if len(events) < anchor.seq else "events were added")
            + " behind the system's back"
        )
    head = events[-1]["hash"] if events else GENESIS
    if head != anchor.head:
        return f"event {anchor.seq} is not the last event its anchor records"
    return None


def case_token(key: bytes, case_id: int) -> int:
    """A keyed token of one case id; the ledger's digest is the XOR of the tokens."""
    return int(_mac(key, f"case\n{case_id}"), 16)


def ledger_digest(key: bytes, case_ids: Iterable[int]) -> str:
    """The keyed digest of a set of case ids (order does not matter)."""
    digest = 0
    for case_id in case_ids:
        digest ^= case_token(key, case_id)
    return f"{digest:064x}"


def add_to_digest(key: bytes, digest: str, case_id: int) -> str:
    """The digest with one more case id in the set."""
    return f"{int(digest, 16) ^ case_token(key, case_id):064x}"


def ledger_mac(key: bytes, cases: int, digest: str) -> str:
    """The seal of the ledger: the number of anchored cases and the digest of their ids."""
    return _mac(key, f"ledger\n{cases}\n{digest}")
