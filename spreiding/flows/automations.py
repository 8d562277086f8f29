"""Prefect automations that alert BZK's operator: a run failed, or a due run is not done.

Automations run inside the Prefect server, so they fire even when no flow, ``serve`` or
worker runs. Prefect 3.9 has no SMTP notification block; the action calls a webhook of the
spreiding web service instead (:mod:`spreiding.web.hooks`), which queues a Dutch mail in the
outbox (:mod:`spreiding.flows.alerting`). :func:`ensure_automations` creates or updates:

* the Webhook block ``spreiding-beheer``: the hook's URL and the bearer secret from the
  settings (``SPREIDING_ALERTS__URL``, ``SPREIDING_ALERTS__SECRET``); a Webhook block keeps
  its URL and headers as secret fields, so the UI and the API show them obfuscated;
* ``spreiding: run mislukt`` — reactive: any run tagged ``spreiding`` that ends Failed or
  Crashed;
* ``spreiding: <flow> niet op tijd klaar`` — proactive, one per flow: after a run of the
  flow's deployment turned Late (nothing picked it up at its time) or Pending (it was picked
  up), the automation expects a final state (Completed, Failed, Crashed, Cancelled) within
  the flow's window (:attr:`spreiding.flows.FlowSpec.window_hours`, or
  ``SPREIDING_ALERTS__WINDOW_SECONDS``), and fires when none came. A failure is told by the
  first automation, so it ends this one's wait too.

Each action's payload is a Jinja template Prefect fills from the run the event is about; the
secret is never part of it, nor of any flow parameter or log line.
"""

from __future__ import annotations

from datetime import timedelta

from prefect.blocks.webhook import Webhook
from prefect.client.orchestration import get_client
from prefect.events.actions import CallWebhook
from prefect.events.schemas.automations import AutomationCore, EventTrigger, Posture

from spreiding.core.errors import ConfigurationError
from spreiding.core.settings import AlertSettings
from spreiding.flows import FLOWS, FlowSpec
from spreiding.flows.alerting import FAILED, OVERDUE

BLOCK = "spreiding-beheer"
HOOK_PATH = "/api/v1/hooks/prefect"
FAILED_NAME = "spreiding: run mislukt"
FINAL = {
    "prefect.flow-run.Completed",
    "prefect.flow-run.Failed",
    "prefect.flow-run.Crashed",
    "prefect.flow-run.Cancelled",
}
SPREIDING_TAG = {"prefect.resource.id": "prefect.tag.spreiding", "prefect.resource.role": "tag"}


def overdue_name(spec: FlowSpec) -> str:
    """The proactive automation's name for one flow."""
    return f"spreiding: {spec.name} niet op tijd klaar"


def payload(kind: str) -> str:
    """The JSON body (a Jinja template) of the hook call: the run, its flow, state and link."""
    return (
        "{"
        f'"kind": "{kind}", '
        '"flow_run_id": {{ flow_run.id|string|tojson }}, '
        '"flow_run": {{ flow_run.name|tojson }}, '
        '"flow": {{ flow.name|tojson }}, '
        '"state": {{ flow_run.state.name|tojson }}, '
        '"message": {{ flow_run.state.message|tojson }}, '
        '"expected_start": {{ flow_run.expected_start_time|string|tojson }}, '
        '"url": {{ flow_run|ui_url|tojson }}'
        "}"
    )


def window(spec: FlowSpec, alerts: AlertSettings) -> timedelta:
    """How long a due run of ``spec`` may take: the setting, or the flow's own hours."""
    if alerts.window_seconds is not None:
        return timedelta(seconds=alerts.window_seconds)
    return timedelta(hours=spec.window_hours)


def save_block(alerts: AlertSettings) -> str:
    """Create or update the Webhook block that calls the hook; its document id."""
    if not alerts.enabled or alerts.url is None or alerts.secret is None:
        raise ConfigurationError("alerts need SPREIDING_ALERTS__URL and SPREIDING_ALERTS__SECRET")
    block = Webhook(
        method="POST",
        url=alerts.url.rstrip("/") + HOOK_PATH,
        headers={
            "Authorization": f"Bearer {alerts.secret.get_secret_value()}",
            "Content-Type": "application/json",
        },
    )
    return str(block.save(BLOCK, overwrite=True))


def automations(block_id: str, alerts: AlertSettings) -> list[AutomationCore]:
    """The automations: one for failed or crashed runs, one per flow for overdue runs."""
    failed = AutomationCore(
        name=FAILED_NAME,
        description=(
            "Mailt de beheerder bij BZK wanneer een run van spreiding mislukt of crasht, met "
            "de reden. Via de webhook van de spreiding-webservice (wachtrij voor e-mail)."
        ),
        tags=["spreiding"],
        trigger=EventTrigger(
            match={"prefect.resource.id": "prefect.flow-run.*"},
            match_related=SPREIDING_TAG,
            expect={"prefect.flow-run.Failed", "prefect.flow-run.Crashed"},
            posture=Posture.Reactive,
            threshold=1,
            within=timedelta(0),
        ),
        actions=[CallWebhook(block_document_id=block_id, payload=payload(FAILED))],
    )
    overdue = [
        AutomationCore(
            name=overdue_name(spec),
            description=(
                f"Mailt de beheerder bij BZK wanneer een geplande run van {spec.name} niet "
                f"binnen {_duration(window(spec, alerts))} na zijn begin (of na zijn geplande "
                "tijd, als niets hem oppakte) klaar is."
            ),
            tags=["spreiding", spec.domain],
            trigger=EventTrigger(
                match={"prefect.resource.id": "prefect.flow-run.*"},
                match_related=[
                    SPREIDING_TAG,
                    {"prefect.resource.role": "flow", "prefect.resource.name": spec.name},
                    {"prefect.resource.role": "deployment"},
                ],
                after={"prefect.flow-run.Late", "prefect.flow-run.Pending"},
                expect=FINAL,
                for_each={"prefect.resource.id"},
                posture=Posture.Proactive,
                threshold=1,
                within=window(spec, alerts),
            ),
            actions=[CallWebhook(block_document_id=block_id, payload=payload(OVERDUE))],
        )
        for spec in FLOWS.values()
    ]
    return [failed, *overdue]


def _duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} uur"
    return f"{seconds} seconden"


def ensure_automations(alerts: AlertSettings) -> list[str]:
    """Create or update the block and the automations on the configured server; their names.

    Idempotent: an automation with the same name is updated, not doubled.
    """
    block_id = save_block(alerts)
    names = []
    with get_client(sync_client=True) as client:
        for automation in automations(block_id, alerts):
            existing = client.read_automations_by_name(automation.name)
            if existing:
                client.update_automation(existing[0].id, automation)
                for extra in existing[1:]:
                    client.delete_automation(extra.id)
            else:
                client.create_automation(automation)
            names.append(automation.name)
    return names
