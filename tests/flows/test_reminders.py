"""The reminder rules and runs: zbo consultation reminders and case deadline signals.

The rules are tested as pure functions; the runs against the demo store (SQLite and
PostgreSQL) and a real SMTP server, through the plain functions the flows wrap; two tests
run the Prefect flows for real on the session's Prefect test server.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select
from sqlmodel import Session

from spreiding.core.errors import InvalidInput, NotFound
from spreiding.flows import reminders
from spreiding.flows.reminders import (
    deadline_stage,
    queue_zbo_reminders,
    run_case_signals,
    run_zbo_reminders,
)
from spreiding.mail.outbox import deliver_pending
from spreiding.models.db import session_scope
from spreiding.models.tables import Ministry, OutboxMessage, ZboCycle, ZboTalk
from spreiding.statemachine import rules
from spreiding.statemachine.service import Actor, Context, register_case, send_event
from spreiding.zbo import consultations as zbo
from spreiding.zbo.consultations import Stage

SZW_CONTACT = "zbo-contact@minszw.nl"
BZK = "spreiding@minbzk.nl"
FIRST_SEEN = date(2026, 1, 5)
DUE = date(2026, 6, 1)


# -- pure rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 5, 20), 12, date(2027, 5, 20)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 6, 1), -6, date(2025, 12, 1)),
        (date(2026, 12, 15), 60, date(2031, 12, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start, months, expected):
    assert zbo.add_months(start, months) == expected


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (date(2026, 5, 1), None),
        (date(2026, 5, 2), Stage.VOORAF),  # 30 days before 1 June
        (date(2026, 5, 31), Stage.VOORAF),
        (date(2026, 6, 1), Stage.OP_DATUM),
        (date(2026, 6, 14), Stage.OP_DATUM),
        (date(2026, 6, 15), Stage.NA_TERMIJN),  # 14 days after
        (date(2027, 3, 1), Stage.NA_TERMIJN),
    ],
)
def test_the_latest_stage_reached_is_the_one_due(today, stage):
    assert zbo.due_stage(today, DUE) is stage


def test_a_zbo_first_seen_is_due_one_cycle_later():
    assert zbo.first_due(date(2026, 1, 5)) == date(2027, 1, 5)
    assert zbo.first_due(date(2026, 1, 31), 1) == date(2026, 2, 28)
    with pytest.raises(InvalidInput, match="1 to 60 months, got 61"):
        zbo.first_due(date(2026, 1, 5), 61)


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


def test_reminder_text_names_zbo_ministry_due_date_and_circular():
    subject, body = zbo.reminder_text(
        Stage.VOORAF,
        zbo="Sociale Verzekeringsbank",
        ministry="Ministerie van Sociale Zaken en Werkgelegenheid",
        due=DUE,
        today=date(2026, 5, 2),
        cycle_months=12,
        to_bzk_instead=False,
    )
    assert (
        subject
        == "Herinnering: gesprek over de locatie van Sociale Verzekeringsbank vóór 1 juni 2026"
    )
    for part in (
        "Aan het Ministerie van Sociale Zaken en Werkgelegenheid",
        "uiterlijk 1 juni 2026 gevoerd zijn, over 30 dagen",
        'circulaire "Governance ten aanzien van zbo\'s"',
        "Gesprekscyclus: elke 12 maanden",
    ):
        assert part in body
    assert "contactadres" not in body


def test_the_last_reminder_says_so_and_the_fallback_explains_itself():
    _, body = zbo.reminder_text(
        Stage.NA_TERMIJN,
        zbo="Kadaster",
        ministry="Ministerie van BZK",
        due=DUE,
        today=date(2026, 6, 15),
        cycle_months=12,
        to_bzk_instead=True,
    )
    assert "was 1 juni 2026, 14 dagen geleden" in body
    assert "laatste herinnering" in body
    assert "geen contactadres bekend" in body


# -- zbo reminders in the store --------------------------------------------------------------


@pytest.fixture
def zbos(demo_db, mail_server):
    """The demo zbo's, first seen on FIRST_SEEN; SZW has a contact; SVB is due on DUE."""
    engine = demo_db.engine()
    with session_scope(engine) as session:
        session.get(Ministry, "SZW").contact_email = SZW_CONTACT
        assert queue_zbo_reminders(session, FIRST_SEEN) == []  # a year ahead: nothing yet
        zbo.set_cycle(session, "SVB", months=12, today=FIRST_SEEN, next_due=DUE)
    return engine


