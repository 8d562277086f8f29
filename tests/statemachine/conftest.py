"""Shared fixtures of the lifecycle tests: an own data folder (the audit key) for every test,
and cases with deadlines around 20 April 2026."""

from __future__ import annotations

from datetime import date

import pytest

from spreiding.core.settings import get_settings
from spreiding.models.db import session_scope
from spreiding.statemachine import rules
from spreiding.statemachine.service import Actor, Context, register_case, send_event


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SPREIDING_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


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
