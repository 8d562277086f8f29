"""Cases in the store: registering them, sending events, reading, listing and verifying.

Every accepted event is one unit of work: the case row is updated under its optimistic
version check and one event is appended to the audit trail, hash-chained to the one before.
The caller's session commits both or neither. A refused event raises a domain error before
anything is written; a concurrent change raises :class:`~spreiding.core.errors.ConflictError`.

The rules themselves live elsewhere: the lifecycle and its role/payload checks in
:mod:`.chart` and :mod:`.rules`, working days in :mod:`.calendar`, the hash chain in
:mod:`.audit`. This module applies them to stored cases.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError as DBIntegrityError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from spreiding.core.errors import (
    ConflictError,
    IntegrityError,
    InvalidInput,
    NotFound,
    TransitionRefused,
)
from spreiding.core.principal import Principal
from spreiding.core.settings import ServiceNorms
from spreiding.geography.reference import gazetteer
from spreiding.models.registry import check_email_address, get_organisation
from spreiding.models.tables import Case, CaseEvent, CaseType, Confidentiality, utcnow
from spreiding.statemachine import audit, calendar, rules
from spreiding.statemachine.chart import INITIAL_STATE, STATE_LABELS, CaseLifecycle, restore

REGISTER = "register"
"""The audit event that opens every trail (it is not a lifecycle event: it creates the case)."""
MAX_FTE = 100_000  # more than any single plan: rijkswerkgelegenheid is about 336,000 fte in all
SCREENING_OUTCOME = ("in_scope", "ruleset_version", "flags")
"""What start_screening decides, recorded in its audit event so a replay needs nothing else."""
PROVENANCE = ("actor_account", "via", "os_user")
"""Where an act came from (:meth:`Principal.provenance`), recorded beside the event's data."""


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a person's name and the role they act in (bzk, ministry:CODE, mr, viewer)."""

    name: str
    role: str

    def __post_init__(self) -> None:
        # Stored in the audit trail as written here, so in one canonical form.
        object.__setattr__(self, "role", rules.canonical_role(self.role))
        if not self.name.strip():
            raise InvalidInput("name the actor (--actor): the audit trail records who acted")


@dataclass(frozen=True, slots=True)
class Context:
    """What the rules need from the settings: the Randstad, service norms and today."""

    randstad: Collection[str]
    norms: ServiceNorms
    today: date


def _actor(who: Actor | Principal) -> tuple[Actor, dict[str, object]]:
    """The actor the trail names, and the provenance it records with the event's data."""
    if isinstance(who, Principal):
        return Actor(who.name, who.role), who.provenance()
    return who, {}


def _role(who: str | Principal) -> str:
    return who.role if isinstance(who, Principal) else who


# -- visibility ------------------------------------------------------------------------------


def may_view(case: Case, role: str) -> bool:
    """A vertrouwelijk case is shown only to BZK, the MR and its own ministry."""
    if case.confidentiality != Confidentiality.VERTROUWELIJK:
        return True
    kind, code = rules.parse_role(role)
    return kind in ("bzk", "mr") or (kind == "ministry" and code == case.ministry_code)


def get_case(session: Session, case_id: int, role: str | Principal) -> Case:
    """The case with this id as ``role`` may see it; a hidden case is reported as unknown."""
    role = _role(role)
    case = session.get(Case, case_id)
    if case is None or not may_view(case, role):
        raise NotFound(f"no case {case_id} (or it is not visible to role {role})")
    return case


# -- registering -----------------------------------------------------------------------------


def _check_register_role(role: str, ministry_code: str) -> None:
    kind, code = rules.parse_role(role)
    if kind == "bzk" or (kind == "ministry" and code == ministry_code):
        return
    raise TransitionRefused(
        f"a case of ministry {ministry_code} is registered by bzk or ministry:{ministry_code}, "
        f"not by {role}"
    )


