"""The inbox of the annual inventory: which files count, in what order, and what is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

from spreiding.flows import TIMEZONE
from spreiding.inventory.inbox import default_year, inbox_files


def test_a_late_scheduled_run_handles_the_year_it_was_scheduled_for():
    today = date(2025, 1, 10)
    assert default_year(today, timezone=TIMEZONE) == 2025
    assert default_year(today, datetime(2024, 3, 1, 5, 0, tzinfo=UTC), timezone=TIMEZONE) == 2024
    # 31 December 23:30 UTC is already 1 January in Amsterdam
    assert (
        default_year(today, datetime(2024, 12, 31, 23, 30, tzinfo=UTC), timezone=TIMEZONE) == 2025
    )


def test_the_inbox_skips_hidden_and_lock_files(tmp_path):
    for name in ("b.csv", "a.xlsx", ".DS_Store", "~$a.xlsx", "notes.txt"):
        (tmp_path / name).write_text("x")
    (tmp_path / "sub").mkdir()
    assert [p.name for p in inbox_files(tmp_path)] == ["a.xlsx", "b.csv", "notes.txt"]
    assert inbox_files(tmp_path / "missing") == []


def test_a_second_version_in_the_inbox_is_loaded_after_the_first(tmp_path):
    for name in ("az-2023-v2.csv", "az-2023.csv", "bz-2023.xlsx"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in inbox_files(tmp_path)] == [
        "az-2023.csv",
        "az-2023-v2.csv",
        "bz-2023.xlsx",
    ]
