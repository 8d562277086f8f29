"""The ``annual-inventory`` flow: load the year's deliveries, remind who is missing, report.

Every year on 1 March (cron ``0 6 1 3 *``, Europe/Amsterdam; see :data:`spreiding.flows.FLOWS`)
the flow does, for peildatum 1 January of the year:

1. **Scan the inbox.** Deliveries for a year are the files in ``<inbox>/<year>/`` (the inbox is
   ``SPREIDING_INBOX_DIR``, default ``<data_dir>/inbox``); the ``inbox`` parameter names that
   year folder directly. Files may be named anything; hidden files and Excel lock files
   (``.x``, ``~$x``) are skipped. They are loaded in name order, so that of two deliveries of
   one ministry in the folder the one whose name sorts last counts (``bzk-2023-v2.csv``).
2. **Load each file in a transaction of its own**
   (:func:`spreiding.inventory.deliveries.import_file`). A bad file is refused with one line
   naming file, row and column, nothing of it is stored, it is listed in the summary, and the
   other files load.
3. **Remind** every ministry without a current delivery: one Dutch e-mail each, queued in the
   outbox under the key ``inventory:<year>:<ministry>:missing`` to the ministry's contact (or
   ``SPREIDING_BZK_EMAIL``), then **deliver** what is pending in the outbox.
4. **Write the report** (:mod:`spreiding.inventory.report`) into ``out`` (default
   ``<data_dir>/reports/<year>``), marked *voorlopig* while ministries are missing.
5. **Publish** two Prefect artifacts: a table of the fte per province
   (key ``rijkswerkgelegenheid-<year>``) and a Markdown summary (key ``inventarisatie-<year>``).

The default year is that of the latest 1 January: run on 1 March 2024 it is 2024, the
peildatum whose figures the ministries deliver in March and April. A run started by a
deployment's schedule takes the year from its *scheduled* start instead, so a run that starts
late (see below) still handles the year it was scheduled for.

Idempotent per year, so a missed run is caught up exactly once in effect
----------------------------------------------------------------------------
Prefect's scheduler service creates the runs of a deployment's schedule in advance (up to
``PREFECT_SERVER_SERVICES_SCHEDULER_MAX_RUNS`` runs within ``..._MAX_SCHEDULED_TIME``, at least
``..._MIN_RUNS``; each with the idempotency key ``scheduled <deployment> <schedule> <time>``, so
one run per scheduled time). If nothing picks a run up at its time, the late-runs service
moves it to the state *Late* (a kind of *Scheduled*) once it is
``PREFECT_SERVER_SERVICES_LATE_RUNS_AFTER_SECONDS`` overdue. A served deployment's runner polls
for runs of state type SCHEDULED whose start time lies before now (plus its prefetch), Late
ones included, oldest first (``prefect/runner/_scheduled_run_poller.py``). So when the server
and ``spreiding serve`` come back after missing 1 March, the one run created for that date is
found and executed then. (Runs are created only from "now" onwards: a schedule is not
back-filled for times while the server was down and had not created them yet.)

Prefect can still start a run twice for one year: a catch-up run plus a manual run, or a run
retried after a crash. Every step is therefore safe to repeat: a file already delivered (same
sha256, ministry and year) is not loaded again, a reminder's outbox key is unique, mail is
marked sent only after the SMTP server accepted it, and the report is a pure function of the
store (byte-identical Markdown, CSV and SVG). A second run for a year changes nothing, which
makes "once" hold in effect whatever the scheduler does.

The steps are Prefect tasks when the flow runs under Prefect; ``annual_inventory.fn(...)``
runs the same steps as plain functions (no server, no artifacts), as the tests do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext

from spreiding.core.dutch import percentage
from spreiding.core.errors import InvalidSubmission, NotFound
from spreiding.core.settings import get_settings
from spreiding.core.synthetic import SYNTHETIC_MARK
from spreiding.flows import TIMEZONE
from spreiding.inventory.deliveries import import_file, queue_reminders
from spreiding.inventory.report import ReportData, build_report, whole
from spreiding.models.db import get_engine, session_scope

T = TypeVar("T")
SKIPPED_PREFIXES = (".", "~$")


# --- the rules, as plain functions -----------------------------------------------------------


def default_year(today: date, scheduled: datetime | None = None) -> int:
    """The peildatum year to handle: of the scheduled start when given, else of ``today``."""
    if scheduled is not None:
        return scheduled.astimezone(ZoneInfo(TIMEZONE)).year
    return today.year


def year_folder(inbox: Path, year: int) -> Path:
    """Where the deliveries for ``year`` arrive: ``<inbox>/<year>``."""
    return inbox / str(year)


def inbox_files(folder: Path) -> list[Path]:
    """The delivered files in ``folder``, in name order; none when the folder is missing."""
    if not folder.is_dir():
        return []
    # By stem, then suffix: 'az-2023.csv' before 'az-2023-v2.csv', so the newer version loads last.
    return sorted(
        (
            path
            for path in folder.iterdir()
            if path.is_file() and not path.name.startswith(SKIPPED_PREFIXES)
        ),
        key=lambda path: (path.stem, path.suffix),
    )


def artifact_key(*parts: object) -> str:
    """A Prefect artifact key: lowercase letters, digits and dashes only."""
    text = "-".join(str(part) for part in parts).lower()
    return "".join(c if c.isascii() and c.isalnum() else "-" for c in text).strip("-")


# --- the steps -------------------------------------------------------------------------------


def _logger() -> logging.Logger | logging.LoggerAdapter:
    from prefect.exceptions import MissingContextError
    from prefect.logging import get_run_logger

    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger(__name__)


@task(name="load-delivery", task_run_name="load-{path.name}", cache_policy=NO_CACHE)
def load_delivery(path: Path, year: int) -> dict[str, Any]:
    """Load one delivered file; a refused file is reported, not raised."""
    try:
        result = import_file(path, year=year)
    except InvalidSubmission as exc:
        _logger().warning("refused: %s", exc)
        return {"file": path.name, "status": "refused", "message": str(exc)}
    _logger().info(
        "%s: %s for %s (%d rows, %s fte)",
        result.file,
        result.status,
        result.ministry_code,
        result.rows,
        whole(result.total_fte),
    )
    return result.to_json()


@task(name="queue-reminders", cache_policy=NO_CACHE)
def remind_missing(year: int) -> list[str]:
    """Queue the reminders to ministries that have not delivered; the codes newly queued."""
    with session_scope() as session:
        return queue_reminders(session, year, fallback_email=get_settings().bzk_email)


@task(name="deliver-mail", cache_policy=NO_CACHE)
def deliver_mail() -> dict[str, Any]:
    """Send what is pending in the outbox; an SMTP outage leaves it pending for next time."""
    from spreiding.mail.outbox import deliver_pending

    report = deliver_pending(get_engine())
    return {
        "sent": report.sent,
        "failed": report.failed,
        "pending": report.pending,
        "error": report.error,
    }


@task(name="write-report", cache_policy=NO_CACHE)
def write_year_report(year: int, out: Path) -> tuple[ReportData | None, list[Path]]:
    """Write the report for ``year`` into ``out``; (None, []) when there are no counts yet."""
    try:
        with session_scope() as session:
            return build_report(session, year, out, get_settings().randstad)
    except NotFound as exc:
        _logger().warning("no report for %d: %s", year, exc)
        return None, []


def _step(step: Any, *args: Any) -> Any:
    """Run a step as a Prefect task inside a flow run, as a plain function outside one."""
    runner: Callable[..., Any] = step if FlowRunContext.get() is not None else step.fn
    return runner(*args)


# --- artifacts -------------------------------------------------------------------------------


def province_artifact_rows(data: ReportData) -> list[dict[str, Any]]:
    """The fte per province as table rows for the Prefect UI."""
    return [
        {
            "provincie": p.name,
            "code": p.code,
            "randstad": "ja" if p.randstad else "",
            "fte": round(p.fte),
            "aandeel": percentage(p.fte / data.total) if data.total else "",
            "verandering": None if p.change is None else round(p.change),
        }
        for p in data.provinces
    ]


def summary_markdown(summary: dict[str, Any]) -> str:
    """The run's summary in Dutch Markdown (the markdown artifact)."""
    year = summary["year"]
    lines = [f"# Jaarlijkse inventarisatie rijkswerkgelegenheid {year}", ""]
    report = summary["report"]
    if report is None:
        lines += ["Nog geen cijfers voor deze peildatum: geen rapportage geschreven.", ""]
    else:
        if report["synthetic"]:
            lines += [f"**{SYNTHETIC_MARK}**", ""]
        lines += [f"Totaal op 1 januari {year}: **{whole(report['total_fte'])} fte**.", ""]
        lines += [f"Rapportage: `{report['dir']}`", ""]
    lines += ["## Leveringen", "", "| bestand | resultaat | ministerie | regels | fte |"]
    lines += ["|---|---|---|--:|--:|"]
    labels = {"loaded": "geladen", "unchanged": "al geladen", "refused": "geweigerd"}
    for item in summary["files"]:
        lines.append(
            f"| {item['file']} | {labels[item['status']]} | {item.get('ministry_code', '')} | "
            f"{item.get('rows', '')} | {whole(item['total_fte']) if 'total_fte' in item else ''} |"
        )
    refused = [item for item in summary["files"] if item["status"] == "refused"]
    if refused:
        lines += ["", "## Geweigerde bestanden", ""]
        lines += [f"- {item['message']}" for item in refused]
    missing = ", ".join(summary["missing"]) or "geen"
    queued = ", ".join(summary["reminders_queued"]) or "geen"
    lines += ["", f"Nog niet geleverd: {missing}. Nieuwe herinneringen: {queued}.", ""]
    return "\n".join(lines)


