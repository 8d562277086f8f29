"""The HTML pages in Dutch: server-rendered with Jinja2, plain forms that work without script.

:func:`install` mounts the routers, the stylesheet under ``/static`` and the handlers that
answer a page's errors as pages (sign in first, niet gevonden, niet toegestaan, a refusal,
a database error, an unexpected failure); the API under ``/api/v1`` keeps its
problem-details answers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from spreiding.core.errors import SpreidingError
from spreiding.models.db import session_scope
from spreiding.web.deps import COOKIE, ContextDep, SessionDep
from spreiding.web.pages import auth, cases
from spreiding.web.pages.common import (
    NEXT_FIELD,
    MaybeViewer,
    PageForbidden,
    PageNotFound,
    SignInNeeded,
    Viewer,
    env,
    optional_viewer,
    render,
    safe_next,
)
from spreiding.web.problems import (
    DATABASE_TITLE,
    INTERNAL_DETAIL,
    INTERNAL_TITLE,
    TOO_LARGE_MARK,
    database_detail,
    kind_of,
    log_unexpected,
)

STATIC = Path(__file__).resolve().parent.parent / "static"
API_PREFIX = "/api/"
HTTP_PAGES = {
    400: (
        "Ongeldig verzoek",
        "Het formulier kon niet worden gelezen. Laad de pagina opnieuw en probeer het nog eens.",
    ),
    404: ("Niet gevonden", "Deze pagina bestaat niet."),
    405: (
        "Niet mogelijk",
        "Dit adres opent u niet zo: gebruik de knoppen en links op de pagina's.",
    ),
}
"""The Dutch page for an HTTP error on a page's address (the API answers problem details)."""


def menu(viewer: Viewer) -> list[tuple[str, str]]:
    """The main menu for the viewer's role."""
    kind = viewer.kind
    if kind == "beheer":
        return [("/beheer", "Accounts"), ("/cijfers", "Cijfers"), ("/kansen", "Regionale kansen")]
    items = [("/", "Mijn werkvoorraad"), ("/zaken", "Zaken")]
    if kind in ("bzk", "ministry"):
        items += [("/plan-melden", "Plan melden"), ("/leveringen", "Leveringen")]
    items += [("/cijfers", "Cijfers"), ("/kansen", "Regionale kansen")]
    if kind in ("bzk", "mr", "ministry"):
        items.append(("/zbo", "Zbo-gesprekken"))
    items.append(("/projecties", "Projecties"))
    return items


def start(request: Request, session: SessionDep, ctx: ContextDep, viewer: MaybeViewer) -> Response:
    """``/``: Inloggen when signed out, Mijn werkvoorraad when signed in."""
    if viewer is None:
        return auth.login_page(request, session)
    if viewer.kind == "beheer":
        return RedirectResponse("/beheer", status_code=303)
    return cases.work_queue(request, session, ctx, viewer)


def _page(request: Request, name: str, status: int, **context: object) -> Response:
    """An error page, with the signed-in account's menu and Uitloggen when there is one."""
    state = request.app.state.spreiding
    with session_scope(state.engine) as session:
        viewer = optional_viewer(request, session, state)
        return render(request, session, name, viewer, status_code=status, **context)


def _is_api(request: Request, _exc: Exception) -> bool:
    """Whether the request is the API's (its errors are problem details, not pages)."""
    return request.url.path.startswith(API_PREFIX)


def _api_answers(request: Request, exc: StarletteHTTPException) -> bool:
    """Whether an HTTP error is answered with the API's problem details, not a page: on the
    API, and for a status no page is made for (unless it is an upload above the limit)."""
    if _is_api(request, exc):
        return True
    return exc.status_code not in HTTP_PAGES and not request.scope.get(TOO_LARGE_MARK)


def _plain_page(status: int, title: str, text: str) -> Response:
    """A message page without the database: no account menu, no demo banner."""
    html = (
        env()
        .get_template("message.html.j2")
        .render(viewer=None, synthetic=None, path="", title=title, text=text)
    )
    return HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})


def too_large_page(max_mb: int) -> Response:
    """The Dutch page for an upload above ``max_mb`` MB (413), answered before any route runs,
    so without the database."""
    return _plain_page(
        413,
        "Bestand te groot",
        f"Het bestand is groter dan {max_mb} MB en is niet geladen. Splits de levering "
        "of sla haar op als CSV-bestand, dat kleiner is; kies daarna opnieuw Leveringen.",
    )