def cycles(engine) -> dict[int, ZboCycle]:
    with Session(engine) as session:
        return {c.organisation_id: c for c in session.scalars(select(ZboCycle))}


def test_every_zbo_gets_a_cycle_when_first_seen(demo_db):
    engine = demo_db.engine()
    with session_scope(engine) as session:
        states = zbo.zbo_states(session, FIRST_SEEN)
    assert sorted(s.organisation.code for s in states) == ["CAK", "CBS", "KAD", "RDW", "SVB", "UWV"]
    assert {(c.cycle_months, c.next_due) for c in cycles(engine).values()} == {
        (12, date(2027, 1, 5))
    }
    with session_scope(engine) as session:  # seen again later: unchanged
        zbo.zbo_states(session, date(2026, 3, 1))
    assert {c.next_due for c in cycles(engine).values()} == {date(2027, 1, 5)}


def test_three_reminders_on_their_dates_each_once(zbos, mail_server):
    sent_on = {}
    for day in (
        date(2026, 5, 1),
        date(2026, 5, 2),
        date(2026, 5, 2),
        date(2026, 5, 20),
        date(2026, 6, 1),
        date(2026, 6, 14),
        date(2026, 6, 15),
        date(2026, 6, 15),
        date(2026, 8, 1),
    ):
        before = len(mail_server.received)
        result = run_zbo_reminders(day, engine=zbos)
        assert result["error"] is None and result["pending"] == 0
        sent_on.setdefault(day, []).extend(mail_server.received[before:])
    assert {day: len(mails) for day, mails in sent_on.items() if mails} == {
        date(2026, 5, 2): 1,
        date(2026, 6, 1): 1,
        date(2026, 6, 15): 1,
    }
    assert [m.subject.split(":")[0] for m in mail_server.received] == [
        "Herinnering",
        "Uiterste datum",
        "Achterstand",
    ]
    assert {m.to for m in mail_server.received} == {SZW_CONTACT}
    assert "Vandaag, 1 juni 2026, is de uiterste datum" in mail_server.received[1].body


def test_a_missed_run_sends_only_the_latest_stage(zbos, mail_server):
    result = run_zbo_reminders(date(2026, 6, 20), engine=zbos)
    assert result["queued_keys"] == ["zbo:SVB:2026-06-01:na-termijn"]
    (mail,) = mail_server.received
    assert "was 1 juni 2026, 19 dagen geleden" in mail.body


def test_monthly_runs_send_the_stage_reached_and_skip_an_overtaken_one(zbos, mail_server):
    with session_scope(zbos) as session:
        zbo.set_cycle(session, "SVB", months=12, today=FIRST_SEEN, next_due=date(2026, 6, 10))
    keys = []
    for first_of_month in (date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1)):
        keys += run_zbo_reminders(first_of_month, engine=zbos)["queued_keys"]
    assert keys == ["zbo:SVB:2026-06-10:vooraf", "zbo:SVB:2026-06-10:na-termijn"]
    assert "over 9 dagen" in mail_server.received[0].body


def test_recording_a_talk_stops_the_reminders_and_moves_the_next_due_date(zbos, mail_server):
    run_zbo_reminders(date(2026, 5, 2), engine=zbos)
    with session_scope(zbos) as session:
        talk, cycle = zbo.record_talk(
            session,
            "Sociale Verzekeringsbank",
            held_on=date(2026, 5, 20),
            discussed=True,
            outcome="Uitbreiding in Groningen wordt onderzocht",
            actor="Ans de Vries",
            today=date(2026, 5, 21),
        )
    assert (talk.for_due, cycle.next_due) == (DUE, date(2027, 5, 20))
    later = []
    for day in (date(2026, 6, 1), date(2026, 6, 15), date(2027, 3, 1), date(2027, 4, 20)):
        later += [k for k in run_zbo_reminders(day, engine=zbos)["queued_keys"] if ":SVB:" in k]
    assert later == ["zbo:SVB:2027-05-20:vooraf"]  # only the next cycle reminds again


