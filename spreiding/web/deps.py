"""The dependencies of the routes, named as types, so a signature says what a route needs.

``SessionDep`` is one unit of work per request (committed when the route returns, before the
answer is sent; rolled back on any error). ``CurrentPrincipal`` is whoever the request
authenticates as: a bearer token (``via`` api) or the session cookie (``via`` web); a write
with the cookie also needs the session's CSRF token in ``X-CSRF-Token``. Roles come from the
account, never from the request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request, Response
from sqlalchemy import Engine
from sqlmodel import Session

from spreiding.accounts.errors import Forbidden, NotAuthenticated
from spreiding.accounts.sessions import account_for_session, check_csrf
from spreiding.accounts.store import account_for_token, principal_of
from spreiding.core.principal import Principal
from spreiding.core.settings import AccountSettings, Settings
from spreiding.models.accounts import Account
from spreiding.models.db import session_scope
from spreiding.statemachine.rules import ROLE_LABELS
from spreiding.statemachine.service import Context

COOKIE = "spreiding_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def set_session_cookie(
    response: Response, request: Request, session_id: str, settings: AccountSettings
) -> None:
    """The session cookie a sign-in sets, on the API and the pages alike.

    HttpOnly, SameSite=Lax, Secure when served over HTTPS; it lives as long as the session's
    absolute limit (the idle limit is the server's).
    """
    response.set_cookie(
        COOKIE,
        session_id,
        max_age=settings.session_absolute_hours * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


@dataclass(frozen=True)
class AppState:
    """What every request shares: the settings, the store and the clock."""

    settings: Settings
    engine: Engine
    clock: Callable[[], datetime]


def get_state(request: Request) -> AppState:
    """The application's shared state."""
    return request.app.state.spreiding


StateDep = Annotated[AppState, Depends(get_state)]


def get_session(state: StateDep) -> Iterator[Session]:
    """One unit of work for the request."""
    with session_scope(state.engine) as session:
        yield session


# scope="function": the unit of work ends when the route returns, before the response is sent,
# so a failed commit is answered as an error instead of a success that did not happen.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_context(state: StateDep) -> Context:
    """The rules' context from the settings: Randstad, service norms and today."""
    settings = state.settings
    return Context(settings.randstad, settings.norms, settings.current_date())


ContextDep = Annotated[Context, Depends(get_context)]


@dataclass(frozen=True)
class Authenticated:
    """The account of a request and how it came in (its session id for the cookie)."""

    account: Account
    via: str
    session_id: str | None


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("stuur het API-token als 'Authorization: Bearer <token>'")
    return token.strip()


def authenticate(request: Request, session: SessionDep, state: StateDep) -> Authenticated:
    """The signed-in account of the request, by bearer token or session cookie."""
    now = state.clock()
    token = _bearer(request)
    if token is not None:
        account = account_for_token(session, token, now)
        if account is None:
            raise NotAuthenticated("het API-token is onbekend, verlopen of ingetrokken")
        return Authenticated(account, "api", None)
    session_id = request.cookies.get(COOKIE)
    account = (
        account_for_session(session, state.settings.accounts, session_id, now)
        if session_id
        else None
    )
    if account is None or session_id is None:
        raise NotAuthenticated(
            "log eerst in (POST /api/v1/session) of stuur een API-token als bearer-token"
        )
    if request.method not in SAFE_METHODS and not check_csrf(
        session_id, request.headers.get(CSRF_HEADER)
    ):
        raise Forbidden(
            f"een wijziging met de sessiecookie heeft de header {CSRF_HEADER} nodig, "
            "met het token uit GET /api/v1/session"
        )
    return Authenticated(account, "web", session_id)


AuthenticatedDep = Annotated[Authenticated, Depends(authenticate)]


def current_principal(auth: AuthenticatedDep) -> Principal:
    """Who acts in this request."""
    return principal_of(auth.account, auth.via)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def role_kind(principal: Principal) -> str:
    """``bzk``, ``ministry``, ``mr``, ``viewer`` or ``beheer``."""
    return principal.role.partition(":")[0]


def own_ministry(principal: Principal) -> str | None:
    """The ministry code of a ministry's account, else None."""
    kind, _, code = principal.role.partition(":")
    return code if kind == "ministry" else None


def require_roles(principal: Principal, kinds: tuple[str, ...], what: str) -> None:
    """Refuse (403) unless the principal's role is one of ``kinds``."""
    if role_kind(principal) not in kinds:
        allowed = " en ".join(ROLE_LABELS.get(k, k) for k in kinds)
        raise Forbidden(f"{what} is alleen voor {allowed}, niet voor de rol {principal.role}")


def case_reader(principal: CurrentPrincipal) -> Principal:
    """A principal that may read cases: everyone but ``beheer``."""
    if role_kind(principal) == "beheer":
        raise Forbidden("de rol beheer beheert accounts en referentiegegevens en ziet geen zaken")
    return principal


CaseReader = Annotated[Principal, Depends(case_reader)]


def administrator(principal: CurrentPrincipal) -> Principal:
    """A principal that manages accounts: ``beheer`` only."""
    require_roles(principal, ("beheer",), "Accountbeheer")
    return principal


Administrator = Annotated[Principal, Depends(administrator)]
