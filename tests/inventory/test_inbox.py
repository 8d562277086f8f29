"""The inbox of the annual inventory: which files count, in what order, and what is refused."""

from __future__ import annotations

import re
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


def test_links_and_entries_outside_the_folder_are_refused_unread(tmp_path):
    from spreiding.inventory.inbox import load_delivered_file, outside_reason

    folder = tmp_path / "2023"
    folder.mkdir()
    elsewhere = tmp_path / "passwd"
    elsewhere.write_text("root:x:0:0:GEHEIM\n", encoding="utf-8")
    (folder / "az-2023.csv").symlink_to(elsewhere)
    (folder / "dangling.csv").symlink_to(tmp_path / "gone")
    assert [p.name for p in inbox_files(folder)] == ["az-2023.csv", "dangling.csv"]
    for path in inbox_files(folder):
        assert "koppeling" in (outside_reason(path, folder) or "")
        item = load_delivered_file(path, 2023, folder)  # refused before any store is opened
        assert item["status"] == "refused" and "GEHEIM" not in item["message"]
    assert "buiten de map van de inbox" in (outside_reason(elsewhere, folder) or "")


def test_a_file_name_with_markup_cannot_break_the_run_summary() -> None:
    from spreiding.inventory.inbox import summary_markdown

    name = "fin | <img src=x onerror=alert(1)> [x](javascript:alert(1)).csv"
    summary = {
        "year": 2023,
        "report": None,
        "files": [{"file": name, "status": "refused", "message": f"{name}: bad"}],
        "missing": ["FIN"],
        "reminders_queued": [],
    }
    text = summary_markdown(summary)
    row = next(line for line in text.splitlines() if line.startswith("| fin"))
    assert row.count(" | ") == 4  # five cells: the | in the name is escaped, not a column
    assert re.search(r"(?<!\\)<img", text) is None and "\\<img" in text
    assert re.search(r"(?<!\\)\]\(javascript:", text) is None  # no link from stored text
