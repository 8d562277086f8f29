"""The annual report with what it reads beyond the figures: the year's location cases.

The inventory's report (:mod:`spreiding.inventory.report`) does not read the lifecycle, a
sibling component; the cases of the twelve months before the report is written come from the
leidraad's evaluation (:func:`spreiding.statemachine.leidraad.evaluate`, what
``spreiding leidraad evaluate`` prints) and are passed in here. The ``annual-inventory`` flow
and ``spreiding inventory report write`` both write the report through
:func:`build_annual_report`, so they show the same cases.

This module imports no Prefect, so the command line can use it without Prefect's start-up.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from pathlib import Path

from sqlmodel import Session

from spreiding.inventory.report import (
    ReportData,
    build_report,
    case_year,
    case_year_since,
)
from spreiding.models.tables import CASE_TYPE_LABELS
from spreiding.statemachine import leidraad


def build_annual_report(
    session: Session, year: int, out: Path, randstad: Collection[str], today: date
) -> tuple[ReportData, list[Path]]:
    """Write the report for ``year`` into ``out``, with the cases registered in the last year."""
    evaluation = leidraad.evaluate(session, since=case_year_since(today), today=today)
    cases = case_year(evaluation, CASE_TYPE_LABELS)
    return build_report(session, year, out, randstad, cases=cases)
