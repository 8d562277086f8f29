"""The ASGI application: :func:`create_app` builds it from the settings.

The HTML pages (:mod:`spreiding.web.pages`) live at ``/``; the JSON API under ``/api/v1``
(OpenAPI document at ``/api/v1/openapi.json``; no Swagger page, which would need inline
script and a CDN). Two pure ASGI middlewares wrap everything: security headers on every
response, and a cap on request bodies (an upload above the configured size is answered 413
before it is read whole).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import anyio
from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spreiding.core.settings import Settings
from spreiding.models.db import get_engine
from spreiding.models.tables import utcnow
from spreiding.web import hooks, problems
from spreiding.web.api import (
    cases,
    deliveries,
    figures,
    opportunities,
    projections,
    session,
    tokens,
    users,
    zbo,
)
from spreiding.web.deps import AppState
from spreiding.web.pages import install as install_pages
from spreiding.web.pages import is_page, too_large_page

API = "/api/v1"
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
DOCUMENTED_PROBLEMS = problems.documented(401, 403, 404, 409, 413, 422, 429)
MAX_CONCURRENT = 15
"""Requests inside the application at once. SQLAlchemy's default pool holds 5 + 10
connections and a request keeps its connection from its first query to its end, while its
dependencies and route wait for worker threads in turn: with more requests inside than
connections, those holding one wait for threads that wait for a connection (a deadlock
until the pool's 30 s timeout). The others wait outside, holding nothing."""
MULTIPART_ALLOWANCE = 1024 * 1024  # room for the form fields and boundaries around a file


class SecurityHeaders:
    """Add the security headers to every response, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in SECURITY_HEADERS if n not in names]
                if scope["path"].startswith(API):
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Answer 413 to a request whose body is larger than ``limit`` bytes."""

    def __init__(self, app: ASGIApp, limit: int, max_mb: int) -> None:
        self.app, self.limit, self.max_mb = app, limit, max_mb

    def _refusal(self, scope: Scope) -> Any:
        if is_page(scope.get("path", "")):
            return too_large_page(self.max_mb)  # a Dutch page for the pages' forms
        return problems.too_large(self.max_mb)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await self._refusal(scope)(scope, receive, send)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    # FastAPI turns an error while reading the body into a 400; this mark
                    # lets the problem handler answer 413 instead.
                    scope[problems.TOO_LARGE_MARK] = self.max_mb
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refusal(scope)(scope, receive, send)


class ConcurrencyLimit:
    """Let at most ``limit`` requests into the application at once; the rest queue here."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit
        self.semaphore: anyio.Semaphore | None = None  # made in the server's event loop

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.semaphore is None:
            self.semaphore = anyio.Semaphore(self.limit)
        async with self.semaphore:
            await self.app(scope, receive, send)


def create_app(settings: Settings, *, clock: Callable[[], datetime] | None = None) -> FastAPI:
    """The web service for these settings; ``clock`` (aware UTC) defaults to the real time."""
    app = FastAPI(
        title="spreiding",
        summary="Spreiding van rijksdiensten en rijkswerkgelegenheid (BZK): JSON API",
        version="1",
        openapi_url=f"{API}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.spreiding = AppState(settings, get_engine(settings.sqlalchemy_url), clock or utcnow)
    problems.install(app)
    for module in (
        session,
        tokens,
        users,
        cases,
        deliveries,
        figures,
        opportunities,
        zbo,
        projections,
        hooks,
    ):
        app.include_router(module.router, prefix=API, responses=DOCUMENTED_PROBLEMS)
    install_pages(app)  # the HTML pages in Dutch, on the same service layer and session
    max_mb = settings.accounts.max_upload_mb
    app.add_middleware(BodyLimit, limit=max_mb * 1024 * 1024 + MULTIPART_ALLOWANCE, max_mb=max_mb)
    app.add_middleware(ConcurrencyLimit, limit=MAX_CONCURRENT)
    app.add_middleware(SecurityHeaders)
    return app
