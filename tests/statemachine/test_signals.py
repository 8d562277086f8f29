"""Case deadline signals: the stage rule, and who may see which signal.

A signal about a vertrouwelijk case is shown only to the roles that may see the case in
``case show`` (BZK, the MR and its own ministry); ``zbo outbox`` shows no signals at all.
"""

from __future__ import annotations

from datetime import date

import pytest

from spreiding.core.settings import get_settings
from spreiding.flows.reminders import case_deadline_signals
from spreiding.statemachine.signals import deadline_stage


@pytest.mark.parametrize(
    ("due", "stage"),
    [
        (date(2026, 4, 17), "verlopen"),
        (date(2026, 4, 20), "binnenkort"),  # due today
        (date(2026, 4, 24), "binnenkort"),
        (date(2026, 4, 28), "binnenkort"),  # 5 working days: Koningsdag (27 April) skipped
        (date(2026, 4, 29), None),
    ],
)
def test_deadline_stage_counts_working_days(due, stage):
    assert deadline_stage(date(2026, 4, 20), due) == stage


@pytest.fixture
def signalled(cases, mail_outage, monkeypatch):
    """The signals of Monday 20 April 2026, waiting in the outbox (the mail server is down)."""
    monkeypatch.setenv("SPREIDING_TODAY", "2026-04-20")
    get_settings.cache_clear()
    assert case_deadline_signals.fn(date(2026, 4, 20))["pending"] == 3
    return cases


def _signalled_cases(result) -> set[int]:
    assert result.exit_code == 0, result.stderr
    return {int(row["key"].split(":")[1]) for row in result.json()}


def test_a_signal_is_shown_only_to_the_roles_that_may_see_its_case(cli, signalled):
    every = {signalled["overdue"], signalled["due_today"], signalled["soon"]}
    assert _signalled_cases(cli("case", "signals", "--as", "bzk", "--json")) == every
    assert _signalled_cases(cli("case", "signals", "--as", "ministry:FIN", "--json")) == every
    hidden = every - {signalled["soon"]}  # vertrouwelijk: not for others, as in `case show`
    assert _signalled_cases(cli("case", "signals", "--as", "viewer", "--json")) == hidden
    assert _signalled_cases(cli("case", "signals", "--as", "ministry:BZK", "--json")) == hidden
    assert cli("case", "show", str(signalled["soon"]), "--as", "viewer").exit_code == 2
    table = cli("case", "signals", "--as", "viewer", "--pending")
    assert table.exit_code == 0 and f"zaak {signalled['soon']} " not in table.stdout
    assert f"zaak {signalled['overdue']} " in table.stdout


def test_the_zbo_outbox_shows_no_case_signals(cli, signalled):
    result = cli("zbo", "outbox", "--json")
    assert result.exit_code == 0 and result.json() == []
    refused = cli("zbo", "outbox", "--kind", "case-deadline")
    assert refused.exit_code == 2 and "case signals" in refused.stderr
