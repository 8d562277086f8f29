"""Signing in: server-side web sessions, their CSRF token, and throttling failed attempts.

A session is a random id in an HttpOnly cookie; the store keeps only its SHA-256. It ends
after :attr:`~spreiding.core.settings.AccountSettings.session_idle_minutes` without use and
:attr:`~spreiding.core.settings.AccountSettings.session_absolute_hours` after sign-in, when
the account is disabled, and when its password is reset. Signing in always makes a new id
(the old one, if the browser sent one, is ended): a session id planted before sign-in is
worth nothing after it. The CSRF token is derived from the session id, so it changes with it.

After :data:`MAX_FAILURES` failed sign-ins for one e-mail address within :data:`WINDOW`,
every sign-in for that address is refused for :data:`LOCKOUT` with the same answer, whether
the account exists or not. Every function takes ``now``: the web service passes its clock,
so tests can move time without waiting.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from math import ceil

from sqlalchemy import delete
from sqlmodel import Session, select

from spreiding.accounts import passwords
from spreiding.accounts.errors import TooManyAttempts
from spreiding.accounts.store import digest, find_account, normalise_email
from spreiding.core.settings import AccountSettings
from spreiding.models.accounts import Account, SignInFailure, WebSession

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
TOUCH_EVERY = timedelta(minutes=1)  # the idle timeout counts from the last use, to the minute
SIGN_IN_REFUSED = "e-mailadres of wachtwoord klopt niet, of het account is geblokkeerd"


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _email_key(email: str) -> str:
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()


def locked_until(session: Session, email: str, now: datetime) -> datetime | None:
    """When sign-ins for ``email`` are allowed again, or None when they are now."""
    since = now - WINDOW - LOCKOUT
    query = select(SignInFailure.at).where(
        SignInFailure.email_hash == _email_key(email), SignInFailure.at > since
    )
    times = sorted(_aware(at) for at in session.exec(query))
    until = None
    for i in range(MAX_FAILURES - 1, len(times)):
        # the i-th failure completed MAX_FAILURES failures within WINDOW: locked from then on
        if times[i] - times[i - MAX_FAILURES + 1] < WINDOW:
            until = times[i] + LOCKOUT
    return until if until is not None and until > now else None


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A successful sign-in: the account and the new session id for its cookie."""

    account: Account
    session_id: str


def sign_in(
    session: Session,
    settings: AccountSettings,
    email: str,
    password: str,
    now: datetime,
    *,
    previous_session_id: str | None = None,
) -> SignedIn | None:
    """Check the password and open a new session; None (a failure is recorded) if wrong.

    Raises :class:`TooManyAttempts` while the address is locked out, before looking at the
    password. The caller commits, also after a failure, so that the failure counts.
    """
    _purge(session, settings, now)
    until = locked_until(session, email, now)
    if until is not None:
        raise TooManyAttempts(
            "te veel mislukte inlogpogingen voor dit e-mailadres: wacht 15 minuten en probeer het "
            "opnieuw",
            retry_after=max(1, ceil((until - now).total_seconds())),
        )
    account = find_account(session, email)
    if account is None:
        passwords.waste_time(password, settings)
    ok = (
        account is not None
        and passwords.verify_password(account.password_hash, password, settings)
        and not account.disabled
    )
    if not ok or account is None:
        session.add(SignInFailure(email_hash=_email_key(email), at=now))
        session.flush()
        return None
    session.execute(delete(SignInFailure).where(SignInFailure.email_hash == _email_key(email)))
    if previous_session_id:
        sign_out(session, previous_session_id)
    session_id = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            id_hash=digest(session_id), account_id=account.id or 0, created_at=now, last_seen_at=now
        )
    )
    session.flush()
    return SignedIn(account, session_id)


def _purge(session: Session, settings: AccountSettings, now: datetime) -> None:
    """Forget sessions past their absolute end and failures too old to count."""
    oldest = now - timedelta(hours=settings.session_absolute_hours)
    session.execute(delete(WebSession).where(WebSession.created_at <= oldest))
    session.execute(delete(SignInFailure).where(SignInFailure.at <= now - WINDOW - LOCKOUT))


def account_for_session(
    session: Session, settings: AccountSettings, session_id: str, now: datetime
) -> Account | None:
    """The account of a live session (and mark it used now), or None: expired or unknown."""
    row = session.get(WebSession, digest(session_id))
    if row is None:
        return None
    idle = now - _aware(row.last_seen_at) >= timedelta(minutes=settings.session_idle_minutes)
    old = now - _aware(row.created_at) >= timedelta(hours=settings.session_absolute_hours)
    account = session.get(Account, row.account_id)
    if idle or old or account is None or account.disabled:
        session.delete(row)
        session.flush()
        return None
    if now - _aware(row.last_seen_at) > TOUCH_EVERY:
        row.last_seen_at = now  # to the minute: a read must not become a write every time
    return account


def sign_out(session: Session, session_id: str) -> None:
    """End the session with this id (an unknown id changes nothing)."""
    session.execute(delete(WebSession).where(WebSession.id_hash == digest(session_id)))


def csrf_token(session_id: str) -> str:
    """The CSRF token of a session: derived from its id, so it lives and dies with it."""
    return hmac.new(session_id.encode(), b"spreiding-csrf", hashlib.sha256).hexdigest()


def check_csrf(session_id: str, token: str | None) -> bool:
    """Whether ``token`` is the CSRF token of this session (constant-time comparison)."""
    return token is not None and hmac.compare_digest(csrf_token(session_id), token)