def _publish(summary: dict[str, Any], data: ReportData | None) -> None:
    """Create the table and markdown artifacts (only inside a Prefect flow run)."""
    if FlowRunContext.get() is None:
        return
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    year = summary["year"]
    if data is not None:
        create_table_artifact(
            province_artifact_rows(data),
            key=artifact_key("rijkswerkgelegenheid", year),
            description=f"Rijkswerkgelegenheid per provincie op 1 januari {year} (fte)",
        )
    create_markdown_artifact(
        summary_markdown(summary),
        key=artifact_key("inventarisatie", year),
        description=f"Jaarlijkse inventarisatie {year}: leveringen, herinneringen, rapportage",
    )


# --- the flow --------------------------------------------------------------------------------


def _scheduled_start() -> datetime | None:
    """The scheduled start of this run when a deployment started it, else None."""
    context = FlowRunContext.get()
    if context is None or context.flow_run is None or context.flow_run.deployment_id is None:
        return None
    return context.flow_run.expected_start_time


@flow(
    name="annual-inventory",
    description="Load the ministries' fte deliveries for a year, remind who is missing, "
    "and write the report to parliament.",
)
def annual_inventory(
    year: int | None = None, out: str | None = None, inbox: str | None = None
) -> dict[str, Any]:
    """Run the annual inventory for peildatum 1 January ``year`` (see the module docstring).

    Returns a JSON-able summary: the files and what became of each, the ministries still
    missing, the reminders newly queued, the mail delivery and the report written.
    """
    settings = get_settings()
    year = year or default_year(settings.current_date(), _scheduled_start())
    folder = Path(inbox) if inbox else year_folder(settings.inbox, year)
    target = Path(out) if out else settings.data_dir / "reports" / str(year)
    files = [_step(load_delivery, path, year) for path in inbox_files(folder)]
    queued = _step(remind_missing, year)
    mail = _step(deliver_mail)
    data, written = _step(write_year_report, year, target)
    summary = {
        "year": year,
        "inbox": str(folder),
        "files": files,
        "missing": [code for code, _ in data.missing] if data else _missing_codes(year),
        "reminders_queued": queued,
        "mail": mail,
        "report": None
        if data is None
        else {
            "dir": str(target),
            "files": [path.name for path in written],
            "total_fte": data.total,
            "synthetic": data.synthetic,
        },
    }
    _publish(summary, data)
    return summary


def _missing_codes(year: int) -> list[str]:
    from spreiding.inventory.deliveries import missing_ministries

    with session_scope() as session:
        return [m.code for m in missing_ministries(session, year)]
