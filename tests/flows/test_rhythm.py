"""The year's rhythm: weekly inventory runs in the delivery window, report and projection after."""

from __future__ import annotations

from datetime import date

import pytest

from spreiding.core.errors import ConfigurationError
from spreiding.core.settings import YearRhythm, get_settings
from spreiding.flows.rhythm import inventory_crons, projection_crons, report_due


def test_the_inventory_runs_weekly_through_march_and_april_then_writes_the_report():
    assert inventory_crons(YearRhythm()) == (
        "0 6 1,8,15,22,29 3 *",
        "0 6 5,12,19,26 4 *",
        "0 6 1 5 *",
    )
    assert projection_crons(YearRhythm()) == ("0 6 15 5 *",)


def test_the_report_is_written_from_the_report_day_on():
    rhythm = YearRhythm()
    assert not report_due(date(2024, 4, 29), 2024, rhythm)
    assert report_due(date(2024, 5, 1), 2024, rhythm)
    assert report_due(date(2026, 12, 1), 2023, rhythm)  # a late run for an earlier year


def test_the_dates_are_settings(monkeypatch):
    monkeypatch.setenv("SPREIDING_RHYTHM__DELIVERY_END", "05-15")
    monkeypatch.setenv("SPREIDING_RHYTHM__REPORT_DAY", "05-20")
    monkeypatch.setenv("SPREIDING_RHYTHM__PROJECTION_DAY", "06-01")
    get_settings.cache_clear()
    try:
        rhythm = get_settings().rhythm
        assert inventory_crons(rhythm)[-2:] == ("0 6 3,10 5 *", "0 6 20 5 *")
        assert projection_crons(rhythm) == ("0 6 1 6 *",)
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("DELIVERY_END", "4-30", "MM-DD"),
        ("REPORT_DAY", "04-01", "must follow each other"),
    ],
)
def test_a_bad_date_is_one_line_naming_the_setting(monkeypatch, name, value, expected):
    monkeypatch.setenv(f"SPREIDING_RHYTHM__{name}", value)
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigurationError, match=expected) as raised:
            get_settings()
        assert "SPREIDING_RHYTHM" in str(raised.value)
    finally:
        get_settings.cache_clear()