def test_talks_are_recorded_for_zbos_in_order_and_not_ahead(zbos):
    def record(org, held_on, today=date(2026, 6, 1)):
        with session_scope(zbos) as session:
            zbo.record_talk(
                session, org, held_on=held_on, discussed=False, outcome=None, actor="X", today=today
            )

    with pytest.raises(InvalidInput, match="after today"):
        record("SVB", date(2026, 6, 2))
    with pytest.raises(InvalidInput, match="is not a zbo"):
        record("BD", date(2026, 5, 1))
    with pytest.raises(NotFound):
        record("Bestaat niet", date(2026, 5, 1))
    record("SVB", date(2026, 5, 1))
    with pytest.raises(InvalidInput, match="recorded in order"):
        record("SVB", date(2026, 4, 1))
    with Session(zbos) as session:
        (talk,) = session.scalars(select(ZboTalk))
    assert (talk.spreading_discussed, talk.outcome, talk.recorded_by) == (False, None, "X")


def test_changing_the_cycle_moves_the_next_due_date(zbos):
    with session_scope(zbos) as session:
        assert zbo.set_cycle(session, "UWV", months=6, today=FIRST_SEEN).next_due == date(
            2026, 7, 5
        )  # first seen 5 Jan 2026, no talk yet: 6 months on
        zbo.record_talk(
            session,
            "UWV",
            held_on=date(2026, 3, 10),
            discussed=True,
            outcome=None,
            actor="X",
            today=date(2026, 3, 10),
        )
        assert zbo.set_cycle(session, "UWV", months=24, today=FIRST_SEEN).next_due == date(
            2028, 3, 10
        )  # from the last talk
        with pytest.raises(InvalidInput, match="1 to 60 months"):
            zbo.set_cycle(session, "UWV", months=0, today=FIRST_SEEN)


def test_without_a_ministry_contact_bzk_receives_the_reminder(zbos, mail_server):
    with session_scope(zbos) as session:
        zbo.set_cycle(session, "KAD", months=12, today=FIRST_SEEN, next_due=DUE)
    run_zbo_reminders(date(2026, 5, 2), engine=zbos)
    by_zbo = {m.message["X-Spreiding-Key"].split(":")[1]: m for m in mail_server.received}
    assert by_zbo["SVB"].to == SZW_CONTACT
    assert by_zbo["KAD"].to == BZK
    assert "Voor het Ministerie van Binnenlandse Zaken" in by_zbo["KAD"].body
    assert "geen contactadres bekend" in by_zbo["KAD"].body


def test_a_crash_between_deciding_and_delivering_loses_nothing(zbos, mail_server, monkeypatch):
    def killed(*_args, **_kwargs):
        raise SystemExit("the worker was killed")

    with monkeypatch.context() as patch:
        patch.setattr(reminders, "deliver_pending", killed)
        with pytest.raises(SystemExit):
            run_zbo_reminders(date(2026, 5, 2), engine=zbos)
    assert mail_server.received == []
    result = run_zbo_reminders(date(2026, 5, 3), engine=zbos)  # the next run
    assert (result["queued"], result["sent"]) == (0, 1)
    assert len(mail_server.received) == 1


def test_a_crash_while_deciding_writes_nothing(zbos, mail_server, monkeypatch):
    with session_scope(zbos) as session:
        zbo.set_cycle(session, "KAD", months=12, today=FIRST_SEEN, next_due=DUE)
    calls = []

    def enqueue_then_fail(session, **message):
        calls.append(message["key"])
        if len(calls) == 2:
            raise RuntimeError("database connection lost")
        return reminders_enqueue(session, **message)

    reminders_enqueue = reminders.enqueue
    with monkeypatch.context() as patch:
        patch.setattr(reminders, "enqueue", enqueue_then_fail)
        with pytest.raises(RuntimeError):
            run_zbo_reminders(date(2026, 5, 2), engine=zbos)
    with Session(zbos) as session:
        assert session.scalars(select(OutboxMessage)).all() == []
    assert run_zbo_reminders(date(2026, 5, 2), engine=zbos)["sent"] == 2


