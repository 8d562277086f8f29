"""The year's rhythm of the yearly flows, as cron schedules made from the settings.

Ministries deliver their fte between ``SPREIDING_RHYTHM__DELIVERY_START`` and
``..._DELIVERY_END`` (default 1 March to 30 April). The inventory runs every seven days from the
first day of that window up to its last (load what arrived, remind who is missing), and once
more on ``..._REPORT_DAY`` (default 1 May), the first run that writes the report to parliament;
the projection runs on ``..._PROJECTION_DAY`` (default 15 May), on the reported figures. All
at 06:00 Europe/Amsterdam. Pure functions: no Prefect here.
"""

from __future__ import annotations

from datetime import date, timedelta

from spreiding.core.settings import YearRhythm

HOUR = 6
# A year without 29 February, so that the window's days are the same every year.
_REFERENCE_YEAR = 2025


def _day(month_day: str, year: int = _REFERENCE_YEAR) -> date:
    month, day = (int(part) for part in month_day.split("-"))
    if (month, day) == (2, 29):  # a window may name it; in other years it is 28 February
        day = 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return date(year, month, day)


def _yearly(day: date) -> str:
    return f"0 {HOUR} {day.day} {day.month} *"


def delivery_days(rhythm: YearRhythm) -> list[date]:
    """The inventory's weekly run days in the delivery window (of the reference year)."""
    day, last = _day(rhythm.delivery_start), _day(rhythm.delivery_end)
    days = []
    while day <= last:
        days.append(day)
        day += timedelta(days=7)
    return days


def inventory_crons(rhythm: YearRhythm) -> tuple[str, ...]:
    """Cron expressions: weekly through the delivery window (one per month), then report day."""
    by_month: dict[int, list[int]] = {}
    for day in delivery_days(rhythm):
        by_month.setdefault(day.month, []).append(day.day)
    weekly = [
        f"0 {HOUR} {','.join(str(d) for d in days)} {month} *" for month, days in by_month.items()
    ]
    return (*weekly, _yearly(_day(rhythm.report_day)))


def projection_crons(rhythm: YearRhythm) -> tuple[str, ...]:
    """The projection's one yearly run, after the report."""
    return (_yearly(_day(rhythm.projection_day)),)


def report_due(day: date, year: int, rhythm: YearRhythm) -> bool:
    """Whether a run on ``day`` writes the report for peildatum ``year``: from report day on."""
    return day >= _day(rhythm.report_day, year)
