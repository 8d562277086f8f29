"""Working days and terms by the Dutch Algemene termijnenwet (Atw), for case deadlines.

Which days are not working days: Saturday, Sunday and the "algemeen erkende feestdagen" of
Atw article 3: Nieuwjaarsdag, Goede Vrijdag (lid 2), Tweede Paasdag, Koningsdag (the day the
King's birthday is celebrated: 27 April, or Saturday 26 April when the 27th is a Sunday),
5 mei (Bevrijdingsdag, **every** year), Hemelvaartsdag, Tweede Pinksterdag and both
Kerstdagen. Eerste Paas- and Pinksterdag are Sundays anyway.

The dates come from the ``holidays`` package (``country_holidays("NL")``), not from a list
of our own. Its ``public`` category holds all of the above except that it has 5 May only in
lustrum years (2025, 2030, ...: the day off in many collective agreements); its ``optional``
category has 5 May every year. We use ``public`` together with ``optional``, which gives the
Atw set exactly; the tests pin this for 2026.

Not included: the extra days the government equates with a holiday by decree every three
years (Atw art. 3 lid 3, e.g. the Friday after Ascension Day). A deadline computed here can
therefore fall one such day earlier than the strictest reading.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

from spreiding.core.errors import InvalidInput

_ATW_CATEGORIES = ("public", "optional")


@lru_cache(maxsize=64)
def holidays_in(year: int) -> Mapping[date, str]:
    """The Atw holidays of ``year`` with their Dutch names (read-only: it is cached)."""
    # Imported here, not at the top: `holidays` (with dateutil) costs a command such as
    # `case list` a tenth of its start-up, and only a deadline computation needs it.
    import holidays

    found = holidays.country_holidays("NL", years=year, categories=_ATW_CATEGORIES, language="nl")
    return MappingProxyType(dict(sorted(found.items())))


def holiday_name(d: date) -> str | None:
    """The Dutch name of the Atw holiday on ``d``, or None."""
    return holidays_in(d.year).get(d)


def is_working_day(d: date) -> bool:
    """Whether ``d`` is neither a Saturday, a Sunday nor an Atw holiday."""
    return d.weekday() < 5 and d not in holidays_in(d.year)


def next_working_day(d: date) -> date:
    """``d`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


def add_working_days(start: date, n: int) -> date:
    """The date ``n`` working days after ``start`` (``start`` itself is not counted)."""
    if n < 0:
        raise InvalidInput(f"Een aantal werkdagen is 0 of meer, niet {n}")
    d = start
    while n:
        d += timedelta(days=1)
        if is_working_day(d):
            n -= 1
    return d


def add_weeks_term(start: date, weeks: int) -> date:
    """The end of a term of ``weeks`` weeks from ``start``, extended as Atw article 1 says.

    A term ending on a Saturday, Sunday or holiday runs on to the next working day. (Atw
    article 2, at least two working days in a term, never bites for whole weeks.)
    """
    if weeks < 0:
        raise InvalidInput(f"Een termijn in weken is 0 of meer, niet {weeks}")
    return next_working_day(start + timedelta(weeks=weeks))


def working_days_between(a: date, b: date) -> int:
    """The working days after ``a`` up to and including ``b``; negative when ``b`` < ``a``.

    ``working_days_between(a, add_working_days(a, n)) == n`` for every ``n >= 0``.
    """
    if b < a:
        return -working_days_between(b, a)
    return sum(is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


def due_date(started: date, norm_days: int, suspended_days: int = 0) -> date:
    """The deadline of a case: ``norm_days`` working days after ``started``.

    Time spent suspended does not count against the norm: ``suspended_days`` is the number
    of *working* days the case was suspended (e.g. ``working_days_between(suspended_on,
    resumed_on)``), and the deadline moves by exactly that many working days. Working days,
    not calendar days, so a suspension over Christmas costs the case no more than the
    working days it really lost.
    """
    if norm_days < 0 or suspended_days < 0:
        raise InvalidInput(
            f"De norm en de opgeschorte dagen zijn 0 of meer, niet {norm_days} en {suspended_days}"
        )
    return add_working_days(started, norm_days + suspended_days)