def test_an_outage_keeps_the_reminder_and_the_daily_run_delivers_it(zbos, mail_server):
    mail_server.stop()
    result = run_zbo_reminders(date(2026, 5, 2), engine=zbos)
    assert (result["queued"], result["sent"], result["pending"]) == (1, 0, 1)
    assert "cannot connect" in result["error"]
    with Session(zbos) as session:
        (message,) = session.scalars(select(OutboxMessage))
    assert message.attempts == 1 and "Connection" in message.last_error
    mail_server.start()
    # The next morning's case deadline run delivers whatever is pending, zbo reminders too.
    result = run_case_signals(date(2026, 5, 4), engine=zbos)
    assert (result["sent"], result["pending"]) == (1, 0)
    assert run_zbo_reminders(date(2026, 5, 5), engine=zbos)["sent"] == 0
    assert len(mail_server.received) == 1


def test_a_reminder_that_waited_out_an_outage_is_not_sent_once_a_talk_is_recorded(
    zbos, mail_server
):
    mail_server.stop()
    assert run_zbo_reminders(date(2026, 5, 2), engine=zbos)["pending"] == 1
    with session_scope(zbos) as session:
        zbo.record_talk(
            session,
            "SVB",
            held_on=date(2026, 5, 20),
            discussed=True,
            outcome=None,
            actor="Ans de Vries",
            today=date(2026, 5, 21),
        )
    mail_server.start()
    result = run_case_signals(date(2026, 5, 21), engine=zbos)
    assert (result["sent"], result["pending"]) == (0, 0)
    assert mail_server.received == []
    with Session(zbos) as session:
        (message,) = session.scalars(select(OutboxMessage))
    assert message.sent_at is None and message.cancelled_at is not None


def test_after_an_outage_only_the_stage_that_is_true_now_is_sent(zbos, mail_server):
    mail_server.stop()
    run_zbo_reminders(date(2026, 5, 2), engine=zbos)  # "30 days before", not delivered
    run_zbo_reminders(date(2026, 6, 1), engine=zbos)  # "on the due date", not delivered
    mail_server.start()
    result = run_zbo_reminders(date(2026, 6, 2), engine=zbos)
    assert result["sent"] == 1
    (mail,) = mail_server.received
    assert mail.subject.startswith("Uiterste datum")


# -- case deadline signals -------------------------------------------------------------------


def _ctx(today: date) -> Context:
    from spreiding.core.settings import get_settings

    settings = get_settings()
    return Context(settings.randstad, settings.norms, today)


@pytest.fixture
def cases(demo_db, mail_server) -> dict[str, int]:
    """Cases whose deadlines fall around Monday 20 April 2026 (norm Aangemeld: 5 days)."""
    engine = demo_db.engine()
    bzk = Actor("Behandelaar", "bzk")

    def register(day: date, handler: str | None, **extra) -> int:
        with session_scope(engine) as session:
            case = register_case(
                session,
                _ctx(day),
                bzk,
                organisation="BD",
                case_type="groei",
                fte=150,
                location="Den Haag",
                handler_email=handler,
                **extra,
            )
            return case.id

    def send(case_id: int, day: date, event: str) -> None:
        with session_scope(engine) as session:
            send_event(session, _ctx(day), bzk, case_id, event, rules.example_payload(event))

    ids = {
        "overdue": register(date(2026, 4, 10), "piet@minbzk.nl", title="Uitbreiding Den Haag"),
        "due_today": register(date(2026, 4, 13), None),
        "soon": register(
            date(2026, 4, 20), "ans@minbzk.nl", confidentiality="vertrouwelijk", title="Geheim plan"
        ),
        "later": register(date(2026, 4, 20), "ans@minbzk.nl"),
        "suspended": register(date(2026, 4, 6), "ans@minbzk.nl"),
        "withdrawn": register(date(2026, 4, 6), "ans@minbzk.nl"),
    }
    send(ids["later"], date(2026, 4, 20), "start_screening")  # 10 working days from now
    send(ids["suspended"], date(2026, 4, 8), "suspend")
    send(ids["withdrawn"], date(2026, 4, 8), "withdraw")
    return ids