def _check_case_fields(case_type: str, fte: float, confidentiality: str) -> None:
    if case_type not in set(CaseType):
        raise InvalidInput(
            f"unknown case type {case_type!r}; use one of: {', '.join(t.value for t in CaseType)}"
        )
    if not math.isfinite(fte) or not 0 <= fte <= MAX_FTE:
        raise InvalidInput(f"fte must be a number from 0 to {MAX_FTE:,}, got {fte:g}")
    if confidentiality not in set(Confidentiality):
        raise InvalidInput(
            f"unknown confidentiality {confidentiality!r}; "
            f"use one of: {', '.join(c.value for c in Confidentiality)}"
        )


def register_case(
    session: Session,
    ctx: Context,
    actor: Actor | Principal,
    *,
    organisation: str,
    case_type: str,
    fte: float,
    location: str,
    target: str | None = None,
    confidentiality: str = Confidentiality.INTERN,
    title: str | None = None,
    handler_email: str | None = None,
) -> Case:
    """Register a plan as a new case in state Aangemeld, with the first audit event."""
    actor, provenance = _actor(actor)
    case_type, confidentiality = case_type.strip().lower(), str(confidentiality).strip().lower()
    _check_case_fields(case_type, fte, confidentiality)
    handler_email = check_email_address(handler_email, "--handler")
    org = get_organisation(session, organisation)
    _check_register_role(actor.role, org.ministry_code)
    places = gazetteer()
    where = places.municipality(location)
    to = places.municipality(target) if target else None
    if case_type == CaseType.HERVESTIGING and to is None:
        raise InvalidInput("a hervestiging (relocation) needs --target: where the service moves to")
    case = Case(
        organisation_id=org.id,
        ministry_code=org.ministry_code,
        case_type=case_type,
        fte=float(fte),
        location_code=where.code,
        target_code=to.code if to else None,
        confidentiality=confidentiality,
        title=title,
        handler_email=handler_email,
        state=INITIAL_STATE,
        state_since=ctx.today,
        due_date=_due(ctx, INITIAL_STATE, ctx.today),
    )
    session.add(case)
    session.flush()
    payload = {
        "organisation": org.code,
        "case_type": case_type,
        "fte": case.fte,
        "location": where.code,
        "target": to.code if to else None,
        "confidentiality": confidentiality,
        **provenance,
    }
    _append(session, case, REGISTER, None, actor, None, payload)
    return case


# -- sending events --------------------------------------------------------------------------


def _due(ctx: Context, state: str, since: date) -> date | None:
    norm = ctx.norms.for_state(state)
    return calendar.add_working_days(since, norm) if norm else None


