"""Errors as RFC 9457 problem details: ``application/problem+json`` with type, title, status.

Each domain error class is mapped here once (:data:`PROBLEMS`) to a status and a Dutch title;
the ``detail`` is the error's own one-line message, the same line the CLI prints, which says
what to fix. A refused file (:class:`~spreiding.core.errors.InvalidSubmission`) adds the
extension member ``errors``: every problem found, each with its file, row, column, cell, value
and message. Request validation errors, unknown routes and unexpected failures get the same
shape, the last without any internals.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from spreiding.accounts.errors import Forbidden, NotAuthenticated, TooManyAttempts
from spreiding.core import dutch
from spreiding.core.errors import (
    ConfigurationError,
    ConflictError,
    IntegrityError,
    InvalidInput,
    InvalidSubmission,
    NotFound,
    SpreidingError,
    TransitionRefused,
)

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("spreiding.web")


TOO_LARGE_MARK = "spreiding.too_large"  # set in the ASGI scope by the body limit


class PayloadTooLarge(SpreidingError):
    """A request body (an upload) above the configured limit."""


def too_large(max_mb: int) -> JSONResponse:
    """The 413 answer to an upload above ``max_mb`` MB."""
    return for_error(
        PayloadTooLarge(
            f"het bestand is groter dan {max_mb} MB: splits de levering of sla haar op als CSV, "
            "dat is kleiner"
        )
    )


# Most specific first: the first class an error is an instance of decides.
PROBLEMS: tuple[tuple[type[SpreidingError], int, str, str], ...] = (
    (NotAuthenticated, 401, "not-authenticated", "Niet ingelogd"),
    (Forbidden, 403, "forbidden", "Niet toegestaan"),
    (NotFound, 404, "not-found", "Niet gevonden"),
    (TransitionRefused, 409, "transition-refused", "Niet mogelijk"),
    (ConflictError, 409, "conflict", "Tegelijk gewijzigd"),
    (IntegrityError, 409, "integrity", "Opgeslagen gegevens kloppen niet"),
    (PayloadTooLarge, 413, "payload-too-large", "Bestand te groot"),
    (InvalidSubmission, 422, "invalid-submission", "Levering geweigerd"),
    (InvalidInput, 422, "invalid-input", "Ongeldige invoer"),
    (TooManyAttempts, 429, "too-many-attempts", "Te veel pogingen"),
    (ConfigurationError, 503, "configuration", "Verkeerd ingesteld"),
    (SpreidingError, 400, "refused", "Geweigerd"),
)
PROBLEM_SCHEMA: dict[str, Any] = {
    "content": {
        MEDIA_TYPE: {
            "schema": {
                "type": "object",
                "properties": {
                    "type": {"type": "string"},
                    "title": {"type": "string"},
                    "status": {"type": "integer"},
                    "detail": {"type": "string"},
                    "errors": {
                        "type": "array",
                        "description": "A refused file: every problem found in it.",
                        "items": {
                            "type": "object",
                            "properties": {
                                "file": {"type": "string"},
                                "row": {"type": ["integer", "null"]},
                                "column": {"type": "string"},
                                "cell": {"type": ["string", "null"]},
                                "value": {"type": "string"},
                                "message": {"type": "string"},
                            },
                        },
                    },
                },
                "required": ["type", "title", "status", "detail"],
            }
        }
    },
}


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` entry for these problem statuses."""

    def titles(status: int) -> str:
        return ", ".join(t for _c, code, _s, t in PROBLEMS if code == status) or "Fout"

    return {s: {"description": titles(s), **PROBLEM_SCHEMA} for s in statuses}