def test_deadline_signals_for_due_soon_and_overdue_cases_only(cases, mail_server):
    result = run_case_signals(date(2026, 4, 20))
    assert result["error"] is None
    keys = sorted(result["queued_keys"])
    assert keys == sorted(
        [
            f"case:{cases['overdue']}:2026-04-17:verlopen",
            f"case:{cases['due_today']}:2026-04-20:binnenkort",
            f"case:{cases['soon']}:2026-04-28:binnenkort",
        ]
    )
    by_case = {int(m.message["X-Spreiding-Key"].split(":")[1]): m for m in mail_server.received}
    overdue = by_case[cases["overdue"]]
    assert overdue.to == "piet@minbzk.nl"
    assert overdue.subject == (
        f"Termijn verlopen: zaak {cases['overdue']} (Belastingdienst), 17 april 2026"
    )
    for part in (
        "is op 17 april 2026 verlopen, 1 werkdag(en) geleden",
        f"Zaak: {cases['overdue']} (Uitbreiding Den Haag)",
        "Organisatie: Belastingdienst (ministerie FIN)",
        "Toestand: Aangemeld",
        "Termijn: 17 april 2026",
    ):
        assert part in overdue.body
    today = by_case[cases["due_today"]]
    assert today.to == BZK and "geen behandelaar vastgelegd" in today.body
    assert "verloopt op 20 april 2026: vandaag" in today.body
    soon = by_case[cases["soon"]]
    assert "over 5 werkdag(en)" in soon.body and "Geheim plan" not in soon.body


def test_each_signal_once_per_due_date_and_stage(cases, mail_server):
    assert run_case_signals(date(2026, 4, 20))["sent"] == 3
    assert run_case_signals(date(2026, 4, 20))["queued"] == 0
    keys = run_case_signals(date(2026, 4, 21))["queued_keys"]
    assert keys == [f"case:{cases['due_today']}:2026-04-20:verlopen"]  # it became overdue
    assert len(mail_server.received) == 4


# -- the Prefect flows, for real -------------------------------------------------------------


def _artifact_markdown(key: str) -> str:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        (artifact,) = client.read_latest_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key]))
        )
    return artifact.data


def test_zbo_flow_runs_twice_and_mails_once(prefect_harness, zbos, mail_server):
    from spreiding.flows import load_flow

    flow = load_flow("zbo-consultation-reminders")
    first = flow(today=date(2026, 5, 2))
    second = flow(today=date(2026, 5, 2))
    assert first["queued_keys"] == ["zbo:SVB:2026-06-01:vooraf"]
    assert (first["sent"], first["pending"], first["error"]) == (1, 0, None)
    assert (second["queued"], second["sent"]) == (0, 0)
    (mail,) = mail_server.received
    assert mail.to == SZW_CONTACT and "Sociale Verzekeringsbank" in mail.subject
    markdown = _artifact_markdown("zbo-consultation-reminders")
    assert "Geen nieuwe herinneringen" in markdown  # the latest run's summary


def test_case_flow_runs_for_real(prefect_harness, cases, mail_server, monkeypatch):
    from spreiding.core.settings import get_settings
    from spreiding.flows import load_flow

    monkeypatch.setenv("SPREIDING_TODAY", "2026-04-20")  # the flow's default date
    get_settings.cache_clear()
    result = load_flow("case-deadline-signals")()
    assert result["date"] == "2026-04-20"
    assert (result["queued"], result["sent"], result["error"]) == (3, 3, None)
    assert len(mail_server.received) == 3
    markdown = _artifact_markdown("case-deadline-signals")
    assert f"zaak {cases['overdue']} | verlopen | 17 april 2026 | piet@minbzk.nl" in markdown
    assert "3 verstuurd, 0 mislukt, 0 nog in de wachtrij" in markdown
    assert deliver_pending().sent == 0


