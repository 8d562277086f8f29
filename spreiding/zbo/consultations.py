"""Zbo consultations (measure M4): cycles, recorded talks and the reminder rules.

BZK asks every minister with zbo's to put location on the agenda of the regular talk about
each zbo's long-term vision (circular "Governance ten aanzien van zbo's"). Each zbo has a
consultation cycle (default :data:`DEFAULT_CYCLE_MONTHS` months) and a next due date; each
talk held is recorded with its date, whether spreading was discussed and the outcome.

The rules, each a pure function:

- **First due date** (:func:`first_due`): a zbo gets its cycle when a write first sees it
  (a reminder run, ``zbo record`` or ``zbo cycle``); its first talk is due one cycle after
  that day, which gives the ministry a full cycle to plan it into the regular talk. The read
  commands (``zbo list``, ``zbo show``) write nothing: for a zbo without a stored cycle they
  show the cycle it would get today.
- **Next due date**: recording a talk in which the location was discussed closes the
  current cycle; the next talk is due one cycle after the day the talk was held
  (:func:`add_months`, clamped to the month's end). A talk in which it was not discussed
  (``--not-discussed``) is recorded, but does not complete the cycle: discussing the
  location is the point of measure 4, so the cycle stays due and the reminders go on.
- **Reminder stages** (:func:`due_stage`): 30 days before the due date (``vooraf``), on it
  (``op-datum``) and 14 days after it (``na-termijn``), while no talk is recorded for that
  cycle. A run sends the **latest** stage whose date has been reached, once per zbo, due date
  and stage: a run that missed a stage's date still sends it, unless the next stage's date
  has been reached too, in which case only that next stage is sent (an overtaken reminder
  would say something no longer true, "due in 30 days", or double the mail). After the
  ``na-termijn`` reminder nothing more is sent for that cycle: ``zbo list`` shows it overdue.
- **Changing the cycle** (:func:`set_cycle`): the next due date moves with it, to one new
  cycle after the last talk, or, without a talk yet, by the difference in months; or it is
  set explicitly.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from spreiding.core.dutch import date_text
from spreiding.core.errors import InvalidInput
from spreiding.mail.outbox import cancel_stale, insert_or_ignore
from spreiding.models.registry import get_organisation
from spreiding.models.tables import Ministry, Organisation, ZboCycle, ZboTalk

DEFAULT_CYCLE_MONTHS = 12
MIN_CYCLE_MONTHS, MAX_CYCLE_MONTHS = 1, 60
EARLIEST_TALK = date(2000, 1, 1)
"""No talk recorded here is older: a date before it is a typing error (the circular on zbo
governance and the spreading policy are both of this century)."""
CIRCULAR = "Governance ten aanzien van zbo's"
OUTBOX_KIND = "zbo-reminder"


class Stage(StrEnum):
    """The three reminders of one consultation cycle, in the order they fall due."""

    VOORAF = "vooraf"
    OP_DATUM = "op-datum"
    NA_TERMIJN = "na-termijn"


STAGE_OFFSETS: dict[Stage, int] = {Stage.VOORAF: -30, Stage.OP_DATUM: 0, Stage.NA_TERMIJN: 14}
"""Days from the due date to each stage's date."""

STAGE_LABELS: dict[Stage, str] = {
    Stage.VOORAF: "30 dagen vooraf",
    Stage.OP_DATUM: "op de uiterste datum",
    Stage.NA_TERMIJN: "14 dagen na de uiterste datum",
}


# -- pure rules ------------------------------------------------------------------------------


