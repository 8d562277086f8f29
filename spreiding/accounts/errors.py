"""The refusals of signing in and acting: not signed in, not allowed, too many attempts.

They extend the domain errors of :mod:`spreiding.core.errors`, so the CLI prints them as one
line (exit 2) and the web service maps each to its problem-details answer once.
"""

from __future__ import annotations

from spreiding.core.errors import SpreidingError


class NotAuthenticated(SpreidingError):
    """No valid session or token: sign in (again)."""


class Forbidden(SpreidingError):
    """The signed-in account's role may not do this; the message says why."""


class TooManyAttempts(SpreidingError):
    """Too many failed sign-ins for one e-mail address; try again after ``retry_after`` s."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
