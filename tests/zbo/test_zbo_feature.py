"""Step definitions for features/zbo-gesprekken.feature (pytest-bdd, Dutch).

Every scenario runs on the demo store (SQLite and PostgreSQL) with a real SMTP server: a
"herinnering" in a step is an e-mail that server received. Sending the reminders is what the
flow does, through the flow's own steps without Prefect (``zbo_consultation_reminders.fn``),
on the day of the step (``SPREIDING_TODAY``: delivery judges each reminder on that day).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session

from spreiding.core.dutch import MONTHS as MONTHS_NL
from spreiding.core.settings import get_settings
from spreiding.flows.reminders import zbo_consultation_reminders
from spreiding.mail.outbox import count_pending
from spreiding.models.db import session_scope
from spreiding.models.tables import Ministry, ZboCycle
from spreiding.zbo import consultations as zbo

scenarios("../../features/zbo-gesprekken.feature")

FIRST_SEEN = date(2026, 1, 5)
"""The day the system first saw the demo zbo's (their first talk is due a year later)."""


def _datum(text: str) -> date:
    day, month, year = text.split()
    return date(int(year), MONTHS_NL.index(month) + 1, int(day))


_datum.pattern = r"\d{1,2} (?:" + "|".join(MONTHS_NL) + r") \d{4}"  # type: ignore[attr-defined]
TYPES = {"Datum": _datum}


def step(text: str) -> parsers.parse:
    return parsers.parse(text, extra_types=TYPES)


class World:
    """What the scenario has seen: the store, the mail server, the zbo and its ministry."""

    def __init__(self, engine, server, monkeypatch) -> None:
        self.engine = engine
        self.server = server
        self.monkeypatch = monkeypatch
        self.zbo: str | None = None
        self.ministry_code: str | None = None

    def mails_to(self, address: str):
        return self.server.to(address)

    def last_mail(self):
        assert self.server.received, "no reminder arrived"
        return self.server.received[-1]


@pytest.fixture(autouse=True)
def world(demo_db, mail_server, monkeypatch) -> World:
    """Every scenario: the demo store (both databases) and a running SMTP server."""
    return World(demo_db.engine(), mail_server, monkeypatch)


# -- Gegeven ---------------------------------------------------------------------------------


@given(step('de zbo "{naam}" valt onder het "{ministerie}"'))
def zbo_onder_ministerie(world: World, naam: str, ministerie: str) -> None:
    with session_scope(world.engine) as session:
        organisation = zbo.get_zbo(session, naam)
        ministry = session.get(Ministry, organisation.ministry_code)
        assert ministry.name == ministerie
        world.zbo, world.ministry_code = organisation.code, ministry.code
        zbo.zbo_states(session, FIRST_SEEN)


@given(step('dat ministerie is bereikbaar op "{adres}"'))
def ministerie_bereikbaar(world: World, adres: str) -> None:
    with session_scope(world.engine) as session:
        session.get(Ministry, world.ministry_code).contact_email = adres


@given("van het ministerie is geen contactadres bekend")
def geen_contactadres(world: World) -> None:
    with session_scope(world.engine) as session:
        session.get(Ministry, world.ministry_code).contact_email = None


@given(
    step(
        'het gesprek met de "{naam}" moet uiterlijk {dag:Datum} gevoerd zijn, '
        "met een gesprekscyclus van {maanden:d} maanden"
    )
)
def uiterste_datum(world: World, naam: str, dag: date, maanden: int) -> None:
    with session_scope(world.engine) as session:
        zbo.set_cycle(session, naam, months=maanden, today=FIRST_SEEN, next_due=dag)


@given("de mailserver is onbereikbaar")
def mailserver_onbereikbaar(world: World) -> None:
    world.server.stop()


# -- Als -------------------------------------------------------------------------------------


@given(step("de herinneringen worden verstuurd op {dag:Datum}"))
@when(step("de herinneringen worden verstuurd op {dag:Datum}"))
@when(step("de herinneringen voor het eerst weer worden verstuurd op {dag:Datum}"))
def herinneringen_versturen(world: World, dag: date) -> None:
    world.monkeypatch.setenv("SPREIDING_TODAY", dag.isoformat())
    get_settings.cache_clear()
    zbo_consultation_reminders.fn(dag)


@when(
    step(
        'BZK vastlegt dat het gesprek met de "{naam}" op {dag:Datum} is gevoerd en de '
        'spreiding is besproken, met als uitkomst "{uitkomst}"'
    )
)
def gesprek_vastleggen(world: World, naam: str, dag: date, uitkomst: str) -> None:
    with session_scope(world.engine) as session:
        zbo.record_talk(
            session,
            naam,
            held_on=dag,
            discussed=True,
            outcome=uitkomst,
            actor="Beleidsmedewerker BZK",
            today=dag,
        )


@when(
    step(
        'BZK vastlegt dat het gesprek met de "{naam}" op {dag:Datum} is gevoerd zonder dat de '
        "locatie is besproken"
    )
)
def gesprek_zonder_locatie(world: World, naam: str, dag: date) -> None:
    with session_scope(world.engine) as session:
        zbo.record_talk(
            session,
            naam,
            held_on=dag,
            discussed=False,
            outcome=None,
            actor="Beleidsmedewerker BZK",
            today=dag,
        )


@when("de mailserver weer bereikbaar is")
def mailserver_weer_bereikbaar(world: World) -> None:
    world.server.start()


# -- Dan -------------------------------------------------------------------------------------


@then(parsers.re(r'ontvangt "(?P<adres>[^"]+)" (?P<aantal>\d+) herinnering(?:en)?'))
def ontvangt(world: World, adres: str, aantal: str) -> None:
    assert len(world.mails_to(adres)) == int(aantal)


@then(parsers.re(r"ontvangt BZK (?P<aantal>\d+) herinnering(?:en)?"))
def bzk_ontvangt(world: World, aantal: str) -> None:
    assert len(world.mails_to(get_settings().bzk_email)) == int(aantal)


@then(parsers.re(r'de herinnering noemt (?P<delen>(?:"[^"]+"(?:, | en )?)+)'))
def herinnering_noemt(world: World, delen: str) -> None:
    mail = world.last_mail()
    text = f"{mail.subject}\n{mail.body}"
    for deel in re.findall(r'"([^"]+)"', delen):
        assert deel in text, f"{deel!r} is not in the reminder"


@then("de laatste herinnering zegt dat het de laatste herinnering voor deze ronde is")
def laatste_herinnering(world: World) -> None:
    assert "Dit is de laatste herinnering voor deze ronde." in world.last_mail().body


@then(step("de herinnering zegt dat de uiterste datum {dagen:d} dagen geleden was"))
def dagen_geleden(world: World, dagen: int) -> None:
    assert f"{dagen} dagen geleden" in world.last_mail().body


@then("de herinnering vraagt BZK haar door te sturen naar het ministerie")
def doorsturen(world: World) -> None:
    body = world.last_mail().body
    assert "geen contactadres bekend" in body and "doorsturen naar het ministerie" in body


@then(step('het volgende gesprek met de "{naam}" moet uiterlijk {dag:Datum} gevoerd zijn'))
def volgende_gesprek(world: World, naam: str, dag: date) -> None:
    with Session(world.engine) as session:
        organisation = zbo.get_zbo(session, naam)
        assert session.get(ZboCycle, organisation.id).next_due == dag


@then(step("is er nog geen herinnering aangekomen en wacht er {aantal:d} bericht"))
def nog_niets_aangekomen(world: World, aantal: int) -> None:
    assert world.server.received == []
    with Session(world.engine) as session:
        assert count_pending(session) == aantal
