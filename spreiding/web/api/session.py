"""``/session``: sign in (sets the session cookie), who am I (with the CSRF token), sign out.

Signing in needs no CSRF token: it is the one write without a session. A failed attempt is
committed before the refusal, so that throttling counts it; the answer is the same whether
the account exists or not.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import Field

from spreiding.accounts.errors import NotAuthenticated
from spreiding.accounts.sessions import SIGN_IN_REFUSED, csrf_token, sign_in, sign_out
from spreiding.accounts.store import account_json
from spreiding.models.registry import EMAIL_LIMIT
from spreiding.web.api.schemas import RequestBody
from spreiding.web.deps import COOKIE, AuthenticatedDep, SessionDep, StateDep, set_session_cookie

router = APIRouter(tags=["session"])


class SignIn(RequestBody):
    """The sign-in form."""

    email: str = Field(max_length=EMAIL_LIMIT)
    password: str = Field(max_length=1024)


def _me(auth_account: dict, session_id: str | None) -> dict:
    return {
        "account": auth_account,
        "csrf_token": csrf_token(session_id) if session_id else None,
    }


@router.post("/session", status_code=201)
def create_session(
    form: SignIn, request: Request, response: Response, session: SessionDep, state: StateDep
) -> dict:
    """Sign in with e-mail address and password; sets the HttpOnly session cookie."""
    settings = state.settings.accounts
    signed_in = sign_in(
        session,
        settings,
        form.email,
        form.password,
        state.clock(),
        previous_session_id=request.cookies.get(COOKIE),
    )
    if signed_in is None:
        session.commit()  # the failure counts towards the throttle
        raise NotAuthenticated(SIGN_IN_REFUSED)
    set_session_cookie(response, request, signed_in.session_id, settings)
    return _me(account_json(signed_in.account), signed_in.session_id)


@router.get("/session")
def read_session(auth: AuthenticatedDep) -> dict:
    """The signed-in account, and the CSRF token that cookie-authenticated writes send."""
    return _me(account_json(auth.account), auth.session_id)


@router.delete("/session", status_code=204)
def delete_session(auth: AuthenticatedDep, session: SessionDep, response: Response) -> None:
    """Sign out: the session ends and the cookie is cleared."""
    if auth.session_id:
        sign_out(session, auth.session_id)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
