"""One submit per form: a page form that changes something carries a token of its own.

A form is rendered with a fresh :func:`new_form_token` (when it was made, and random). The
first submit claims the token for its account (:func:`claim`) in the same unit of work as the
change and stores where it led (:func:`settle`); a second submit of the same form (a double
click, a reload that posts again) finds the claim (:func:`used`) and goes where the first one
went, changing nothing. A claim is per account: another account's claim is never found.

A token is good for :data:`LIFETIME` after the form was made; an older one is refused
(:func:`fresh`), so a claim may be forgotten once it is that old: every claim removes the
claims past it. Two submits at the same moment: the unique (account, token) pair lets one
claim win; the other fails at its insert and, after a rollback, finds the winner's claim.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, select

from spreiding.core.dutch import whole_number
from spreiding.models.accounts import FormToken

LIFETIME = timedelta(hours=24)
CLOCK_SKEW = timedelta(minutes=5)
_MAX_LENGTH = 64


def new_form_token(now: datetime) -> str:
    """A token for a form made ``now``: ``<unix seconds>.<random>``."""
    return f"{int(now.timestamp())}.{secrets.token_urlsafe(24)}"


def fresh(token: str, now: datetime) -> bool:
    """Whether ``token`` is one of ours, made less than :data:`LIFETIME` ago."""
    made, dot, rest = token.partition(".")
    seconds = whole_number(made)
    if not dot or seconds is None or not rest or len(token) > _MAX_LENGTH:
        return False
    try:
        at = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):  # a number no clock reaches
        return False
    return now - LIFETIME < at <= now + CLOCK_SKEW


def used(session: Session, account_id: int, token: str) -> str | None:
    """Where the first submit of this account's form went, or None if it was never sent."""
    query = select(FormToken.result).where(
        FormToken.account_id == account_id, FormToken.token == token
    )
    return session.exec(query).first()


def claim(session: Session, account_id: int, token: str, now: datetime) -> FormToken:
    """Claim the form's token for this account (flushed: a concurrent claim of the same token
    fails here or waits, and then fails, with an IntegrityError); old claims are removed."""
    session.execute(delete(FormToken).where(FormToken.created_at <= now - LIFETIME))
    row = FormToken(account_id=account_id, token=token, created_at=now)
    session.add(row)
    session.flush()
    return row


def settle(session: Session, row: FormToken, result: str) -> None:
    """Store where the first submit led (the page a second submit goes to)."""
    row.result = result
    session.flush()
