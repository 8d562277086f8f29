"""Inloggen at ``/`` (the start page shows "Mijn werkvoorraad" once signed in) and Uitloggen.

The form posts to ``/inloggen`` and is checked by the same :func:`sign_in` as the API: a
failure is committed so that throttling counts it, and the answer is the same whether the
account exists or not. The session cookie is the API's (HttpOnly, SameSite=Lax).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from spreiding.accounts.errors import TooManyAttempts
from spreiding.accounts.sessions import sign_in, sign_out
from spreiding.models.registry import EMAIL_LIMIT
from spreiding.web.deps import COOKIE, SessionDep, StateDep, set_session_cookie
from spreiding.web.pages.common import (
    LOGIN_CSRF_COOKIE,
    NEXT_FIELD,
    FormDep,
    MaybeViewer,
    check_form_csrf,
    login_token_ok,
    new_login_token,
    render,
    safe_next,
)

router = APIRouter()
REFUSED = "Het e-mailadres of het wachtwoord klopt niet, of het account is geblokkeerd."
THROTTLED = (
    "Te veel mislukte pogingen om in te loggen met dit e-mailadres. "
    "Probeer het over 15 minuten opnieuw."
)
EXPIRED = "Het formulier was verlopen. Vul uw gegevens opnieuw in en kies Inloggen."


def login_page(
    request: Request,
    session: SessionDep,
    *,
    error: str | None = None,
    email: str = "",
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    following: str | None = None,
) -> Response:
    """The sign-in form, with a fresh token in the form and its cookie.

    ``following`` is the page to go to after signing in (by default the ``volgende`` of the
    address, if it is a path on this site: :func:`safe_next`)."""
    token = new_login_token()
    if following is None:
        following = safe_next(request.query_params.get(NEXT_FIELD))
    response = render(
        request,
        session,
        "login.html.j2",
        None,
        status_code=status_code,
        title="Inloggen",
        error=error,
        email=email,
        login_token=token,
        following=following,
        signed_out="uitgelogd" in request.query_params,
        expired="verlopen" in request.query_params,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=3600,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


@router.post("/inloggen")
def do_sign_in(request: Request, session: SessionDep, state: StateDep, form: FormDep) -> Response:
    """Check e-mail address and password; on success to the page asked for (``volgende``,
    a path on this site only) or the start page."""
    email = form.get("email", "").strip()[:EMAIL_LIMIT]
    password = form.get("password", "")[:1024]
    following = safe_next(form.get(NEXT_FIELD))
    again = {"email": email, "following": following}
    if not login_token_ok(request, form):
        return login_page(request, session, error=EXPIRED, status_code=403, **again)
    settings = state.settings.accounts
    try:
        signed_in = sign_in(
            session,
            settings,
            email,
            password,
            state.clock(),
            previous_session_id=request.cookies.get(COOKIE),
        )
    except TooManyAttempts as exc:
        return login_page(
            request,
            session,
            error=THROTTLED,
            status_code=429,
            headers={"Retry-After": str(exc.retry_after)},
            **again,
        )
    if signed_in is None:
        session.commit()  # the failure counts towards the throttle
        return login_page(request, session, error=REFUSED, status_code=401, **again)
    response = RedirectResponse(following or "/", status_code=303)
    set_session_cookie(response, request, signed_in.session_id, settings)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/uitloggen")
def do_sign_out(session: SessionDep, viewer: MaybeViewer, form: FormDep) -> Response:
    """End the session and go back to Inloggen."""
    if viewer is not None:
        check_form_csrf(viewer, form)
        sign_out(session, viewer.session_id)
    response = RedirectResponse("/?uitgelogd", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
    return response
