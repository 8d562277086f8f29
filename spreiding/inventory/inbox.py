"""The inbox of the annual inventory: which files were delivered, loading each, the summary.

Deliveries for a year are the files in ``<inbox>/<year>/``. Files may be named anything;
hidden files and Excel lock files (``.x``, ``~$x``) are skipped. They are loaded in name order
(by stem, then suffix), so that of two deliveries of one ministry the one whose name sorts
last counts (``bzk-2023-v2.csv`` after ``bzk-2023.csv``).

Only regular files that lie in the year folder itself are read. A symbolic link (wherever it
points) or an entry that resolves outside the folder is refused with one line naming it,
without opening it: its target's content never reaches a message, a log or an artifact.

:func:`load_delivered_file` loads one file in a transaction of its own
(:func:`spreiding.inventory.deliveries.import_file`) and returns what became of it; a file
refused for its content (any domain error of :mod:`spreiding.core.errors`) is reported, not
raised, so one bad file never stops the others. Programming errors are not caught.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from spreiding.core.errors import SpreidingError
from spreiding.core.synthetic import SYNTHETIC_MARK
from spreiding.core.templates import markdown_cell, markdown_code, markdown_escape
from spreiding.inventory.deliveries import import_file
from spreiding.inventory.report import whole

SKIPPED_PREFIXES = (".", "~$")
STATUS_LABELS = {"loaded": "geladen", "unchanged": "al geladen", "refused": "geweigerd"}


def default_year(today: date, scheduled: datetime | None = None, *, timezone: str) -> int:
    """The peildatum year to handle: of the scheduled start (in ``timezone``), else ``today``'s."""
    if scheduled is not None:
        return scheduled.astimezone(ZoneInfo(timezone)).year
    return today.year


def year_folder(inbox: Path, year: int) -> Path:
    """Where the deliveries for ``year`` arrive: ``<inbox>/<year>``."""
    return inbox / str(year)


def inbox_files(folder: Path) -> list[Path]:
    """The entries delivered in ``folder`` (files and links to refuse), in name order.

    Sub-folders, hidden and lock files are skipped; none when the folder is missing.
    """
    if not folder.is_dir():
        return []
    # By stem, then suffix: 'az-2023.csv' before 'az-2023-v2.csv', so the newer version loads last.
    return sorted(
        (
            path
            for path in folder.iterdir()
            if (path.is_symlink() or path.is_file()) and not path.name.startswith(SKIPPED_PREFIXES)
        ),
        key=lambda path: (path.stem, path.suffix),
    )


def outside_reason(path: Path, folder: Path) -> str | None:
    """Why ``path`` is not a file delivered in ``folder`` (a link, elsewhere), or None."""
    if path.is_symlink():
        return "is een koppeling, geen geleverd bestand; zet het bestand zelf in de inbox"
    if path.resolve().parent != folder.resolve() or not path.is_file():
        return "ligt buiten de map van de inbox; zet het bestand zelf in de inbox"
    return None


def refused(path: Path, message: str) -> dict[str, Any]:
    """The summary entry of a refused file."""
    return {"file": path.name, "status": "refused", "message": message}


def load_delivered_file(path: Path, year: int, folder: Path | None = None) -> dict[str, Any]:
    """Load one delivered file for ``year``; a refusal is returned as its summary, not raised."""
    reason = outside_reason(path, folder or path.parent)
    if reason is not None:
        return refused(path, f"{path.name}: {reason}")
    try:
        result = import_file(path, year=year)
    except SpreidingError as exc:  # any domain refusal; a programming error is not caught
        return refused(path, str(exc))
    return result.to_json()


def loaded_text(item: dict[str, Any]) -> str:
    """One line about a file loaded (or already loaded), for the run log."""
    return (
        f"{item['file']}: {item['status']} for {item['ministry_code']} "
        f"({item['rows']} rows, {whole(item['total_fte'])} fte)"
    )


def summary_markdown(summary: dict[str, Any]) -> str:
    """The run's summary in Dutch Markdown (the markdown artifact)."""
    year = summary["year"]
    lines = [f"# Jaarlijkse inventarisatie rijkswerkgelegenheid {year}", ""]
    report = summary["report"]
    if report is None and summary.get("report_due") is False:
        lines += ["De rapportage volgt na de leverperiode.", ""]
    elif report is None:
        lines += ["Nog geen cijfers voor deze peildatum: geen rapportage geschreven.", ""]
    else:
        if report["synthetic"]:
            lines += [f"**{SYNTHETIC_MARK}**", ""]
        lines += [f"Totaal op 1 januari {year}: **{whole(report['total_fte'])} fte**.", ""]
        lines += [f"Rapportage: {markdown_code(report['dir'])}", ""]
    lines += ["## Leveringen", "", "| bestand | resultaat | ministerie | regels | fte |"]
    lines += ["|---|---|---|--:|--:|"]
    for item in summary["files"]:
        lines.append(
            f"| {markdown_cell(item['file'])} | {STATUS_LABELS[item['status']]} | "
            f"{markdown_cell(item.get('ministry_code', ''))} | {item.get('rows', '')} | "
            f"{whole(item['total_fte']) if 'total_fte' in item else ''} |"
        )
    refused_items = [item for item in summary["files"] if item["status"] == "refused"]
    if refused_items:
        lines += ["", "## Geweigerde bestanden", ""]
        lines += [f"- {markdown_cell(item['message'])}" for item in refused_items]
    missing = markdown_escape(", ".join(summary["missing"]) or "geen")
    queued = markdown_escape(", ".join(summary["reminders_queued"]) or "geen")
    lines += ["", f"Nog niet geleverd: {missing}. Nieuwe herinneringen: {queued}.", ""]
    return "\n".join(lines)
