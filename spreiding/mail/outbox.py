"""The outbox and its delivery over SMTP: reminders that are never lost and never doubled.

Sending is split in two steps, each its own unit of work:

1. :func:`enqueue` writes a message into the ``outbox`` table in the caller's session, so the
   message is committed together with the decision to send it, or not at all. Its ``key``
   names the reminder (for example one per zbo, cycle and stage); deciding the same reminder
   again inserts nothing, however often a flow runs.
2. :func:`deliver_pending` sends the messages that have not been sent yet, each in its own
   small transaction, and marks one ``sent_at`` only after the SMTP server has accepted it.
   Just before sending, the check its kind registered (:mod:`spreiding.mail.checks`) says
   whether the message still holds; one that no longer does is cancelled instead of sent.
   A failure is counted in ``attempts`` and ``last_error`` and the message stays for the next
   run. A connection failure (server down, refused login, a 421 "closing") ends the run
   early: the messages still waiting are marked with the error and the report says so.

The one window that remains is a crash (or a lost database connection) after the server has
accepted a message but before ``sent_at`` is committed: the next run sends it again. Such a
resend carries the same ``Message-ID`` (derived from the key), so mail systems and readers
can recognise it as the same message. Delivery is thus at least once, and exactly once in
every case except that one.

Two runs at the same time (two flows, two hosts) never send the same message, on SQLite as on
PostgreSQL: before sending, a run *claims* the message with one ``UPDATE ... SET claimed_at``
on a message that is waiting and unclaimed, in a transaction of its own, and sends only when
that update changed its row; the other run's update changes nothing (PostgreSQL re-checks the
condition once the first commits; SQLite lets one writer at a time) and it moves on. The
transaction that records the outcome ends the claim, and so does an error while sending. A
run that dies while sending leaves its claim behind: after :data:`CLAIM_TIMEOUT` another run
may take the message again (at least once, as above). No lock is held while the SMTP server
is talked to.
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, func, insert, or_, select, update
from sqlalchemy import Table as SATable
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from spreiding.core.errors import DatabaseBusy, InvalidInput
from spreiding.core.settings import SmtpSettings, get_settings
from spreiding.mail import checks
from spreiding.models.db import get_engine, session_scope
from spreiding.models.registry import is_email_address
from spreiding.models.tables import OutboxMessage, utcnow

_ERROR_LENGTH = 500
# A message waits to be sent until it is sent or cancelled.
_WAITING = (OutboxMessage.sent_at.is_(None), OutboxMessage.cancelled_at.is_(None))
# A claim older than this was left by a run that died while sending: another may retake it.
# Far above what one message can take (a few SMTP timeouts of seconds each).
CLAIM_TIMEOUT = timedelta(minutes=15)


# -- writing to the outbox -------------------------------------------------------------------


def insert_or_ignore(
    session: Session, table: SATable, values: Mapping[str, Any], unique: Sequence[str]
) -> bool:
    """Insert one row unless a row with the same ``unique`` columns exists; True if inserted.

    It never raises on the duplicate, so the caller's transaction stays usable: on SQLite and
    PostgreSQL it is ``INSERT ... ON CONFLICT DO NOTHING`` (safe between concurrent writers),
    elsewhere a look-up before the insert.
    """
    dialect = session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        else:
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        statement = (
            dialect_insert(table)
            .values(**values)
            .on_conflict_do_nothing(index_elements=list(unique))
            .returning(table.c[unique[0]])
        )
        # A row comes back only when it was inserted (rowcount is -1 here with psycopg).
        return session.execute(statement).first() is not None
    match = [table.c[name] == values[name] for name in unique]
    if session.execute(select(func.count()).select_from(table).where(*match)).scalar():
        return False
    session.execute(insert(table).values(**values))
    return True


def enqueue(session: Session, *, key: str, kind: str, to: str, subject: str, body: str) -> bool:
    """Put a message in the outbox, in the caller's transaction; False if ``key`` is there.

    The message is sent by the next :func:`deliver_pending` after the caller commits; if the
    caller rolls back, it was never decided and is not sent.
    """
    key, kind, to = key.strip(), kind.strip(), to.strip()
    if not key or not kind:
        raise InvalidInput("an outbox message needs a key and a kind")
    if not is_email_address(to):
        raise InvalidInput(f"cannot send {key!r}: {to!r} is not one e-mail address")
    if "\n" in subject or "\r" in subject:
        raise InvalidInput(f"cannot send {key!r}: a subject is one line, got {subject!r}")
    values = {
        "key": key,
        "kind": kind,
        "to_address": to,
        "subject": subject,
        "body": body,
        "created_at": utcnow(),
        "sent_at": None,
        "attempts": 0,
        "last_error": None,
    }
    return insert_or_ignore(session, OutboxMessage.__table__, values, ("key",))


def outbox_messages(
    session: Session, *, pending: bool = False, kind: str | None = None, limit: int | None = None
) -> list[OutboxMessage]:
    """Messages in the outbox, newest first; only unsent ones with ``pending``."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if pending:
        query = query.where(*_WAITING)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def outbox_json(message: OutboxMessage) -> dict[str, Any]:
    """The stable JSON form of an outbox message."""
    return {
        "key": message.key,
        "kind": message.kind,
        "to": message.to_address,
        "subject": message.subject,
        "created_at": message.created_at.isoformat(),
        "sent_at": message.sent_at.isoformat() if message.sent_at else None,
        "cancelled_at": message.cancelled_at.isoformat() if message.cancelled_at else None,
        "attempts": message.attempts,
        "last_error": message.last_error,
    }


