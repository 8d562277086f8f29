"""The reminder flows: zbo consultation reminders and case deadline signals, sent for real.

The runs go through the flows' own steps without Prefect (``flow.fn``) on the demo store
(SQLite and PostgreSQL) and a real SMTP server, each on its day (the ``days`` fixture sets
``SPREIDING_TODAY``, the day delivery judges a message on); two tests run the Prefect flows
for real on the session's Prefect test server.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlmodel import Session

from spreiding.flows import runs
from spreiding.mail.outbox import deliver_pending
from spreiding.models.db import session_scope
from spreiding.models.tables import OutboxMessage
from spreiding.zbo import consultations as zbo
from spreiding.zbo import reminders
from tests.zbo.conftest import BZK, DUE, FIRST_SEEN, SZW_CONTACT


def test_three_reminders_on_their_dates_each_once(days, zbos, mail_server):
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
        result = days.zbo(day)
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


def test_a_missed_run_sends_only_the_latest_stage(days, zbos, mail_server):
    result = days.zbo(date(2026, 6, 20))
    assert result["queued_keys"] == ["zbo:SVB:2026-06-01:na-termijn"]
    (mail,) = mail_server.received
    assert "was 1 juni 2026, 19 dagen geleden" in mail.body


def test_monthly_runs_send_the_stage_reached_and_skip_an_overtaken_one(days, zbos, mail_server):
    with session_scope(zbos) as session:
        zbo.set_cycle(session, "SVB", months=12, today=FIRST_SEEN, next_due=date(2026, 6, 10))
    keys = []
    for first_of_month in (date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1), date(2026, 8, 1)):
        keys += days.zbo(first_of_month)["queued_keys"]
    assert keys == ["zbo:SVB:2026-06-10:vooraf", "zbo:SVB:2026-06-10:na-termijn"]
    assert "over 9 dagen" in mail_server.received[0].body


def test_recording_a_talk_stops_the_reminders_and_moves_the_next_due_date(days, zbos, mail_server):
    days.zbo(date(2026, 5, 2))
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
        later += [k for k in days.zbo(day)["queued_keys"] if ":SVB:" in k]
    assert later == ["zbo:SVB:2027-05-20:vooraf"]  # only the next cycle reminds again


def test_without_a_ministry_contact_bzk_receives_the_reminder(days, zbos, mail_server):
    with session_scope(zbos) as session:
        zbo.set_cycle(session, "KAD", months=12, today=FIRST_SEEN, next_due=DUE)
    days.zbo(date(2026, 5, 2))
    by_zbo = {m.message["X-Spreiding-Key"].split(":")[1]: m for m in mail_server.received}
    assert by_zbo["SVB"].to == SZW_CONTACT
    assert by_zbo["KAD"].to == BZK
    assert "Voor het Ministerie van Binnenlandse Zaken" in by_zbo["KAD"].body
    assert "geen contactadres bekend" in by_zbo["KAD"].body


def test_a_crash_between_deciding_and_delivering_loses_nothing(
    days, zbos, mail_server, monkeypatch
):
    def killed(*_args, **_kwargs):
        raise SystemExit("the worker was killed")

    with monkeypatch.context() as patch:
        patch.setattr(runs, "deliver_pending", killed)
        with pytest.raises(SystemExit):
            days.zbo(date(2026, 5, 2))
    assert mail_server.received == []
    result = days.zbo(date(2026, 5, 3))  # the next run
    assert (result["queued"], result["sent"]) == (0, 1)
    assert len(mail_server.received) == 1


def test_a_crash_while_deciding_writes_nothing(days, zbos, mail_server, monkeypatch):
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
            days.zbo(date(2026, 5, 2))
    with Session(zbos) as session:
        assert session.scalars(select(OutboxMessage)).all() == []
    assert days.zbo(date(2026, 5, 2))["sent"] == 2


def test_an_outage_keeps_the_reminder_and_the_daily_run_delivers_it(days, zbos, mail_server):
    mail_server.stop()
    result = days.zbo(date(2026, 5, 2))
    assert (result["queued"], result["sent"], result["pending"]) == (1, 0, 1)
    assert "cannot connect" in result["error"]
    with Session(zbos) as session:
        (message,) = session.scalars(select(OutboxMessage))
    assert message.attempts == 1 and "Connection" in message.last_error
    mail_server.start()
    # The next morning's case deadline run delivers whatever is pending, zbo reminders too.
    result = days.cases(date(2026, 5, 4))
    assert (result["sent"], result["pending"]) == (1, 0)
    assert days.zbo(date(2026, 5, 5))["sent"] == 0
    assert len(mail_server.received) == 1


def test_a_reminder_that_waited_out_an_outage_is_not_sent_once_a_talk_is_recorded(
    days, zbos, mail_server
):
    mail_server.stop()
    assert days.zbo(date(2026, 5, 2))["pending"] == 1
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
    result = days.cases(date(2026, 5, 21))
    assert (result["sent"], result["pending"]) == (0, 0)
    assert mail_server.received == []
    with Session(zbos) as session:
        (message,) = session.scalars(select(OutboxMessage))
    assert message.sent_at is None and message.cancelled_at is not None


def test_after_an_outage_only_the_stage_that_is_true_now_is_sent(days, zbos, mail_server):
    mail_server.stop()
    days.zbo(date(2026, 5, 2))  # "30 days before", not delivered
    days.zbo(date(2026, 6, 1))  # "on the due date", not delivered
    mail_server.start()
    result = days.zbo(date(2026, 6, 2))
    assert result["sent"] == 1
    (mail,) = mail_server.received
    assert mail.subject.startswith("Uiterste datum")


def test_deadline_signals_for_due_soon_and_overdue_cases_only(days, cases, mail_server):
    result = days.cases(date(2026, 4, 20))
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


def test_each_signal_once_per_due_date_and_stage(days, cases, mail_server):
    assert days.cases(date(2026, 4, 20))["sent"] == 3
    assert days.cases(date(2026, 4, 20))["queued"] == 0
    keys = days.cases(date(2026, 4, 21))["queued_keys"]
    assert keys == [f"case:{cases['due_today']}:2026-04-20:verlopen"]  # it became overdue
    assert len(mail_server.received) == 4


def _artifact_markdown(key: str) -> str:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        (artifact,) = client.read_latest_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key]))
        )
    return artifact.data


def test_zbo_flow_runs_twice_and_mails_once(prefect_harness, zbos, mail_server, days):
    from spreiding.flows import load_flow

    days.on(date(2026, 5, 2))  # the day delivery judges the reminder on
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
    # The Prefect UI is not filtered by role: a vertrouwelijk case is counted, not named.
    assert f"zaak {cases['soon']} |" not in markdown and "ans@minbzk.nl" not in markdown
    assert "Verder 1 signaal/signalen over vertrouwelijke zaken (niet getoond)." in markdown
    assert deliver_pending().sent == 0