# -- the zbo commands ------------------------------------------------------------------------


@pytest.fixture
def zbo_cli(demo_db, cli, monkeypatch):
    """``spreiding zbo ...`` through the real entry point (the ``cli`` fixture)."""
    monkeypatch.setenv("SPREIDING_TODAY", "2026-01-05")

    def run(*args: str):
        return cli("zbo", *args)

    return run


def test_zbo_list_shows_every_zbo_with_its_cycle(zbo_cli):
    result = zbo_cli("list", "--json")
    assert result.exit_code == 0, result.stderr
    rows = {r["code"]: r for r in json.loads(result.stdout)}
    assert sorted(rows) == ["CAK", "CBS", "KAD", "RDW", "SVB", "UWV"]
    assert rows["SVB"] == {
        "code": "SVB",
        "name": "Sociale Verzekeringsbank",
        "ministry_code": "SZW",
        "ministry": "Ministerie van Sociale Zaken en Werkgelegenheid",
        "contact_email": None,
        "cycle_months": 12,
        "next_due": "2027-01-05",
        "overdue": False,
        "stage": None,
        "last_talk": None,
    }
    table = zbo_cli("list")
    assert table.exit_code == 0 and "Sociale Verzekeringsbank (SVB)" in table.stdout


def test_zbo_record_cycle_and_show(zbo_cli, monkeypatch):
    monkeypatch.setenv("SPREIDING_TODAY", "2026-05-21")
    result = zbo_cli(
        "record",
        "SVB",
        "--held-on",
        "2026-05-20",
        "--discussed",
        "--outcome",
        "Opties in Groningen en Heerlen",
        "--actor",
        "Ans de Vries",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "zbo": "SVB",
        "held_on": "2026-05-20",
        "for_due": "2027-05-21",  # first seen today: due one cycle on, now fulfilled
        "spreading_discussed": True,
        "outcome": "Opties in Groningen en Heerlen",
        "recorded_by": "Ans de Vries",
        "next_due": "2027-05-20",
    }
    cycle = zbo_cli("cycle", "SVB", "--months", "6", "--json")
    assert cycle.exit_code == 0, cycle.stderr
    assert (json.loads(cycle.stdout)["cycle_months"], json.loads(cycle.stdout)["next_due"]) == (
        6,
        "2026-11-20",
    )
    shown = zbo_cli("show", "Sociale Verzekeringsbank", "--json")
    assert [t["held_on"] for t in json.loads(shown.stdout)["talks"]] == ["2026-05-20"]
    text = zbo_cli("show", "SVB")
    assert "Opties in Groningen en Heerlen" in text.stdout and "Ans de Vries" in text.stdout


def test_zbo_commands_refuse_unclear_input(zbo_cli):
    missing = zbo_cli("record", "SVB", "--held-on", "2026-01-02", "--actor", "A")
    assert missing.exit_code == 2 and "--discussed or --not-discussed" in missing.error
    bad_date = zbo_cli("record", "SVB", "--held-on", "2 januari", "--discussed", "--actor", "A")
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.error
    not_zbo = zbo_cli("cycle", "BD", "--months", "6")
    assert not_zbo.exit_code == 2 and "is not a zbo" in not_zbo.error


def test_zbo_outbox_shows_what_waits_and_why(zbo_cli, mail_outage, monkeypatch):
    with session_scope() as session:
        zbo.zbo_states(session, FIRST_SEEN)
        zbo.set_cycle(session, "SVB", months=12, today=FIRST_SEEN, next_due=DUE)
    run_zbo_reminders(date(2026, 5, 2))
    result = zbo_cli("outbox", "--pending", "--json")
    (row,) = json.loads(result.stdout)
    assert (row["key"], row["to"], row["sent_at"], row["attempts"]) == (
        "zbo:SVB:2026-06-01:vooraf",
        BZK,
        None,
        1,
    )
    assert "ConnectionRefusedError" in row["last_error"]
    table = zbo_cli("outbox")
    assert "wacht" in table.stdout and "zbo-reminder" in table.stdout
