"""Working days and terms by the Algemene termijnenwet."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spreiding.core.errors import InvalidInput
from spreiding.statemachine.calendar import (
    add_weeks_term,
    add_working_days,
    due_date,
    holiday_name,
    holidays_in,
    is_working_day,
    working_days_between,
)


def test_the_2026_holidays_are_exactly_those_of_the_atw() -> None:
    assert set(holidays_in(2026)) == {
        date(2026, 1, 1),  # Nieuwjaarsdag
        date(2026, 4, 3),  # Goede Vrijdag (art. 3 lid 2)
        date(2026, 4, 5),  # Eerste paasdag (a Sunday)
        date(2026, 4, 6),  # Tweede paasdag
        date(2026, 4, 27),  # Koningsdag
        date(2026, 5, 5),  # Bevrijdingsdag: every year for the Atw, not only in lustrum years
        date(2026, 5, 14),  # Hemelvaartsdag
        date(2026, 5, 24),  # Eerste pinksterdag (a Sunday)
        date(2026, 5, 25),  # Tweede pinksterdag
        date(2026, 12, 25),  # Eerste kerstdag
        date(2026, 12, 26),  # Tweede kerstdag
    }


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 4, 27), "Koningsdag"),  # a Monday
        (date(2026, 12, 25), "Eerste kerstdag"),
        (date(2026, 4, 6), "Tweede paasdag"),
        (date(2026, 5, 5), "Bevrijdingsdag"),  # a Tuesday in a non-lustrum year
        (date(2027, 5, 5), "Bevrijdingsdag"),
        (date(2026, 4, 3), "Goede vrijdag"),
        (date(2025, 4, 26), "Koningsdag"),  # 27 April 2025 was a Sunday: celebrated on the 26th
    ],
)
def test_atw_holidays_are_no_working_days(day: date, name: str) -> None:
    assert holiday_name(day) == name
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day", [date(2026, 4, 28), date(2026, 12, 24), date(2026, 12, 28), date(2025, 4, 28)]
)
def test_ordinary_weekdays_are_working_days(day: date) -> None:
    assert holiday_name(day) is None
    assert is_working_day(day)


def test_weekends_are_no_working_days() -> None:
    assert not is_working_day(date(2026, 3, 7))  # Saturday
    assert not is_working_day(date(2026, 3, 8))  # Sunday


def test_working_days_skip_easter() -> None:
    # Thursday 2 April 2026; Good Friday, the weekend and Easter Monday do not count.
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert add_working_days(date(2026, 4, 2), 0) == date(2026, 4, 2)


@pytest.mark.parametrize(
    ("start", "weeks", "end"),
    [
        (date(2026, 3, 2), 2, date(2026, 3, 16)),  # a Monday: ends on a Monday
        (date(2026, 4, 20), 1, date(2026, 4, 28)),  # would end on Koningsdag
        (date(2026, 3, 7), 1, date(2026, 3, 16)),  # would end on a Saturday
        (date(2026, 12, 18), 1, date(2026, 12, 28)),  # Christmas, then a weekend
        (date(2026, 4, 28), 1, date(2026, 5, 6)),  # would end on 5 May
    ],
)
def test_a_term_in_weeks_ending_on_a_rest_day_moves_to_the_next_working_day(
    start: date, weeks: int, end: date
) -> None:
    assert add_weeks_term(start, weeks) == end


def test_working_days_between() -> None:
    assert working_days_between(date(2026, 4, 24), date(2026, 4, 28)) == 1  # Fri..Tue
    assert working_days_between(date(2026, 4, 28), date(2026, 4, 24)) == -1
    assert working_days_between(date(2026, 1, 1), date(2026, 1, 1)) == 0
    # 2026: 261 weekdays, of which 8 are Atw holidays (26 December is a Saturday).
    assert working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 253


def test_due_date_adds_the_working_days_spent_suspended() -> None:
    started = date(2026, 3, 2)
    norm = add_working_days(started, 40)
    assert due_date(started, 40) == norm
    suspended = working_days_between(date(2026, 4, 24), date(2026, 5, 8))
    assert suspended == 8  # two weeks minus Koningsdag and 5 May
    assert due_date(started, 40, suspended) == add_working_days(norm, 8)


@pytest.mark.parametrize(
    "call",
    [
        lambda: add_working_days(date(2026, 1, 5), -1),
        lambda: add_weeks_term(date(2026, 1, 5), -1),
        lambda: due_date(date(2026, 1, 5), 10, -2),
    ],
)
def test_negative_counts_are_refused(call: object) -> None:
    with pytest.raises(InvalidInput):
        call()  # type: ignore[operator]


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    n=st.integers(min_value=0, max_value=300),
)
def test_counting_undoes_adding(start: date, n: int) -> None:
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert end >= start
    assert n == 0 or is_working_day(end)
