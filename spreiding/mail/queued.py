"""What a domain reports about a message it just put in the outbox (for run summaries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Queued:
    """A reminder put in the outbox by this run: what it is about and to whom it goes.

    ``confidential`` marks a message about something only some roles may see (a
    vertrouwelijk case): summaries meant for everyone count it instead of naming it.
    """

    key: str
    to: str
    subject: str
    about: str
    stage: str
    due: date
    confidential: bool = False
