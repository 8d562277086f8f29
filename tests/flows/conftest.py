"""Shared fixtures of the flow tests: the domains' stores, and running a flow on a given day."""

from __future__ import annotations

from datetime import date

import pytest

from spreiding.core.settings import get_settings
from spreiding.flows.reminders import case_deadline_signals, zbo_consultation_reminders
from tests.opportunities.conftest import write_csv  # noqa: F401
from tests.statemachine.conftest import cases  # noqa: F401
from tests.zbo.conftest import zbos  # noqa: F401


class Days:
    """Run a reminder flow's steps (``flow.fn``) on a day: the flow's and delivery's today."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch

    def on(self, day: date) -> None:
        """Make ``day`` today for the settings (``SPREIDING_TODAY``)."""
        self.monkeypatch.setenv("SPREIDING_TODAY", day.isoformat())
        get_settings.cache_clear()

    def zbo(self, day: date) -> dict:
        self.on(day)
        return zbo_consultation_reminders.fn(day)

    def cases(self, day: date) -> dict:
        self.on(day)
        return case_deadline_signals.fn(day)


@pytest.fixture
def days(monkeypatch: pytest.MonkeyPatch) -> Days:
    """Run the reminder flows on given days."""
    return Days(monkeypatch)


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory):
    """A real ``prefect server start`` for the whole session (:mod:`tests.flows.prefect_server`)."""
    from tests.flows.prefect_server import start_server

    yield from start_server(tmp_path_factory.mktemp("prefect-server"))