def add_months(d: date, months: int) -> date:
    """``d`` plus ``months`` calendar months; a day past the month's end becomes its last day."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last))


def check_cycle_months(months: int) -> int:
    """``months`` if it is an allowed cycle length, else :class:`InvalidInput`."""
    if not MIN_CYCLE_MONTHS <= months <= MAX_CYCLE_MONTHS:
        raise InvalidInput(
            f"een gesprekscyclus duurt {MIN_CYCLE_MONTHS} tot {MAX_CYCLE_MONTHS} maanden, "
            f"niet {months}"
        )
    return months


def check_held_on(held_on: date, today: date) -> date:
    """``held_on`` if a talk can have been held then: from :data:`EARLIEST_TALK` to today."""
    if held_on > today:
        raise InvalidInput(
            f"een gesprek wordt vastgelegd nadat het is gehouden: {date_text(held_on)} ligt na "
            f"vandaag ({date_text(today)})"
        )
    if held_on < EARLIEST_TALK:
        raise InvalidInput(
            f"een gesprek op {date_text(held_on)} is te lang geleden: gesprekken worden "
            f"vastgelegd vanaf {date_text(EARLIEST_TALK)}"
        )
    return held_on


def check_next_due(next_due: date, today: date) -> date:
    """``next_due`` if it can be a talk's due date: from :data:`EARLIEST_TALK` to one longest
    cycle (:data:`MAX_CYCLE_MONTHS` months) after today."""
    latest = add_months(today, MAX_CYCLE_MONTHS)
    if not EARLIEST_TALK <= next_due <= latest:
        raise InvalidInput(
            f"de volgende gespreksdatum {date_text(next_due)} ligt buiten het bereik: een gesprek "
            f"valt tussen {date_text(EARLIEST_TALK)} en {date_text(latest)} ({MAX_CYCLE_MONTHS} "
            "maanden na vandaag)"
        )
    return next_due


def first_due(today: date, cycle_months: int = DEFAULT_CYCLE_MONTHS) -> date:
    """The due date of a zbo's first talk when it is first seen on ``today``: one cycle on."""
    return add_months(today, check_cycle_months(cycle_months))


def stage_date(due: date, stage: Stage) -> date:
    """The day on which ``stage``'s reminder falls due for a cycle due on ``due``."""
    return due + timedelta(days=STAGE_OFFSETS[stage])


def due_stage(today: date, due: date) -> Stage | None:
    """The latest stage whose date has been reached on ``today``, or None before the first."""
    reached = [stage for stage in Stage if stage_date(due, stage) <= today]
    return reached[-1] if reached else None


def reminder_key(org_code: str, due: date, stage: Stage) -> str:
    """The outbox key that makes a reminder unique per zbo, due date and stage."""
    return f"zbo:{org_code}:{due.isoformat()}:{stage.value}"


def _when(stage: Stage, zbo: str, due: date, today: date) -> str:
    days = (due - today).days
    if days > 0:
        return (
            f"Het volgende gesprek met {zbo} moet uiterlijk {date_text(due)} gevoerd zijn, "
            f"over {days} dagen."
        )
    if days == 0:
        return f"Vandaag, {date_text(due)}, is de uiterste datum voor het gesprek met {zbo}."
    text = (
        f"De uiterste datum voor het gesprek met {zbo} was {date_text(due)}, {-days} dagen "
        "geleden. Er is nog geen gesprek vastgelegd."
    )
    if stage is Stage.NA_TERMIJN:
        text += " Dit is de laatste herinnering voor deze ronde."
    return text


_SUBJECTS: dict[Stage, str] = {
    Stage.VOORAF: "Herinnering: gesprek over de locatie van {zbo} vóór {due}",
    Stage.OP_DATUM: "Uiterste datum: gesprek over de locatie van {zbo} ({due})",
    Stage.NA_TERMIJN: "Achterstand: gesprek over de locatie van {zbo} (uiterlijk {due})",
}


