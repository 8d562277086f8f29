"""Dutch numbers, percentages and dates: one format and one rounding rule for every reader."""

from __future__ import annotations

import math
from datetime import date

import pytest

from spreiding.core.dutch import date_text, half_up, number, percentage, points, signed, whole


def test_thousands_dots_and_a_decimal_comma() -> None:
    assert number(336_270) == "336.270"
    assert number(1234.5, 1) == "1.234,5"
    assert number(-1_000_000) == "-1.000.000"
    assert whole(None) == "" and percentage(None) == "" and points(None) == ""


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (0.5, 0, "1"),
        (1.5, 0, "2"),
        (2.5, 0, "3"),  # Python's round(2.5) is 2
        (-0.5, 0, "-1"),
        (2.675, 2, "2,68"),  # format(2.675, ".2f") is 2.67: the binary fraction is below
        (329_750.5, 0, "329.751"),
        (-0.3, 0, "0"),  # never "-0"
        (-0.04, 1, "0,0"),
    ],
)
def test_one_rounding_rule_half_away_from_zero_on_the_number_as_written(
    value: float, decimals: int, text: str
) -> None:
    assert number(value, decimals) == text


def test_half_up_is_the_same_rule_for_whole_numbers() -> None:
    assert [half_up(v) for v in (0.5, 1.5, 2.5, -2.5, 2.4999)] == [1, 2, 3, -3, 2]


def test_signed_changes() -> None:
    assert signed(14_873.6) == "+14.874"
    assert signed(-312.4) == "-312"
    assert signed(0.2) == "0"


def test_percentages_round_once_on_the_percentage() -> None:
    assert percentage(0.5966) == "59,7%"
    assert percentage(0.0435) == "4,4%"  # 0.0435 * 100 is 4.3499999... in binary
    assert percentage(0.046, sign=True) == "+4,6%"
    assert percentage(0.42, 0) == "42%"
    assert points(0.0021) == "+0,2 procentpunt"
    assert points(0.0) == "0,0 procentpunt"


def test_a_non_finite_number_is_refused_not_written() -> None:
    for value in (math.inf, math.nan):
        with pytest.raises(ValueError):
            number(value)


def test_dates_as_dutch_text() -> None:
    assert date_text(date(2026, 5, 12)) == "12 mei 2026"
