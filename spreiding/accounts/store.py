"""Accounts and their personal API tokens: adding, listing, changing and checking them.

An account's role comes from here and nowhere else: ``bzk``, ``ministry:<CODE>`` of a known
ministry, ``mr``, ``viewer`` or ``beheer`` (manages accounts and reference data, sees no case
content). An API token is a random string shown once at creation; only its SHA-256 is kept,
with an expiry, and it can be revoked. Every function works in the caller's session, which
commits the unit of work.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, select

from spreiding.accounts import passwords
from spreiding.accounts.errors import Forbidden
from spreiding.core.errors import InvalidInput, NotFound
from spreiding.core.principal import Principal
from spreiding.core.settings import AccountSettings
from spreiding.models.accounts import Account, ApiToken, WebSession
from spreiding.models.registry import EMAIL_LIMIT, get_ministry, is_email_address
from spreiding.models.tables import utcnow

log = logging.getLogger("spreiding.accounts")
ROLE_KINDS = ("bzk", "ministry", "mr", "viewer", "beheer")
TOKEN_PREFIX = "spr_"
MAX_TOKEN_DAYS = 366
DEFAULT_TOKEN_DAYS = 90
TOUCH_EVERY = timedelta(minutes=5)  # how precisely a token's last use is kept


def normalise_email(email: str) -> str:
    """The address as stored and compared: stripped and in lower case."""
    return email.strip().lower()


def check_role(session: Session, role: str) -> str:
    """The role in canonical form; an unknown role or ministry raises a domain error."""
    kind, colon, code = role.strip().partition(":")
    kind, code = kind.strip().lower(), code.strip().upper()
    if kind == "ministry" and code:
        return f"ministry:{get_ministry(session, code).code}"
    if kind in ROLE_KINDS and kind != "ministry" and not colon:
        return kind
    raise InvalidInput(
        f"onbekende rol {role!r}; kies bzk, ministry:<CODE> (bijvoorbeeld ministry:VWS), mr, "
        "viewer of beheer"
    )


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("geef het account een naam: de audittrail toont die")
    return name


def find_account(session: Session, email: str) -> Account | None:
    """The account with this e-mail address (any case), or None."""
    return session.exec(select(Account).where(Account.email == normalise_email(email))).first()


def get_account(session: Session, email: str) -> Account:
    """The account with this e-mail address; unknown raises NotFound."""
    account = find_account(session, email)
    if account is None:
        raise NotFound(f"er is geen account met e-mailadres {email.strip()!r}")
    return account


def add_account(
    session: Session,
    settings: AccountSettings,
    *,
    email: str,
    name: str,
    role: str,
    password: str,
    demo: bool = False,
) -> Account:
    """Add an account; the password must pass the password rules."""
    email = normalise_email(email)
    if not is_email_address(email) or len(email) > EMAIL_LIMIT:
        raise InvalidInput(f"{email!r} is niet één e-mailadres (zoals naam@minbzk.nl)")
    if find_account(session, email) is not None:
        raise InvalidInput(f"er is al een account met e-mailadres {email!r}")
    account = Account(
        email=email,
        name=_check_name(name),
        role=check_role(session, role),
        password_hash=passwords.hash_password(passwords.check_password(password), settings),
        demo=demo,
    )
    session.add(account)
    session.flush()
    return account


def list_accounts(session: Session) -> list[Account]:
    """Every account, by e-mail address."""
    return list(session.exec(select(Account).order_by(Account.email)))


def account_json(account: Account) -> dict:
    """An account in the stable JSON form (never its password hash)."""
    return {
        "id": account.id,
        "email": account.email,
        "name": account.name,
        "role": account.role,
        "disabled": account.disabled,
        "demo": account.demo,
        "created_at": account.created_at.isoformat(),
        "updated_at": account.updated_at.isoformat(),
    }


def _end_sessions(session: Session, account: Account) -> None:
    session.execute(delete(WebSession).where(WebSession.account_id == account.id))


def _touch(account: Account) -> Account:
    account.updated_at = utcnow()
    return account


def _check_administrator(by: Principal | None) -> None:
    """Refuse a change by a principal that does not manage accounts (None: the trusted CLI)."""
    if by is not None and by.role != "beheer":
        raise Forbidden("Alleen de rol beheer beheert accounts.")


def _is_self(account: Account, by: Principal | None) -> bool:
    return by is not None and by.account_id is not None and by.account_id == account.id


def _check_not_last_administrator(session: Session, account: Account) -> None:
    """Refuse to take away the last enabled ``beheer`` account: nobody could manage accounts."""
    if account.role != "beheer" or account.disabled:
        return
    others = (
        select(func.count())
        .select_from(Account)
        .where(
            Account.role == "beheer",
            Account.disabled.is_(False),
            Account.id != account.id,  # type: ignore[union-attr]
        )
    )
    if not session.scalar(others):
        raise InvalidInput(
            f"{account.email} is het laatste actieve account met de rol beheer: "
            "geef eerst een ander account de rol beheer."
        )


def _record(action: str, account: Account, by: Principal | None) -> None:
    """Log who changed which account (the CLI: the shell's user, as ``cli``)."""
    who = f"{by.name} (account {by.account_id}, {by.via})" if by is not None else "cli"
    log.info("account %s: %s by %s", account.email, action, who)


def disable_account(session: Session, email: str, *, by: Principal | None = None) -> Account:
    """Disable an account: it can no longer sign in, and its sessions and tokens stop working.

    ``by`` is who does it (None for the trusted CLI): only ``beheer``, never its own account;
    the last enabled ``beheer`` account is never disabled.
    """
    _check_administrator(by)
    account = get_account(session, email)
    if _is_self(account, by):
        raise InvalidInput("U kunt uw eigen account niet blokkeren.")
    _check_not_last_administrator(session, account)
    _touch(account)
    account.disabled = True
    _end_sessions(session, account)
    session.flush()
    _record("disabled", account, by)
    return account


def enable_account(session: Session, email: str, *, by: Principal | None = None) -> Account:
    """Enable a disabled account again: it may sign in (its old sessions stay ended)."""
    _check_administrator(by)
    account = _touch(get_account(session, email))
    account.disabled = False
    session.flush()
    _record("enabled", account, by)
    return account


def set_role(session: Session, email: str, role: str, *, by: Principal | None = None) -> Account:
    """Give an account another role (``by`` as for :func:`disable_account`; a ``beheer``
    keeps its own role, and the last enabled ``beheer`` keeps it too)."""
    _check_administrator(by)
    account = get_account(session, email)
    new_role = check_role(session, role)
    if new_role != account.role:
        if _is_self(account, by):
            raise InvalidInput("U kunt uw eigen rol niet wijzigen.")
        _check_not_last_administrator(session, account)
    account.role = new_role
    _touch(account)
    session.flush()
    _record(f"role {new_role}", account, by)
    return account


def reset_password(
    session: Session,
    settings: AccountSettings,
    email: str,
    password: str,
    *,
    by: Principal | None = None,
) -> Account:
    """Set a new password (it must pass the rules); the account's web sessions end."""
    _check_administrator(by)
    account = get_account(session, email)
    account.password_hash = passwords.hash_password(passwords.check_password(password), settings)
    _touch(account)
    _end_sessions(session, account)
    session.flush()
    _record("password reset", account, by)
    return account


def principal_of(account: Account, via: str) -> Principal:
    """Who acts when this account does, through ``via`` (web or api)."""
    return Principal(role=account.role, name=account.name, account_id=account.id, via=via)


# -- API tokens ------------------------------------------------------------------------------


def digest(secret: str) -> str:
    """SHA-256 of a high-entropy secret (token or session id), as stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class NewToken:
    """A token just created: ``secret`` is shown once and never again."""

    token: ApiToken
    secret: str


def create_token(
    session: Session,
    account: Account,
    *,
    days: int = DEFAULT_TOKEN_DAYS,
    name: str | None = None,
    now: datetime | None = None,
) -> NewToken:
    """Create a personal API token for ``account``, valid ``days`` days."""
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise InvalidInput(f"een token is 1 tot en met {MAX_TOKEN_DAYS} dagen geldig, niet {days}")
    if account.disabled:
        raise InvalidInput(f"account {account.email} is geblokkeerd en krijgt geen tokens")
    now = now or utcnow()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    label = " ".join((name or "").split()) or f"token {now.date().isoformat()}"
    token = ApiToken(
        account_id=account.id or 0,
        name=label[:100],
        token_hash=digest(secret),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(token)
    session.flush()
    return NewToken(token, secret)


def list_tokens(session: Session, account: Account) -> list[ApiToken]:
    """The tokens of an account, newest first (revoked and expired ones included)."""
    query = select(ApiToken).where(ApiToken.account_id == account.id)
    return list(session.exec(query.order_by(ApiToken.id.desc())))


def _aware(at: datetime | None) -> datetime | None:
    return at if at is None or at.tzinfo else at.replace(tzinfo=UTC)


def token_json(token: ApiToken, now: datetime | None = None) -> dict:
    """A token in the stable JSON form (never the token itself)."""
    now = now or utcnow()
    status = "active"
    if token.revoked_at is not None:
        status = "revoked"
    elif _aware(token.expires_at) <= now:
        status = "expired"
    return {
        "id": token.id,
        "name": token.name,
        "created_at": _aware(token.created_at).isoformat(),
        "expires_at": _aware(token.expires_at).isoformat(),
        "revoked_at": token.revoked_at and _aware(token.revoked_at).isoformat(),
        "last_used_at": token.last_used_at and _aware(token.last_used_at).isoformat(),
        "status": status,
    }


def revoke_token(
    session: Session, token_id: int, *, owner: Account | None = None, now: datetime | None = None
) -> ApiToken:
    """Revoke a token (of ``owner`` only, when given); revoking twice changes nothing."""
    token = session.get(ApiToken, token_id)
    if token is None or (owner is not None and token.account_id != owner.id):
        raise NotFound(f"er is geen API-token {token_id}")
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        session.flush()
    return token


def account_for_token(session: Session, secret: str, now: datetime) -> Account | None:
    """The enabled account whose live token this is, or None (unknown, expired, revoked)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == digest(secret))).first()
    if token is None or token.revoked_at is not None or _aware(token.expires_at) <= now:
        return None
    account = session.get(Account, token.account_id)
    if account is None or account.disabled:
        return None
    if token.last_used_at is None or now - _aware(token.last_used_at) > TOUCH_EVERY:
        token.last_used_at = now  # not on every request: a read must not become a write
    return account


def count_accounts(session: Session) -> int:
    """How many accounts there are."""
    return session.scalar(select(func.count()).select_from(Account)) or 0