def reminder_text(
    stage: Stage,
    *,
    zbo: str,
    ministry: str,
    due: date,
    today: date,
    cycle_months: int,
    to_bzk_instead: bool,
) -> tuple[str, str]:
    """The Dutch subject and body of a reminder to the ministry responsible for ``zbo``.

    ``to_bzk_instead`` says the ministry has no contact address and BZK receives it.
    """
    subject = _SUBJECTS[stage].format(zbo=zbo, due=date_text(due))
    fallback = (
        f"Voor het {ministry} is geen contactadres bekend. Daarom ontvangt BZK deze "
        "herinnering. Wilt u haar doorsturen naar het ministerie en het contactadres laten "
        "vastleggen?\n\n"
        if to_bzk_instead
        else ""
    )
    body = (
        f"Aan het {ministry},\n\n"
        f"{fallback}"
        "Het kabinet vraagt iedere minister met zbo's om de locatie van elke zbo te bespreken "
        "in het periodieke gesprek over de langetermijnvisie van die zbo, zoals bedoeld in de "
        f'circulaire "{CIRCULAR}". Samen met BZK bekijkt u welke spreiding van '
        "werkgelegenheid buiten de Randstad mogelijk is.\n\n"
        f"{_when(stage, zbo, due, today)}\n\n"
        "Wilt u de locatie op de agenda van dat gesprek zetten en BZK na afloop laten weten "
        "wanneer het gesprek is gevoerd, of de spreiding is besproken en wat de uitkomst of "
        "de opties zijn? Zodra BZK het gesprek heeft vastgelegd, stoppen de herinneringen "
        "voor deze ronde.\n\n"
        f"Zbo: {zbo}\n"
        f"Verantwoordelijk ministerie: {ministry}\n"
        f"Uiterste datum: {date_text(due)}\n"
        f"Gesprekscyclus: elke {cycle_months} maanden\n\n"
        "Met vriendelijke groet,\n\n"
        "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties\n"
        "Coördinatie spreiding rijkswerkgelegenheid\n\n"
        "Dit bericht is automatisch verstuurd.\n"
    )
    return subject, body


# -- the store -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ZboState:
    """A zbo with its ministry, cycle and last recorded talk."""

    organisation: Organisation
    ministry: Ministry
    cycle: ZboCycle
    last_talk: ZboTalk | None


def get_zbo(session: Session, text: str) -> Organisation:
    """The zbo with this code or name; an organisation that is no zbo is refused."""
    org = get_organisation(session, text)
    if not org.is_zbo:
        raise InvalidInput(f"{org.code} ({org.name}) is geen zbo")
    return org


def ensure_cycle(session: Session, org: Organisation, today: date) -> ZboCycle:
    """The cycle of ``org``, created with the default length if it is seen for the first time.

    Two processes seeing a zbo at the same time both get the one row that was written first.
    """
    values = {
        "organisation_id": org.id,
        "cycle_months": DEFAULT_CYCLE_MONTHS,
        "next_due": first_due(today),
    }
    insert_or_ignore(session, ZboCycle.__table__, values, ("organisation_id",))
    cycle = session.get(ZboCycle, org.id)
    assert cycle is not None, f"the cycle of {org.code} was just written"
    return cycle


def last_talk(session: Session, organisation_id: int) -> ZboTalk | None:
    """The latest talk recorded for a zbo (by date held, then by recording order)."""
    query = (
        select(ZboTalk)
        .where(ZboTalk.organisation_id == organisation_id)
        .order_by(ZboTalk.held_on.desc(), ZboTalk.id.desc())
    )
    return session.scalars(query).first()


def talks(session: Session, organisation_id: int) -> list[ZboTalk]:
    """Every talk recorded for a zbo, oldest first."""
    query = (
        select(ZboTalk)
        .where(ZboTalk.organisation_id == organisation_id)
        .order_by(ZboTalk.held_on, ZboTalk.id)
    )
    return list(session.scalars(query))


def talk_recorded_for(session: Session, organisation_id: int, due: date) -> bool:
    """Whether a talk that discussed the location has been recorded for the cycle due on
    ``due`` (a talk without it does not fulfil the cycle)."""
    query = select(ZboTalk.id).where(
        ZboTalk.organisation_id == organisation_id,
        ZboTalk.for_due == due,
        ZboTalk.spreading_discussed.is_(True),  # type: ignore[attr-defined]
    )
    return session.scalars(query).first() is not None


def _cycle(session: Session, org: Organisation, today: date, *, store: bool) -> ZboCycle:
    """The stored cycle; a missing one is created (``store``) or computed for today only."""
    if store:
        return ensure_cycle(session, org, today)
    stored = session.get(ZboCycle, org.id)
    if stored is not None:
        return stored
    return ZboCycle(
        organisation_id=org.id, cycle_months=DEFAULT_CYCLE_MONTHS, next_due=first_due(today)
    )


def zbo_states(session: Session, today: date, *, store: bool = True) -> list[ZboState]:
    """Every zbo with its cycle, by ministry and code; a missing cycle is created, or with
    ``store=False`` (for reading) computed without writing."""
    query = (
        select(Organisation, Ministry)
        .join(Ministry, Organisation.ministry_code == Ministry.code)
        .where(Organisation.is_zbo.is_(True))
        .order_by(Organisation.ministry_code, Organisation.code)
    )
    return [
        ZboState(
            org, ministry, _cycle(session, org, today, store=store), last_talk(session, org.id)
        )
        for org, ministry in session.execute(query).all()
    ]


