"""``/users``: accounts, managed by role ``beheer`` (which sees no case content)."""

from __future__ import annotations

from fastapi import APIRouter, Path
from pydantic import Field

from spreiding.accounts.passwords import generate_password
from spreiding.accounts.store import (
    account_json,
    add_account,
    disable_account,
    enable_account,
    list_accounts,
    reset_password,
    set_role,
)
from spreiding.core.errors import NotFound
from spreiding.models.accounts import Account
from spreiding.models.registry import EMAIL_LIMIT
from spreiding.web.api.schemas import RequestBody
from spreiding.web.deps import Administrator, SessionDep, StateDep

router = APIRouter(tags=["users"])
AccountId = Path(ge=1, le=2**31 - 1)


class NewAccount(RequestBody):
    """A new account; without a password one is made and returned once."""

    email: str = Field(max_length=EMAIL_LIMIT)
    name: str = Field(max_length=200)
    role: str = Field(max_length=64)
    password: str | None = Field(None, max_length=1024)


class AccountChange(RequestBody):
    """A change to an account: another role, disabling it, a new password."""

    role: str | None = Field(None, max_length=64)
    disabled: bool | None = None
    password: str | None = Field(None, max_length=1024)


@router.get("/users")
def index(_admin: Administrator, session: SessionDep) -> list[dict]:
    """Every account."""
    return [account_json(a) for a in list_accounts(session)]


@router.post("/users", status_code=201)
def create(form: NewAccount, _admin: Administrator, session: SessionDep, state: StateDep) -> dict:
    """Add an account (a made password is in this answer only)."""
    password = form.password or generate_password()
    account = add_account(
        session,
        state.settings.accounts,
        email=form.email,
        name=form.name,
        role=form.role,
        password=password,
    )
    data = account_json(account)
    return data if form.password else {**data, "password": password}


@router.patch("/users/{account_id}")
def change(
    form: AccountChange,
    _admin: Administrator,
    session: SessionDep,
    state: StateDep,
    account_id: int = AccountId,
) -> dict:
    """Change an account's role, disable or enable it, or set its password (the rules of
    who may, such as never disabling oneself, are the accounts service's)."""
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(f"er is geen account {account_id}")
    if form.role is not None:
        set_role(session, account.email, form.role, by=_admin)
    if form.password is not None:
        reset_password(session, state.settings.accounts, account.email, form.password, by=_admin)
    if form.disabled:
        disable_account(session, account.email, by=_admin)
    elif form.disabled is False and account.disabled:
        enable_account(session, account.email, by=_admin)
    return account_json(account)