def count_pending(session: Session) -> int:
    """How many messages wait to be sent."""
    query = select(func.count()).select_from(OutboxMessage).where(*_WAITING)
    return session.execute(query).scalar() or 0


def cancel_stale(session: Session, *, kind: str, prefix: str, keep: Iterable[str] = ()) -> int:
    """Cancel the waiting messages of ``kind`` whose key starts with ``prefix``, but ``keep``.

    A reminder that waited out an SMTP outage may no longer be true when the server is back:
    the talk was recorded, a later stage is due, the ministry has delivered. The flows call
    this with the keys that are still true; the rest are marked cancelled and never sent.
    """
    result = session.execute(
        update(OutboxMessage)
        .where(
            *_WAITING,
            OutboxMessage.kind == kind,
            OutboxMessage.key.startswith(prefix, autoescape=True),
            OutboxMessage.key.not_in(list(keep)),
        )
        .values(cancelled_at=utcnow())
    )
    return result.rowcount or 0


# -- building and sending --------------------------------------------------------------------


def message_id(key: str, sender: str) -> str:
    """The Message-ID of the outbox message ``key``: the same on every (re)send."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    domain = sender.rpartition("@")[2] or "spreiding.invalid"
    return f"<outbox.{digest}@{domain}>"


def build_message(message: OutboxMessage, sender: str) -> EmailMessage:
    """The e-mail for an outbox message: UTF-8 text, with a Message-ID from its key."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(utcnow())
    email["Message-ID"] = message_id(message.key, sender)
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies, please
    email["X-Spreiding-Key"] = message.key
    email.set_content(message.body, charset="utf-8", cte="quoted-printable")
    return email


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one delivery run did: sent, failed this run, still pending, and why it stopped."""

    sent: int
    failed: int
    pending: int
    error: str | None


class _ConnectionLost(Exception):
    """The SMTP connection cannot be used any more; the run stops."""


def _describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text[:_ERROR_LENGTH]


def _connection_failed(exc: Exception) -> bool:
    """Whether ``exc`` ends the connection (as opposed to refusing only this message)."""
    if isinstance(exc, ValueError):  # the message cannot be built: only this one fails
        return False
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return any(code == 421 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code == 421
    return not isinstance(exc, smtplib.SMTPNotSupportedError)


def open_connection(settings: SmtpSettings, tls_context: ssl.SSLContext | None = None) -> Any:
    """Connect and log in as ``settings`` say (none, STARTTLS or implicit TLS).

    Certificates are checked against the system's trusted authorities (``SSL_CERT_FILE``
    names another bundle, for example an internal one) unless ``tls_context`` is given.
    """
    context = tls_context or ssl.create_default_context()
    if settings.security == "ssl":
        client = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        client.ehlo()
        if settings.security == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if settings.user:
            client.login(settings.user, settings.password or "")
    except BaseException:
        client.close()
        raise
    return client


def _unclaimed(now: datetime) -> ColumnElement[bool]:
    """No run is sending the message now (never claimed, or the claimer died long ago)."""
    return or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < now - CLAIM_TIMEOUT)


def _pending_ids(engine: Engine, limit: int | None) -> list[int]:
    query = (
        select(OutboxMessage.id).where(*_WAITING, _unclaimed(utcnow())).order_by(OutboxMessage.id)
    )
    if limit is not None:
        query = query.limit(limit)
    with session_scope(engine) as session:
        return list(session.scalars(query))


def _record_failure(engine: Engine, ids: Iterable[int], error: str) -> None:
    """Count a failed attempt on each of ``ids`` that is still unsent, in one transaction."""
    ids = list(ids)
    if not ids:
        return
    with session_scope(engine) as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.sent_at.is_(None))
            .values(attempts=OutboxMessage.attempts + 1, last_error=error)
        )


def _mark_sent(message: OutboxMessage) -> None:
    message.attempts += 1
    message.sent_at = utcnow()


def _claim(engine: Engine, message_id_: int) -> bool:
    """Claim a waiting message for this run, in a transaction of its own: True if it is ours."""
    now = utcnow()
    with session_scope(engine) as session:
        result = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id_, *_WAITING, _unclaimed(now))
            .values(claimed_at=now)
        )
        return result.rowcount == 1


@contextmanager
def _unclaimed_on_error(engine: Engine, message_id_: int) -> Iterator[None]:
    """Free the claim when sending raises (a bug, a lost database): the next run may retry."""
    try:
        yield
    except BaseException:
        # If the database itself is gone, the claim stays until it is old (CLAIM_TIMEOUT).
        with suppress(SQLAlchemyError, DatabaseBusy), session_scope(engine) as session:
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id_, OutboxMessage.sent_at.is_(None))
                .values(claimed_at=None)
            )
        raise


def _deliver_one(engine: Engine, client: Any, sender: str, message_id_: int) -> bool | None:
    """Send one message in its own transaction: True sent, False refused, None skipped.

    Raises :class:`_ConnectionLost` (after recording the attempt) when the connection broke.
    """
    if not _claim(engine, message_id_):  # sent or cancelled meanwhile, or another run has it
        return None
    with _unclaimed_on_error(engine, message_id_), session_scope(engine) as session:
        query = select(OutboxMessage).where(OutboxMessage.id == message_id_, *_WAITING)
        message = session.scalars(query).first()
        if message is None:  # cancelled since the claim
            return None
        message.claimed_at = None  # the outcome recorded below ends the claim
        if not checks.still_true(session, message):  # no longer true: cancelled, not sent
            message.cancelled_at = utcnow()
            return None
        try:
            client.send_message(
                build_message(message, sender), from_addr=sender, to_addrs=[message.to_address]
            )
        except (smtplib.SMTPException, OSError, ValueError) as exc:  # ValueError: bad header
            message.attempts += 1
            message.last_error = _describe(exc)
            if _connection_failed(exc):
                session.commit()
                raise _ConnectionLost(message.last_error) from exc
            return False
        _mark_sent(message)  # the server accepted it: only now is it sent
        return True


def _close(client: Any) -> None:
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def deliver_pending(
    engine: Engine | None = None,
    *,
    smtp: SmtpSettings | None = None,
    limit: int | None = None,
    tls_context: ssl.SSLContext | None = None,
) -> DeliveryReport:
    """Send every unsent outbox message (oldest first, at most ``limit``) over one connection.

    Without messages no connection is opened. ``smtp`` defaults to the configured server.
    """
    if limit is not None and limit < 1:
        raise InvalidInput(f"limit must be 1 or more, got {limit}")
    engine = engine or get_engine()
    settings = smtp or get_settings().smtp
    ids = _pending_ids(engine, limit)
    sent = failed = 0
    error: str | None = None
    if ids:
        try:
            client = open_connection(settings, tls_context)
        except (smtplib.SMTPException, OSError) as exc:
            error = f"cannot connect to {settings.host}:{settings.port}: {_describe(exc)}"
            _record_failure(engine, ids, error)
            failed = len(ids)
        else:
            sent, failed, error = _deliver_all(engine, client, settings.sender, ids)
    with session_scope(engine) as session:
        pending = count_pending(session)
    return DeliveryReport(sent=sent, failed=failed, pending=pending, error=error)


def _deliver_all(
    engine: Engine, client: Any, sender: str, ids: list[int]
) -> tuple[int, int, str | None]:
    sent = failed = 0
    try:
        for position, id_ in enumerate(ids):
            try:
                outcome = _deliver_one(engine, client, sender, id_)
            except _ConnectionLost as lost:
                rest = ids[position + 1 :]
                _record_failure(engine, rest, str(lost))
                return sent, failed + 1 + len(rest), f"connection lost: {lost}"
            sent += outcome is True
            failed += outcome is False
    finally:
        _close(client)
    return sent, failed, None
