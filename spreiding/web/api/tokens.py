"""``/tokens``: the signed-in account's personal API tokens (create: shown once, list, revoke)."""

from __future__ import annotations

from fastapi import APIRouter, Path
from pydantic import Field

from spreiding.accounts.store import (
    DEFAULT_TOKEN_DAYS,
    MAX_TOKEN_DAYS,
    create_token,
    list_tokens,
    revoke_token,
    token_json,
)
from spreiding.web.api.schemas import RequestBody, WholeNumber
from spreiding.web.deps import AuthenticatedDep, SessionDep, StateDep

router = APIRouter(tags=["tokens"])


class NewToken(RequestBody):
    """What a new token is for and how long it lives."""

    name: str | None = Field(None, max_length=100)
    days: WholeNumber = Field(DEFAULT_TOKEN_DAYS, ge=1, le=MAX_TOKEN_DAYS)


@router.post("/tokens", status_code=201)
def create(form: NewToken, auth: AuthenticatedDep, session: SessionDep, state: StateDep) -> dict:
    """Create a token for ``Authorization: Bearer``; the token is in this answer only."""
    new = create_token(session, auth.account, days=form.days, name=form.name, now=state.clock())
    return {**token_json(new.token, state.clock()), "token": new.secret}


@router.get("/tokens")
def index(auth: AuthenticatedDep, session: SessionDep, state: StateDep) -> list[dict]:
    """The account's tokens (never the tokens themselves)."""
    return [token_json(t, state.clock()) for t in list_tokens(session, auth.account)]


@router.delete("/tokens/{token_id}", status_code=204)
def revoke(
    auth: AuthenticatedDep,
    session: SessionDep,
    state: StateDep,
    token_id: int = Path(ge=1, le=2**31 - 1),
) -> None:
    """Revoke one of the account's tokens: it stops working at once."""
    revoke_token(session, token_id, owner=auth.account, now=state.clock())