def problem(
    status: int,
    slug: str,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """One problem-details response, with any extension members."""
    body: dict[str, Any] = {"type": f"urn:spreiding:problem:{slug}", "title": title}
    body["status"] = status
    body["detail"] = detail
    body.update(extensions)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def kind_of(exc: SpreidingError) -> tuple[int, str]:
    """The HTTP status and Dutch title of a domain error, by the first class in :data:`PROBLEMS`."""
    for cls, status, _slug, title in PROBLEMS:
        if isinstance(exc, cls):
            return status, title
    raise AssertionError("SpreidingError is the last entry")  # pragma: no cover


def for_error(exc: SpreidingError) -> JSONResponse:
    """The problem response of a domain error, by the first class in :data:`PROBLEMS`."""
    for cls, status, slug, title in PROBLEMS:
        if isinstance(exc, cls):
            headers = None
            extensions: dict[str, Any] = {}
            if isinstance(exc, InvalidSubmission):
                extensions["errors"] = [p.to_json() for p in exc.problems]
                extensions["more_errors"] = exc.more
            elif isinstance(exc, TooManyAttempts):
                headers = {"Retry-After": str(exc.retry_after)}
            elif isinstance(exc, NotAuthenticated):
                headers = {"WWW-Authenticate": 'Bearer realm="spreiding"'}
            return problem(status, slug, title, str(exc), headers, **extensions)
    raise AssertionError("SpreidingError is the last entry")  # pragma: no cover


# Pydantic's error types in Dutch; ``{...}`` takes the error's context (limits, choices).
_VALIDATION_MESSAGES = {
    "missing": "ontbreekt",
    "extra_forbidden": "is geen veld van dit verzoek",
    "json_invalid": "is geen geldige JSON",
    "model_attributes_type": "moet een JSON-object zijn",
    "dict_type": "moet een JSON-object zijn",
    "list_type": "moet een lijst zijn",
    "string_type": "moet tekst zijn",
    "bool_type": "moet true of false zijn",
    "bool_parsing": "moet true of false zijn",
    "int_type": "moet een geheel getal zijn",
    "int_parsing": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "float_type": "moet een getal zijn",
    "float_parsing": "moet een getal zijn",
    "finite_number": "moet een eindig getal zijn",
    "date_type": "moet een datum zijn (JJJJ-MM-DD)",
    "date_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "date_from_datetime_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "string_too_short": "is te kort: ten minste {min_length} tekens",
    "string_too_long": "is te lang: ten hoogste {max_length} tekens",
    "too_short": "heeft te weinig elementen: ten minste {min_length}",
    "too_long": "heeft te veel elementen: ten hoogste {max_length}",
    "greater_than": "moet groter zijn dan {gt}",
    "greater_than_equal": "moet ten minste {ge} zijn",
    "less_than": "moet kleiner zijn dan {lt}",
    "less_than_equal": "moet ten hoogste {le} zijn",
    "literal_error": "moet een van deze waarden zijn: {expected}",
    "enum": "moet een van deze waarden zijn: {expected}",
    "string_pattern_mismatch": "heeft niet de juiste vorm",
}


def _limit_text(value: Any) -> Any:
    """A number from a validation error's context as Dutch staff write it (``100.000``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        return value
    decimals = 0 if float(value).is_integer() else len(repr(float(value)).split(".")[1])
    return dutch.number(value, min(decimals, 6))


def _validation_detail(exc: RequestValidationError) -> str:
    """The first validation error in Dutch, naming the field: ``fte: moet een getal zijn``."""
    first: dict[str, Any] = exc.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    template = _VALIDATION_MESSAGES.get(first.get("type", ""))
    try:
        context = {k: _limit_text(v) for k, v in first.get("ctx", {}).items()}
        message = template.format(**context) if template else None
    except (KeyError, IndexError):
        message = None
    return f"{where or 'verzoek'}: {message or first.get('msg', 'ongeldig')}"


HTTP_DETAILS = {
    404: "dit adres bestaat niet in deze API; zie /api/v1/openapi.json",
    405: "deze methode is op dit adres niet toegestaan; zie /api/v1/openapi.json",
}
"""The Dutch detail of an HTTP error that the routing itself answers."""


DATABASE_TITLE = "Database weigert"
INTERNAL_TITLE = "Interne fout"
INTERNAL_DETAIL = "Er ging onverwacht iets mis; de fout is vastgelegd voor BZK."
"""The Dutch title and detail of an unexpected failure: no internals, for the API and pages."""


def database_detail(exc: DBAPIError) -> str:
    """The Dutch detail of a database refusal with the database's first line; logged here."""
    first = str(exc.orig).splitlines()[0] if exc.orig else "onbekende fout"
    log.warning("database refused: %s", first)
    return f"De database weigert het verzoek; er is niets gewijzigd. Melding: {first}"


def log_unexpected(request: Request, exc: Exception) -> None:
    """Record an unexpected failure with its traceback for BZK (never shown to the caller)."""
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)


def install(app: FastAPI) -> None:
    """Register the problem-details handlers on ``app``."""

    @app.exception_handler(SpreidingError)
    async def _domain(_request: Request, exc: SpreidingError) -> JSONResponse:
        return for_error(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem(422, "invalid-request", "Ongeldige invoer", _validation_detail(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if request.scope.get(TOO_LARGE_MARK):
            return too_large(request.scope[TOO_LARGE_MARK])
        title = {404: "Niet gevonden", 405: "Methode niet toegestaan"}.get(exc.status_code, "Fout")
        # Starlette's own details ("Method Not Allowed") are English: never passed on.
        detail = HTTP_DETAILS.get(exc.status_code, "het verzoek is geweigerd")
        return problem(exc.status_code, "http", title, detail, getattr(exc, "headers", None))

    @app.exception_handler(DBAPIError)
    async def _database(_request: Request, exc: DBAPIError) -> JSONResponse:
        return problem(503, "database", DATABASE_TITLE, database_detail(exc))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log_unexpected(request, exc)
        return problem(500, "internal", INTERNAL_TITLE, INTERNAL_DETAIL)
