"""``/hooks/prefect``: the webhook Prefect's automations call when a spreiding run needs eyes.

The automations (:mod:`spreiding.flows.automations`) post a :class:`RunAlert` when a run
failed or crashed, or when a due run did not finish within its window. The call is
authenticated with the shared secret of the settings (``SPREIDING_ALERTS__SECRET``) as a bearer
token, compared in constant time; it is neither an account nor a session, and the secret is
never logged. Without a configured secret the hook does not exist (404). An accepted call
queues one Dutch mail to BZK's operator in the outbox (:func:`queue_alert`), once per run and
kind: a repeated call answers 200 with ``queued: false``.
"""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Depends, Request, Response

from spreiding.accounts.errors import NotAuthenticated
from spreiding.core.errors import NotFound
from spreiding.flows.alerting import RunAlert, alert_key, queue_alert
from spreiding.web.deps import SessionDep, StateDep

router = APIRouter(tags=["hooks"])


def _check_secret(request: Request, state: StateDep) -> None:
    secret = state.settings.alerts.secret
    if secret is None:
        raise NotFound("hier is geen hook: meldingen zijn niet ingesteld")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    expected = secret.get_secret_value().encode()
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected):
        raise NotAuthenticated("de hook heeft het meldingsgeheim als bearer-token nodig")


# The secret is checked as a dependency: before the body is read or validated.
@router.post(
    "/hooks/prefect",
    status_code=202,
    include_in_schema=False,
    dependencies=[Depends(_check_secret)],
)
def prefect_alert(
    alert: RunAlert, response: Response, state: StateDep, session: SessionDep
) -> dict:
    """Queue the operator's mail about a failed or overdue run; 202 queued, 200 known."""
    queued = queue_alert(session, state.settings, alert)
    if not queued:
        response.status_code = 200
    return {"key": alert_key(alert), "queued": queued}
