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
    assert _signalled_cases(cli("case", "signals", "--as", "ministry:BZK", "--json")) == hidden
    # A viewer sees openbaar cases only; these are intern.
    assert _signalled_cases(cli("case", "signals", "--as", "viewer", "--json")) == set()
    assert cli("case", "show", str(signalled["soon"]), "--as", "viewer").exit_code == 2
    table = cli("case", "signals", "--as", "ministry:BZK", "--pending")
    assert table.exit_code == 0 and f"zaak {signalled['soon']} " not in table.stdout
    assert f"zaak {signalled['overdue']} " in table.stdout


def test_a_signal_goes_to_whoever_must_act_next(demo_db, mail_outage, monkeypatch):
    """The ministry's contact when the ministry must answer; BZK's handler when BZK must."""
    from sqlmodel import Session, select

    from spreiding.models.db import session_scope
    from spreiding.models.tables import Ministry, OutboxMessage
    from spreiding.statemachine.service import Actor, Context, register_case

    engine = demo_db.engine()
    with session_scope(engine) as session:
        session.get(Ministry, "FIN").contact_email = "regie@minfin.example"
    ctx = Context(("PV26", "PV27", "PV28"), get_settings().norms, date(2026, 3, 20))
    with session_scope(engine) as session:
        plan = dict(organisation="BD", case_type="groei", fte=150, location="Den Haag")
        handler = "behandelaar@minbzk.example"
        intention = register_case(
            session, ctx, Actor("Piet", "ministry:FIN"), stage="voornemen", **plan,
            handler_email=handler,
        ).id  # fmt: skip
        registered = register_case(
            session, ctx, Actor("Anna", "bzk"), **plan, handler_email=handler
        ).id
    monkeypatch.setenv("SPREIDING_TODAY", "2026-04-20")
    get_settings.cache_clear()
    case_deadline_signals.fn(date(2026, 4, 20))
    with Session(engine) as session:
        sent = {m.key.split(":")[1]: m for m in session.exec(select(OutboxMessage))}
    to_ministry, to_bzk = sent[str(intention)], sent[str(registered)]
    assert to_ministry.to_address == "regie@minfin.example"
    assert "Aan zet: het ministerie" in to_ministry.body
    assert "--as ministry:FIN" in to_ministry.body
    assert to_bzk.to_address == handler
    assert "Aan zet: BZK" in to_bzk.body


def test_the_zbo_outbox_shows_no_case_signals(cli, signalled):
    result = cli("zbo", "outbox", "--json")
    assert result.exit_code == 0 and result.json() == []
    refused = cli("zbo", "outbox", "--kind", "case-deadline")
    assert refused.exit_code == 2 and "case signals" in refused.stderr