def _failure_page(request: Request, status: int, title: str, text: str) -> Response:
    """The message page of a failure, with the menu when the database still tells who is
    signed in; without it (the database is what failed) the plain page."""
    try:
        return _page(request, "message.html.j2", status, title=title, text=text)
    except Exception:  # the failure is logged already; the page must still answer
        return _plain_page(status, title, text)


def sign_in_address(request: Request, *, expired: bool = False) -> str:
    """Where a page that needs sign-in sends the browser: Inloggen, with the page asked for
    (a GET's path and query) in ``volgende``, so that signing in leads back to it."""
    query: dict[str, str] = {}
    if expired:
        query["verlopen"] = ""
    if request.method == "GET":
        asked = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if asked != "/" and safe_next(asked):
            query[NEXT_FIELD] = asked
    return "/?" + urlencode(query) if query else "/"


def is_page(path: str) -> bool:
    """Whether a request path belongs to the pages (not to the API under ``/api/``)."""
    return not path.startswith(API_PREFIX)


def _http_page(request: Request, exc: StarletteHTTPException) -> Response:
    """The Dutch page for an HTTP error on a page's address, with the error's headers."""
    if request.scope.get(TOO_LARGE_MARK):  # a body above the limit, sent without its length
        return too_large_page(request.scope[TOO_LARGE_MARK])
    title, text = HTTP_PAGES[exc.status_code]
    response = _page(request, "message.html.j2", exc.status_code, title=title, text=text)
    for name, value in (getattr(exc, "headers", None) or {}).items():
        response.headers[name] = value
    return response


def install(app: FastAPI) -> None:
    """Mount the pages, the stylesheet and the page error handlers on ``app``."""
    from spreiding.web.pages import deliveries, figures, more, plans

    env().globals["menu"] = menu
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_api_route("/", start, methods=["GET"], include_in_schema=False)
    for module in (auth, cases, plans, deliveries, figures, more):
        app.include_router(module.router, include_in_schema=False)
    _install_handlers(app)


def _install_handlers(app: FastAPI) -> None:
    """The page error handlers: each answers a page's address with a Dutch page."""

    @app.exception_handler(SignInNeeded)
    async def _sign_in(request: Request, exc: SignInNeeded) -> Response:
        response = RedirectResponse(sign_in_address(request, expired=exc.expired), status_code=303)
        if exc.expired:
            response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
        return response

    @app.exception_handler(PageNotFound)
    async def _not_found(request: Request, exc: PageNotFound) -> Response:
        return _page(request, "message.html.j2", 404, title="Niet gevonden", text=exc.what)

    @app.exception_handler(PageForbidden)
    async def _forbidden(request: Request, exc: PageForbidden) -> Response:
        return _page(request, "message.html.j2", 403, title="Niet toegestaan", text=exc.what)

    # Each below answers a page's address with a Dutch page, the API with its own handler.
    _pages_answer(app, StarletteHTTPException, _http_page, api_answers=_api_answers)
    _pages_answer(
        app, RequestValidationError,
        lambda request, _exc: _page(
            request, "message.html.j2", 404, title="Niet gevonden",
            text="Deze pagina bestaat niet (het adres klopt niet).",
        ),
    )  # fmt: skip
    # A domain refusal no page caught itself (a NUL in a search, a busy database).
    _pages_answer(app, SpreidingError, _refusal_page)
    # A database refusal (503) or an unexpected failure (500): the API's title and detail.
    _pages_answer(
        app, DBAPIError,
        lambda request, exc: _failure_page(request, 503, DATABASE_TITLE, database_detail(exc)),
    )  # fmt: skip
    _pages_answer(app, Exception, _unexpected_page)


def _pages_answer(
    app: FastAPI,
    kind: type[Exception],
    page: Callable[[Request, Any], Response],
    *,
    api_answers: Callable[[Request, Any], bool] = _is_api,
) -> None:
    """Answer ``kind`` with ``page`` on a page's address; the API keeps the handler it had
    (its problem details) for what ``api_answers`` says is the API's to answer."""
    api_handler = app.exception_handlers[kind]

    async def answer(request: Request, exc: Exception) -> Response:
        if api_answers(request, exc):
            return await api_handler(request, exc)
        return page(request, exc)

    app.add_exception_handler(kind, answer)


def _refusal_page(request: Request, exc: SpreidingError) -> Response:
    status, title = kind_of(exc)
    return _page(request, "message.html.j2", status, title=title, text=str(exc))


def _unexpected_page(request: Request, exc: Exception) -> Response:
    log_unexpected(request, exc)
    return _failure_page(request, 500, INTERNAL_TITLE, INTERNAL_DETAIL)
