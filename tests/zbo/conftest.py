"""Shared fixtures of the zbo tests: the demo zbo's with SVB due on :data:`DUE`."""

from __future__ import annotations

from datetime import date

import pytest

from spreiding.models.db import session_scope
from spreiding.models.tables import Ministry
from spreiding.zbo import consultations as zbo
from spreiding.zbo.reminders import queue_zbo_reminders

SZW_CONTACT = "zbo-contact@minszw.nl"
BZK = "spreiding@minbzk.nl"
FIRST_SEEN = date(2026, 1, 5)
DUE = date(2026, 6, 1)


@pytest.fixture
def zbos(demo_db, mail_server):
    """The demo zbo's, first seen on FIRST_SEEN; SZW has a contact; SVB is due on DUE."""
    engine = demo_db.engine()
    with session_scope(engine) as session:
        session.get(Ministry, "SZW").contact_email = SZW_CONTACT
        assert queue_zbo_reminders(session, FIRST_SEEN) == []  # a year ahead: nothing yet
        zbo.set_cycle(session, "SVB", months=12, today=FIRST_SEEN, next_due=DUE)
    return engine
