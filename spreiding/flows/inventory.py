"""The ``annual-inventory`` flow: load the year's deliveries, remind who is missing, report.

Every week of the delivery window (default 1 March to 30 April) and once on the report day
after it (default 1 May; the year's rhythm: :mod:`spreiding.flows.rhythm`), the flow does, for
peildatum 1 January of the year:

1. **Scan the inbox.** Deliveries for a year are the files in ``<inbox>/<year>/`` (the inbox is
   ``SPREIDING_INBOX_DIR``, default ``<data_dir>/inbox``); the ``inbox`` parameter names that
   year folder directly. Which files count and in what order: :mod:`spreiding.inventory.inbox`
   (symbolic links and anything outside the folder are refused unread).
2. **Load each file in a transaction of its own**
   (:func:`spreiding.inventory.inbox.load_delivered_file`). A bad file is refused with one
   line naming file, row and column, nothing of it is stored, it is listed in the summary, and
   the other files load: one bad file never stops the run.
3. **Remind** every ministry without a current delivery: one Dutch e-mail each, queued in the
   outbox under the key ``inventory:<year>:<ministry>:missing`` to the ministry's contact (or
   ``SPREIDING_BZK_EMAIL``), then **deliver** what is pending in the outbox.
4. **Write the report**, from the report day on (:func:`spreiding.flows.rhythm.report_due`;
   the weekly runs in the window do not), (:mod:`spreiding.inventory.report`) into ``out`` (default
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
runs the same steps as plain functions (no server, no artifacts), as the tests do
(:func:`spreiding.flows.runs.step`).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.states import State
from pydantic import Field

from spreiding.core.errors import NotFound
from spreiding.core.settings import get_settings
from spreiding.flows import TIMEZONE
from spreiding.flows.annual import build_annual_report
from spreiding.flows.rhythm import report_due
from spreiding.flows.runs import (
    artifact_key,
    deliver_mail,
    delivery_problem,
    finish,
    in_flow_run,
    run_day,
    run_logger,
    run_parameters,
    step,
)
from spreiding.inventory.deliveries import missing_ministries, queue_reminders
from spreiding.inventory.inbox import (
    default_year,
    inbox_files,
    load_delivered_file,
    loaded_text,
    summary_markdown,
    year_folder,
)
from spreiding.inventory.report import (
    ReportData,
    artifact_description,
    artifact_rows,
)
from spreiding.models.db import session_scope

# --- the steps -------------------------------------------------------------------------------


@task(name="load-delivery", task_run_name="load-{path.name}", cache_policy=NO_CACHE)
def load_delivery(path: Path, year: int, folder: Path) -> dict[str, Any]:
    """Load one delivered file; a refused file is reported, not raised."""
    item = load_delivered_file(path, year, folder)
    if item["status"] == "refused":
        run_logger(__name__).warning("refused: %s", item["message"])
    else:
        run_logger(__name__).info("%s", loaded_text(item))
    return item


@task(name="queue-reminders", cache_policy=NO_CACHE)
def remind_missing(year: int) -> list[str]:
    """Queue the reminders to ministries that have not delivered; the codes newly queued."""
    with session_scope() as session:
        return queue_reminders(session, year, fallback_email=get_settings().bzk_email)


@task(name="write-report", cache_policy=NO_CACHE)
def write_year_report(year: int, out: Path) -> tuple[ReportData | None, list[Path]]:
    """Write the report for ``year`` into ``out``; (None, []) when there are no counts yet."""
    try:
        with session_scope() as session:
            settings = get_settings()
            return build_annual_report(
                session, year, out, settings.randstad, settings.current_date()
            )
    except NotFound as exc:
        run_logger(__name__).warning("no report for %d: %s", year, exc)
        return None, []


# --- artifacts -------------------------------------------------------------------------------


def _publish(summary: dict[str, Any], data: ReportData | None) -> None:
    """Create the table and markdown artifacts (only inside a Prefect flow run)."""
    if not in_flow_run():
        return
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    year = summary["year"]
    if data is not None:
        create_table_artifact(
            artifact_rows(data),
            key=artifact_key("rijkswerkgelegenheid", year),
            description=artifact_description(data),
        )
    create_markdown_artifact(
        summary_markdown(summary),
        key=artifact_key("inventarisatie", year),
        description=f"Jaarlijkse inventarisatie {year}: leveringen, herinneringen, rapportage",
    )


# --- the flow --------------------------------------------------------------------------------


def run_name() -> str:
    """``inventarisatie-2024``: the peildatum year the run handles."""
    return f"inventarisatie-{run_parameters().get('year') or _year()}"


def _year() -> int:
    """The default year: that of the run's day (a deployment run's scheduled day)."""
    return default_year(run_day(), timezone=TIMEZONE)


@flow(name="annual-inventory", flow_run_name=run_name)
def annual_inventory(
    year: Annotated[int | None, Field(ge=1990, le=2100)] = None,
    out: str | None = None,
    inbox: str | None = None,
) -> dict[str, Any] | State:
    """Run the annual inventory for peildatum 1 January ``year`` (see the module docstring).

    Returns a JSON-able summary: the files and what became of each, the ministries still
    missing, the reminders newly queued, the mail delivery and the report written (from the
    report day on, :func:`spreiding.flows.rhythm.report_due`). Under Prefect the run ends
    Failed when mail could not be delivered or the report could not be written.

    Args:
        year: Jaar van de peildatum (1 januari). Leeg: het jaar van de geplande dag van de run.
        out: Map voor de rapportage. Leeg: <datamap>/reports/<jaar>.
        inbox: Map met de leveringen van dit jaar. Leeg: <inbox>/<jaar> uit de instellingen.
    """
    settings = get_settings()
    year = year or _year()
    folder = Path(inbox) if inbox else year_folder(settings.inbox, year)
    target = Path(out) if out else settings.data_dir / "reports" / str(year)
    files = [step(load_delivery, path, year, folder) for path in inbox_files(folder)]
    queued = step(remind_missing, year)
    report = step(deliver_mail)
    problems = delivery_problem(report)
    data, written = None, []
    due = report_due(run_day(), year, settings.rhythm)
    if due:
        data, written = step(write_year_report, year, target)
        if data is None:
            problems.append(f"Rapportage {year} niet geschreven: nog geen cijfers voor dit jaar.")
    summary = {
        "year": year,
        "inbox": str(folder),
        "files": files,
        "missing": [code for code, _ in data.missing] if data else _missing_codes(year),
        "reminders_queued": queued,
        "mail": asdict(report),
        "report_due": due,
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
    return finish(summary, problems)


def _missing_codes(year: int) -> list[str]:
    with session_scope() as session:
        return [m.code for m in missing_ministries(session, year)]
