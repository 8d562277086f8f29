"""Stored and user-given text is printed as text: no rich markup, no emoji, no terminal codes.

Each command that shows a name, actor, outcome or description stores a value holding what
rich would read as markup (``[/x]``, ``[/bold]``), an emoji code (``:smile:``) and an ANSI
escape (ESC ``[31m``), and must show it literally, with the escape made visible, exit 0.
"""

from __future__ import annotations

import pytest

HOSTILE = "Dienst [/x] [/bold] :smile: \x1b[31m rood"
SHOWN = "Dienst [/x] [/bold] :smile: \\x1b[31m rood"  # ESC made visible as \x1b


def assert_literal(result, shown: str = SHOWN) -> None:
    """The command succeeded and shows the hostile value exactly as stored."""
    assert result.exit_code == 0, result.stderr
    assert shown in result.stdout
    assert "\x1b" not in result.stdout and "😄" not in result.stdout


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("SPREIDING_TODAY", "2026-04-20")


def test_org_add_and_list_show_a_bracketed_name_literally(demo_db, cli):
    assert_literal(
        cli("org", "add", "--code", "DX", "--name", HOSTILE, "--ministry", "FIN",
            "--sector", "ministeries")
    )  # fmt: skip
    assert_literal(cli("org", "list", "--ministry", "FIN"))


def test_ministry_add_list_and_inventory_missing_show_the_name_literally(demo_db, cli):
    assert_literal(cli("ministry", "add", "--code", "MX", "--name", HOSTILE))
    assert_literal(cli("ministry", "list"))
    assert_literal(cli("inventory", "missing", "--year", "2023"))


def test_opportunity_add_and_list_show_theme_and_description_literally(demo_db, cli):
    args = ("--year", "2031", "--region", "Twente", "--by-kind", "gemeente", "--by", "Enschede")
    added = cli("opportunity", "add", *args, "--theme", HOSTILE, "--description", HOSTILE)
    assert_literal(added)
    assert_literal(cli("opportunity", "list", "--year", "2031"))


def test_zbo_show_shows_the_outcome_and_actor_literally(demo_db, cli, today):
    recorded = cli(
        "zbo", "record", "SVB", "--held-on", "2026-04-01", "--discussed",
        "--outcome", HOSTILE, "--actor", "[/bold] :smile:",
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.stderr
    shown = cli("zbo", "show", "SVB")
    assert_literal(shown)
    assert "[/bold] :smile:" in shown.stdout


def test_case_show_shows_an_actor_in_the_trail_literally(demo_db, cli, today):
    registered = cli(
        "case", "register", "--org", "BD", "--type", "groei", "--fte", "150",
        "--location", "Den Haag", "--as", "bzk", "--actor", HOSTILE, "--title", HOSTILE,
    )  # fmt: skip
    assert registered.exit_code == 0, registered.stderr
    assert_literal(cli("case", "show", str(registered_id(cli)), "--as", "bzk"))


def registered_id(cli) -> int:
    """The newest case's number."""
    return max(case["id"] for case in cli("case", "list", "--as", "bzk", "--json").json())


def test_control_and_bidirectional_characters_are_made_visible():
    from spreiding.cli.common import printable

    assert printable("a\x1b[31m\x9b\u202eb\tc") == "a\\x1b[31m\\x9b\\u202eb\tc"
    assert printable(None) == "" and printable("[/x] :smile:") == "[/x] :smile:"
