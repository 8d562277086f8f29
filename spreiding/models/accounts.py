"""The tables of accounts: who may sign in, their API tokens, web sessions, failed sign-ins,
and the page forms already sent (against a double submit).

Secrets are never stored as given: a password as its Argon2 hash, an API token and a session
id as their SHA-256 (both are long random strings, for which a fast hash is enough). The rules
that fill these tables live in :mod:`spreiding.accounts`; this module only holds the rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from spreiding.models.registry import EMAIL_LIMIT
from spreiding.models.tables import utcnow


class Account(SQLModel, table=True):
    """A person who signs in to the web service, with the one role they act in.

    ``email`` is stored in lower case, so that it is unique whatever case it is typed in.
    ``role`` is ``bzk``, ``ministry:<CODE>``, ``mr``, ``viewer`` or ``beheer``.
    """

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True, max_length=EMAIL_LIMIT)
    name: str
    role: str = Field(max_length=64)
    disabled: bool = False
    password_hash: str
    demo: bool = Field(default=False, description="Created by 'spreiding user demo'.")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ApiToken(SQLModel, table=True):
    """A personal API token of an account: shown once, kept as its SHA-256, with an expiry."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    name: str
    token_hash: str = Field(unique=True, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None


class WebSession(SQLModel, table=True):
    """A signed-in browser: the SHA-256 of the cookie's random id, and when it was used last."""

    __tablename__ = "web_session"

    id_hash: str = Field(primary_key=True, max_length=64)
    account_id: int = Field(foreign_key="account.id", index=True)
    created_at: datetime
    last_seen_at: datetime


class SignInFailure(SQLModel, table=True):
    """One failed sign-in, by the SHA-256 of the e-mail address typed (known or not)."""

    __tablename__ = "sign_in_failure"

    id: int | None = Field(default=None, primary_key=True)
    email_hash: str = Field(index=True, max_length=64)
    at: datetime


class FormToken(SQLModel, table=True):
    """A page form that was sent once (against a double submit): which account sent which
    form's token, when, and the page its first submit led to. Kept for 24 hours."""

    __tablename__ = "form_token"
    __table_args__ = (UniqueConstraint("account_id", "token"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    token: str = Field(max_length=64)
    created_at: datetime = Field(index=True)
    result: str = Field(default="", max_length=500)