def zbo_state(session: Session, organisation: str, today: date, *, store: bool = True) -> ZboState:
    """One zbo (by code or name) with its cycle and last talk (``store`` as in
    :func:`zbo_states`)."""
    org = get_zbo(session, organisation)
    ministry = session.get(Ministry, org.ministry_code)
    assert ministry is not None, f"{org.code} belongs to ministry {org.ministry_code}"
    cycle = _cycle(session, org, today, store=store)
    return ZboState(org, ministry, cycle, last_talk(session, org.id))


def record_talk(
    session: Session,
    organisation: str,
    *,
    held_on: date,
    discussed: bool,
    outcome: str | None,
    actor: str,
    today: date,
) -> tuple[ZboTalk, ZboCycle]:
    """Record a talk held with a zbo. A talk that discussed the location closes the current
    cycle and the next is due one cycle after ``held_on``; one that did not is recorded for
    the current cycle, which stays due (its reminders go on)."""
    if not actor.strip():
        raise InvalidInput(
            "noem wie het gesprek vastlegt: het verslag zegt wie het heeft ingevoerd"
        )
    check_held_on(held_on, today)
    org = get_zbo(session, organisation)
    cycle = ensure_cycle(session, org, today)
    previous = last_talk(session, org.id)
    if previous is not None and held_on < previous.held_on:
        raise InvalidInput(
            f"er is al een gesprek met {org.code} op {date_text(previous.held_on)} vastgelegd; "
            f"gesprekken worden op volgorde vastgelegd, dus {date_text(held_on)} is te vroeg"
        )
    talk = ZboTalk(
        organisation_id=org.id,
        held_on=held_on,
        for_due=cycle.next_due,
        spreading_discussed=discussed,
        outcome=(outcome or "").strip() or None,
        recorded_by=actor.strip(),
    )
    session.add(talk)
    if not discussed:
        session.flush()
        return talk, cycle
    cycle.next_due = add_months(held_on, cycle.cycle_months)
    session.flush()
    # Reminders for this zbo that waited out an SMTP outage are no longer true.
    cancel_stale(session, kind=OUTBOX_KIND, prefix=f"zbo:{org.code}:")
    return talk, cycle


def set_cycle(
    session: Session,
    organisation: str,
    *,
    months: int,
    today: date,
    next_due: date | None = None,
) -> ZboCycle:
    """Change how often a zbo's talk is due; the next due date moves with it (module doc)."""
    check_cycle_months(months)
    if next_due is not None:
        check_next_due(next_due, today)
    org = get_zbo(session, organisation)
    cycle = ensure_cycle(session, org, today)
    if next_due is None:
        previous = last_talk(session, org.id)
        if previous is not None:
            next_due = add_months(previous.held_on, months)
        else:
            next_due = add_months(cycle.next_due, months - cycle.cycle_months)
    cycle.cycle_months = months
    cycle.next_due = next_due
    session.flush()
    return cycle


def talk_json(talk: ZboTalk) -> dict[str, Any]:
    """The stable JSON form of a recorded talk."""
    return {
        "held_on": talk.held_on.isoformat(),
        "for_due": talk.for_due.isoformat(),
        "spreading_discussed": talk.spreading_discussed,
        "outcome": talk.outcome,
        "recorded_by": talk.recorded_by,
    }


def state_json(state: ZboState, today: date) -> dict[str, Any]:
    """The stable JSON form of a zbo's consultation state on ``today``."""
    due = state.cycle.next_due
    stage = due_stage(today, due)
    return {
        "code": state.organisation.code,
        "name": state.organisation.name,
        "ministry_code": state.ministry.code,
        "ministry": state.ministry.name,
        "contact_email": state.ministry.contact_email,
        "cycle_months": state.cycle.cycle_months,
        "next_due": due.isoformat(),
        "overdue": due < today,
        "stage": stage.value if stage else None,
        "last_talk": talk_json(state.last_talk) if state.last_talk else None,
    }
