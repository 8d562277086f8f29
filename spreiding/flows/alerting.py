"""What an alert about a spreiding run says, and how it reaches BZK's operator: the outbox.

Prefect's server watches the runs (:mod:`spreiding.flows.automations` creates the
automations); when a run fails or crashes, or a due run has not finished within its window,
its action calls the web service's hook (:mod:`spreiding.web.hooks`) with a :class:`RunAlert`.
:func:`queue_alert` turns that into one Dutch mail to the operator in the outbox, under a key
per run and kind, so a hook called twice for the same run queues one message. It is sent by
the next delivery (every working day by the reminder flows), like every other message.

No Prefect here: the web service imports this module.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from spreiding.core.dutch import date_text
from spreiding.core.settings import Settings
from spreiding.flows import TIMEZONE
from spreiding.mail.outbox import enqueue

ALERT_KIND = "operations-alert"
FAILED, OVERDUE = "mislukt", "te-laat"
# Prefect's state names in Dutch; the name itself stays beside it, as the UI shows it.
_STATES = {
    "Failed": "mislukt",
    "Crashed": "vastgelopen",
    "TimedOut": "te lang bezig",
    "Late": "te laat",
    "Scheduled": "gepland",
    "Pending": "opgepakt",
    "Running": "bezig",
}
_WHAT = {
    FAILED: "is mislukt",
    OVERDUE: "is niet op tijd klaar",
}


class RunAlert(BaseModel):
    """The body the automations send: which run, of which flow, in what state, and why.

    Filled by Prefect from the run the event is about (the payload template in
    :mod:`spreiding.flows.automations`); every field is bounded so a hook call stays small.
    """

    model_config = ConfigDict(extra="ignore")

    kind: Literal["mislukt", "te-laat"]
    flow_run_id: UUID
    flow_run: str = Field(max_length=200)
    flow: str = Field("", max_length=200)
    state: str = Field("", max_length=100)
    message: str | None = Field(None, max_length=4000)
    expected_start: str | None = Field(None, max_length=100)
    url: str | None = Field(None, max_length=1000)


def alert_key(alert: RunAlert) -> str:
    """The outbox key: one message per run and kind."""
    return f"prefect:{alert.kind}:{alert.flow_run_id}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _state(name: str) -> str:
    return f"{_STATES[name]} ({name})" if name in _STATES else (name or "onbekend")


def _when(text: str) -> str:
    """A run's planned start as Dutch text: ``1 mei 2024 om 06.00 uur``; as given otherwise."""
    try:
        moment = datetime.fromisoformat(text).astimezone(ZoneInfo(TIMEZONE))
    except ValueError:
        return text
    return f"{date_text(moment.date())} om {moment:%H.%M} uur"


def alert_subject(alert: RunAlert) -> str:
    """``[spreiding] annual-inventory: run inventarisatie-2024 is mislukt``."""
    flow = f" {alert.flow}:" if alert.flow else ""
    return _one_line(f"[spreiding]{flow} run {alert.flow_run} {_WHAT[alert.kind]}")


def alert_body(alert: RunAlert) -> str:
    """The Dutch text of the mail to the operator."""
    lines = ["Beste beheerder,", ""]
    if alert.kind == FAILED:
        lines += [
            f"De run {alert.flow_run} van de flow {alert.flow or 'onbekend'} is geëindigd "
            f"in de toestand {_state(alert.state)}.",
        ]
        if alert.message:
            lines += ["", "Reden volgens Prefect:", f"  {_one_line(alert.message)}"]
        lines += [
            "",
            "Berichten die niet bezorgd konden worden blijven in de wachtrij voor de volgende "
            "run. Los de oorzaak op en start de run zo nodig opnieuw met "
            f"'spreiding flows run {alert.flow or '<flow>'}'.",
        ]
    else:
        lines += [
            f"De geplande run {alert.flow_run} van de flow {alert.flow or 'onbekend'} had "
            f"klaar moeten zijn, maar is dat niet. Toestand nu: {_state(alert.state)}.",
        ]
        if alert.expected_start:
            lines += [f"Gepland voor {_when(alert.expected_start)}."]
        lines += [
            "",
            "Kijk of 'spreiding serve' of een Prefect-worker draait; een gemiste run wordt "
            "eenmaal ingehaald zodra er weer een draait.",
        ]
    if alert.url:
        lines += ["", f"De run in Prefect: {alert.url}"]
    lines += ["", "Dit bericht is automatisch verstuurd door spreiding."]
    return "\n".join(lines) + "\n"


def operator_address(settings: Settings) -> str:
    """Where alerts go: ``SPREIDING_ALERTS__OPERATOR_EMAIL``, else ``SPREIDING_BZK_EMAIL``."""
    return settings.alerts.operator_email or settings.bzk_email


def queue_alert(session: Session, settings: Settings, alert: RunAlert) -> bool:
    """Queue the operator's mail about ``alert``; False when it was queued before."""
    return enqueue(
        session,
        key=alert_key(alert),
        kind=ALERT_KIND,
        to=operator_address(settings),
        subject=alert_subject(alert),
        body=alert_body(alert),
    )