def _resolve_location(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Replace a municipality name in the payload by its CBS code (unknown raises NotFound)."""
    data = dict(payload)
    if isinstance(data.get("location"), str) and data["location"].strip():
        data["location"] = gazetteer().municipality(data["location"]).code
    return data


def send_event(
    session: Session,
    ctx: Context,
    actor: Actor | Principal,
    case_id: int,
    event: str,
    payload: Mapping[str, Any] | None = None,
    *,
    expected_version: int | None = None,
) -> Case:
    """Send ``event`` to the case; on success the case and its trail are updated together."""
    actor, provenance = _actor(actor)
    case = get_case(session, case_id, actor.role)
    if expected_version is not None and case.version != expected_version:
        raise ConflictError(
            f"case {case_id} changed since you read it (version {expected_version}, "
            f"now {case.version}); reload it and try again"
        )
    data = _resolve_location(payload or {})
    _check_decision_against_advice(case, event, data)
    source = case.state
    machine = restore(case)
    recorded = machine.fire(event, role=actor.role, payload=data)
    _after(case, ctx, event, recorded)
    if event == "start_screening":  # the trail keeps the outcome of the screening
        recorded |= {k: getattr(case, k) for k in SCREENING_OUTCOME}
    try:  # the trail query autoflushes the case update: both sit inside the conflict check
        _append(session, case, event, source, actor, recorded.get("reason"), recorded | provenance)
        session.flush()
    except (StaleDataError, DBIntegrityError):
        # Another writer got there first: the version check or the (case, seq) key caught it.
        raise ConflictError(
            f"case {case_id} was changed by someone else at the same time; reload it and try again"
        ) from None
    return case


def _check_decision_against_advice(case: Case, event: str, data: Mapping[str, Any]) -> None:
    """A decision that says it follows the advice must be for the advised location.

    The advice is not binding, so a decision may deviate; but then it must say so
    (``follows_advice=nee``), so that the deviation is recorded and not hidden.
    """
    if event not in ("decide", "record_mr_decision"):
        return
    advised = (case.dossier.get("advice") or {}).get("location")
    try:
        follows = rules.parse_yes_no(data.get("follows_advice"))
    except InvalidInput:
        return  # the lifecycle's own payload check names the bad value
    if follows and advised and data.get("location") != advised:
        name = gazetteer().municipalities[advised].name
        raise TransitionRefused(
            f"{event}: follows_advice=ja, but the BZK advice was {name} ({advised}) and the "
            f"decision is for {data.get('location')}; say follows_advice=nee to record the "
            "deviation"
        )


def _after(case: Case, ctx: Context, event: str, recorded: dict[str, Any]) -> None:
    """What an accepted event changes beyond the state: scope, flags, dossier, deadlines."""
    if event == "start_screening":
        _screen(case, ctx)
    _update_dossier(case, event, recorded)
    _update_clock(case, ctx, event)
    case.updated_at = utcnow()


def _screen(case: Case, ctx: Context) -> None:
    """Judge the scope under the current rule set (kept on the case) and set the flags."""
    ruleset = rules.CURRENT_RULESET
    case.in_scope = rules.in_scope(case.case_type, case.fte, ruleset)
    case.ruleset_version = ruleset.version
    places = gazetteer().municipalities
    target = places[case.target_code].province_code if case.target_code else None
    case.flags = rules.principle_flags(
        case.case_type, places[case.location_code].province_code, target, ctx.randstad
    )


def _justification(case: Any, considerations: Mapping[str, Any]) -> dict[str, list[str]]:
    """For each principle flag, the weighed considerations that apply and can justify it."""
    applying = [key for key, value in considerations.items() if value["applies"]]
    return {flag: applying for flag in case.flags}


def _dossier_entry(case: Any, event: str, recorded: dict[str, Any]) -> tuple[str, Any] | None:
    """The dossier section an event writes, and its content; None for other events."""
    dossier = case.dossier
    if event == "issue_advice":
        justified = _justification(case, recorded["considerations"])
        return "advice", {**recorded, "flag_justification": justified}
    if event == "agree":
        return "agreement", recorded
    if event == "escalate_to_mr":
        # The MR weighs the department's choice together with the BZK advice.
        return "escalation", {
            "department_location": recorded["location"],
            "motivation": recorded["motivation"],
            "bzk_advice": dossier.get("advice"),
        }
    if event in ("decide", "record_mr_decision"):
        advice = dossier.get("advice") or {}
        return "decision", {
            **recorded,
            "by": "mr" if event == "record_mr_decision" else "ministry",
            "advice_location": advice.get("location"),
            "deviates_from_advice": not recorded["follows_advice"],
        }
    if event == "withdraw":
        return "withdrawal", recorded
    return None


def _update_dossier(case: Any, event: str, recorded: dict[str, Any]) -> None:
    """Keep the latest advice, agreement, escalation, decision or withdrawal for reading.

    The dossier is replaced, not changed in place: an in-place change of a JSON column on an
    object created in the same session is not seen by the ORM and would be lost.
    """
    entry = _dossier_entry(case, event, recorded)
    if entry is not None:
        case.dossier = {**case.dossier, entry[0]: entry[1]}


def _update_clock(case: Case, ctx: Context, event: str) -> None:
    """Suspension stops the clock; resuming gives back the working days it was stopped."""
    if event == "suspend":
        case.suspended_on = ctx.today
        return
    if event == "resume" and case.suspended_on is not None:
        lost = max(calendar.working_days_between(case.suspended_on, ctx.today), 0)
        if case.due_date is not None:
            case.due_date = calendar.add_working_days(case.due_date, lost)
        case.suspended_on = None
        return
    case.suspended_on = None
    case.state_since = ctx.today
    case.due_date = _due(ctx, case.state, ctx.today)


def _append(
    session: Session,
    case: Case,
    event: str,
    source: str | None,
    actor: Actor,
    reason: str | None,
    payload: Mapping[str, Any],
) -> CaseEvent:
    last = session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq.desc())
    ).first()
    record = {
        "case_id": case.id,
        "seq": (last.seq + 1) if last else 1,
        "event": event,
        "source": source,
        "target": case.state,
        "actor": actor.name.strip(),
        "role": actor.role,
        "at": utcnow(),
        "reason": reason,
        "payload": dict(payload),
    }
    prev_hash = last.hash if last else audit.GENESIS
    row = CaseEvent(**record, prev_hash=prev_hash, hash=audit.event_hash(prev_hash, record))
    session.add(row)
    return row


# -- reading ---------------------------------------------------------------------------------


def trail(session: Session, case_id: int) -> list[CaseEvent]:
    """The audit trail of a case, oldest first."""
    query = select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq)
    return list(session.exec(query))


def event_json(event: CaseEvent) -> dict[str, Any]:
    """One audit event in the stable JSON form."""
    return {
        "seq": event.seq,
        "event": event.event,
        "from": event.source,
        "to": event.target,
        "actor": event.actor,
        "role": event.role,
        "at": audit.canonical_time(event.at),
        "reason": event.reason,
        "payload": event.payload,
        "hash": event.hash,
    }


def case_json(
    session: Session, case: Case, role: str | Principal, *, with_events: bool = True
) -> dict:
    """A case as ``role`` sees it: state, what it may do now, flags, deadline, trail."""
    role = _role(role)
    places = gazetteer().municipalities
    org = case_organisation(session, case)
    data = {
        "id": case.id,
        "state": case.state,
        "state_label": STATE_LABELS[case.state],
        "allowed_events": rules.allowed_events(restore(case), role),
        "organisation": org,
        "ministry_code": case.ministry_code,
        "case_type": case.case_type,
        "fte": int(case.fte) if case.fte.is_integer() else case.fte,
        "location": {"code": case.location_code, "name": places[case.location_code].name},
        "target": (
            {"code": case.target_code, "name": places[case.target_code].name}
            if case.target_code
            else None
        ),
        "confidentiality": case.confidentiality,
        "title": case.title,
        "in_scope": case.in_scope,
        "ruleset_version": case.ruleset_version,
        "flags": list(case.flags),
        "due_date": case.due_date.isoformat() if case.due_date else None,
        "suspended_from": case.suspended_from,
        "dossier": dict(case.dossier),
        "version": case.version,
    }
    if with_events:
        data["events"] = [event_json(e) for e in trail(session, case.id)]
    return data


def case_organisation(session: Session, case: Case) -> str:
    """The code of the case's organisation."""
    from spreiding.models.tables import Organisation

    org = session.get(Organisation, case.organisation_id)
    assert org is not None  # a foreign key guarantees it
    return org.code


def list_cases(
    session: Session,
    ctx: Context,
    role: str | Principal,
    *,
    state: str | None = None,
    overdue: bool = False,
    due_within: int | None = None,
) -> list[Case]:
    """The cases ``role`` may see, filtered by state and deadline, by due date then id."""
    role = _role(role)
    if state is not None and state not in STATE_LABELS:
        raise InvalidInput(f"unknown state {state!r}; use one of: {', '.join(STATE_LABELS)}")
    if due_within is not None and due_within < 0:
        raise InvalidInput(f"--due-within takes a number of working days >= 0, got {due_within}")
    # No due date (final states) last, on SQLite and PostgreSQL alike.
    query = select(Case).order_by(Case.due_date.is_(None), Case.due_date, Case.id)
    if state is not None:
        query = query.where(Case.state == state)
    if overdue or due_within is not None:
        # A suspended case keeps its due date but its clock stands still.
        query = query.where(Case.due_date.is_not(None), Case.state != "suspended")
    cases = [c for c in session.exec(query) if may_view(c, role)]
    if overdue:
        cases = [c for c in cases if c.due_date < ctx.today]
    if due_within is not None:
        horizon = calendar.add_working_days(ctx.today, due_within)
        cases = [c for c in cases if c.due_date <= horizon]
    return cases


# -- verifying -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of checking one case's trail; ``problem`` is None when all is well."""

    case_id: int
    events: int
    problem: str | None

    @property
    def ok(self) -> bool:
        """Whether the trail is intact and replays to the stored state."""
        return self.problem is None


@dataclass
class _Replay:
    state: str | None
    in_scope: bool | None
    ministry_code: str
    suspended_from: str | None = None
    ruleset_version: str | None = None
    flags: list[str] = field(default_factory=list)
    dossier: dict[str, Any] = field(default_factory=dict)


def replay(case: Case, events: list[CaseEvent]) -> _Replay:
    """Drive a fresh machine through the trail; raise IntegrityError where it disagrees.

    The result holds what the trail says the case must be: its state, the screening outcome
    and the dossier, rebuilt with the same rules that built them when the events happened.
    """
    model = _Replay(state=None, in_scope=None, ministry_code=case.ministry_code)
    machine: CaseLifecycle | None = None
    for event in events:
        if event.seq == 1:
            if event.event != REGISTER or event.target != INITIAL_STATE:
                raise IntegrityError(f"event 1 is {event.event!r}, not the registration")
            machine = CaseLifecycle(model=model)
            continue
        if machine is None or model.state != event.source:
            raise IntegrityError(
                f"event {event.seq} ({event.event}) starts from {event.source!r}, "
                f"but the trail before it ends in {model.state!r}"
            )
        payload = dict(event.payload)
        outcome = {k: payload.pop(k, None) for k in SCREENING_OUTCOME}
        for key in PROVENANCE:  # who and through which door: not the event's own data
            payload.pop(key, None)
        try:
            recorded = machine.fire(event.event, role=event.role, payload=payload)
        except TransitionRefused as exc:
            raise IntegrityError(
                f"event {event.seq} ({event.event}) replays as refused: {exc}"
            ) from None
        if event.event == "start_screening":
            model.in_scope, model.ruleset_version = outcome["in_scope"], outcome["ruleset_version"]
            model.flags = list(outcome["flags"] or [])
        _update_dossier(model, event.event, recorded)
        if model.state != event.target:
            raise IntegrityError(
                f"event {event.seq} ({event.event}) leads to {model.state!r}, "
                f"but the trail says {event.target!r}"
            )
    return model


def _registration_mismatch(session: Session, case: Case, registered: Mapping[str, Any]) -> str:
    """The first field of the case row that differs from its registration event, or ''."""
    stored = {
        "organisation": case_organisation(session, case),
        "case_type": case.case_type,
        "fte": case.fte,
        "location": case.location_code,
        "target": case.target_code,
        "confidentiality": case.confidentiality,
    }
    for key, value in stored.items():
        if registered.get(key) != value:
            return f"stored {key} {value!r} differs from the registration's {registered.get(key)!r}"
    return ""


def _replay_mismatch(case: Case, replayed: _Replay) -> str:
    """The first field of the case row that differs from the replayed trail, or ''."""
    for name in ("state", "suspended_from", "in_scope", "ruleset_version", "flags", "dossier"):
        stored, expected = getattr(case, name), getattr(replayed, name)
        if stored != expected:
            return f"stored {name} {stored!r} differs from the replayed trail's {expected!r}"
    return ""


def verify_case(session: Session, case: Case) -> Verification:
    """Check the hash chain of a case's trail, replay it, and compare the case row with it.

    Finds an edited or removed audit event (the chain), a trail the lifecycle would not have
    accepted (the replay), and a case row changed behind the trail's back (the comparison).
    """
    events = trail(session, case.id)
    broken = audit.check_chain([e.model_dump() for e in events])
    if broken is not None:
        return Verification(case.id, len(events), f"event {broken.seq} {broken.reason}")
    try:
        replayed = replay(case, events)
    except IntegrityError as exc:
        return Verification(case.id, len(events), str(exc))
    problem = _registration_mismatch(session, case, events[0].payload) or _replay_mismatch(
        case, replayed
    )
    return Verification(case.id, len(events), problem or None)


def verify_all(session: Session, role: str = "bzk") -> list[Verification]:
    """Verify every case that ``role`` may see, by id."""
    cases = session.exec(select(Case).order_by(Case.id))
    return [verify_case(session, c) for c in cases if may_view(c, role)]


def count_cases(session: Session) -> int:
    """How many cases there are."""
    return session.scalar(select(func.count()).select_from(Case)) or 0
