"""Cases in the store: registering them, sending events, reading, listing and verifying.

Every accepted event is one unit of work: the case row is updated under its optimistic
version check and one event is appended to the audit trail, hash-chained to the one before.
The caller's session commits both or neither. A refused event raises a domain error before
anything is written; a concurrent change raises :class:`~spreiding.core.errors.ConflictError`.

The rules themselves live elsewhere: the lifecycle and its role/payload checks in
:mod:`.chart` and :mod:`.rules`, what each event does to scope, dossier and clock in
:mod:`.effects`, the service norms in :mod:`.norms`, working days in :mod:`.calendar`, the
keyed hash chain and its anchors in :mod:`.audit`. This module applies them to stored cases,
and seals each trail's head under the audit key (:mod:`spreiding.models.keys`).
"""

from __future__ import annotations

import hmac
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import String, and_, cast, func, or_
from sqlalchemy import case as sa_case
from sqlalchemy.exc import IntegrityError as DBIntegrityError
from sqlalchemy.orm import defer
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select

from spreiding.core import dutch
from spreiding.core.errors import (
    ConflictError,
    IntegrityError,
    InvalidInput,
    NotFound,
    TransitionRefused,
)
from spreiding.core.principal import Principal
from spreiding.core.settings import ServiceNorms, get_settings
from spreiding.geography.reference import gazetteer
from spreiding.models.keys import create_key_file, read_key_file
from spreiding.models.registry import check_email_address, get_organisation
from spreiding.models.tables import (
    CASE_TYPE_LABELS,
    AuditAnchor,
    AuditLedger,
    Case,
    CaseEvent,
    CaseType,
    Confidentiality,
    Municipality,
    Organisation,
    utcnow,
)
from spreiding.statemachine import audit, calendar, effects, leidraad, rules
from spreiding.statemachine.chart import (
    CLOCK_STOPPED_STATES,
    CURRENT_LIFECYCLE,
    INITIAL_STATE,
    INTENTION_STATE,
    START_STATES,
    STATE_LABELS,
    case_events,
    restore,
    unknown_state,
)

REGISTER = "register"
"""The audit event that opens every trail (it is not a lifecycle event: it creates the case)."""
SCREENING_OUTCOME = effects.SCREENING_OUTCOME
REGISTERED_TEXT = (
    "title",
    "handler_email",
    "period",
    "area",
    "covered",
    "masterplan_id",
    "rvb_contact",
)
"""Case fields the registration event records (trails from before this was done lack them)."""
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
            raise InvalidInput("Noem wie dit doet ('actor'): het auditspoor legt vast wie handelde")


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


VISIBILITY: dict[str, frozenset[str]] = {
    "bzk": frozenset({"openbaar", "intern", "vertrouwelijk"}),
    "mr": frozenset({"openbaar", "intern", "vertrouwelijk"}),
    "own_ministry": frozenset({"openbaar", "intern", "vertrouwelijk"}),
    "other_ministry": frozenset({"openbaar", "intern"}),
    "viewer": frozenset({"openbaar"}),
}
"""Who sees what: per kind of viewer, the confidentiality levels of the cases it sees.

BZK and the MR see every case; a ministry sees its own cases at every level and other
ministries' openbaar and intern cases (read only: the event rules let a ministry act only on
its own); a viewer sees openbaar cases only. A case outside the table does not exist for
the viewer (NotFound, 404). The one place the service, the listing and verify read it."""


def viewer_kind(role: str, ministry_code: str) -> str:
    """The row of :data:`VISIBILITY` that ``role`` reads for a case of ``ministry_code``."""
    kind, code = rules.parse_role(role)
    if kind == "ministry":
        return "own_ministry" if code == ministry_code else "other_ministry"
    return kind


def may_view(case: Case, role: str) -> bool:
    """Whether ``role`` sees ``case`` at all, by :data:`VISIBILITY`."""
    row = VISIBILITY.get(viewer_kind(role, case.ministry_code), frozenset())
    return str(case.confidentiality) in row


def get_case(session: Session, case_id: int, role: str | Principal) -> Case:
    """The case with this id as ``role`` may see it; a hidden case is reported as unknown."""
    role = _role(role)
    case = session.get(Case, case_id)
    if case is None or not may_view(case, role):
        raise NotFound(
            f"Zaak {case_id} bestaat niet (of is niet zichtbaar voor de rol "
            f"{rules.role_label(role)})"
        )
    return case


# -- registering -----------------------------------------------------------------------------


def _check_register_role(role: str, ministry_code: str) -> None:
    kind, code = rules.parse_role(role)
    if kind == "bzk" or (kind == "ministry" and code == ministry_code):
        return
    raise TransitionRefused(
        f"Een zaak van ministerie {ministry_code} meldt BZK (bzk) of het ministerie zelf "
        f"(ministry:{ministry_code}); de rol {rules.role_label(role)} mag dit niet."
    )


def _kind(case_type: str) -> str:
    """A kind of plan as a message names it, by its Dutch name in quotes: ``'Groei'``."""
    return f"'{CASE_TYPE_LABELS.get(case_type, case_type)}'"


def _check_case_fields(case_type: str, fte: float, confidentiality: str) -> None:
    if case_type not in set(CaseType):
        known = ", ".join(f"{CASE_TYPE_LABELS[t]} ({t.value})" for t in CaseType)
        raise InvalidInput(f"Onbekende soort plan ('case_type') {case_type!r}; kies uit: {known}")
    if not math.isfinite(fte) or not 0 <= fte <= rules.MAX_PLAN_FTE:
        shown = rules.fte_text(fte) if math.isfinite(fte) else repr(fte)
        raise InvalidInput(
            f"'fte' is een getal van 0 tot en met {dutch.whole(rules.MAX_PLAN_FTE)}, niet {shown}"
        )
    if fte == 0 and case_type not in (CaseType.MASTERPLAN, CaseType.VTW):
        # Only a housing plan may start at 0: its fte are those of the organisations it covers.
        raise InvalidInput(
            f"'fte': een plan van de soort {_kind(case_type)} verplaatst meer dan 0 fte"
        )
    if confidentiality not in set(Confidentiality):
        raise InvalidInput(
            f"Onbekende vertrouwelijkheid ('confidentiality') {confidentiality!r}; "
            f"kies uit: {', '.join(c.value for c in Confidentiality)}"
        )


def register_case(
    session: Session,
    ctx: Context,
    actor: Actor | Principal,
    *,
    organisation: str,
    case_type: str,
    fte: float,
    location: str | None = None,
    target: str | None = None,
    confidentiality: str = Confidentiality.INTERN,
    title: str | None = None,
    handler_email: str | None = None,
    stage: str | None = None,
    period: str | None = None,
    area: str | None = None,
    covers: list[str] | None = None,
    masterplan: int | None = None,
    rvb_contact: str | None = None,
) -> Case:
    """Register a plan as a new case in state Aangemeld, with the first audit event.

    ``stage="voornemen"`` registers an intention instead (state Voornemen): a plan reported
    early, with an fte estimate; ``submit_plan`` later makes it a plan. A new unit, masterplan
    or VtW may leave ``location`` out: BZK's advice proposes it. New cases start on the
    current lifecycle version.
    """
    actor, provenance = _actor(actor)
    case_type, confidentiality = case_type.strip().lower(), str(confidentiality).strip().lower()
    plan = _housing_plan(session, case_type, area, covers, masterplan, rvb_contact)
    if plan["covered"]:
        fte = sum(part["fte"] for part in plan["covered"])
        if fte < 0:
            raise InvalidInput(
                f"De organisaties ('covers') tellen op tot {rules.fte_text(fte)} fte; een plan "
                "telt op tot 0 of meer"
            )
    _check_case_fields(case_type, fte, confidentiality)
    start = _stage(stage)
    period = (period or "").strip() or None
    rules.check_length(period, rules.PERIOD_LIMIT, "'period' (de periode)")
    rules.check_length(title, rules.TITLE_LIMIT, "'title' (de titel)")
    if period is not None and start != INTENTION_STATE:
        raise InvalidInput(
            "'period' (de periode) hoort bij een voornemen: meld het als voornemen ('stage')"
        )
    if not (location or "").strip():
        location = None
        if case_type not in rules.LOCATION_OPTIONAL_TYPES:
            *others, last = map(_kind, rules.LOCATION_OPTIONAL_TYPES)
            optional = f"{', '.join(others)} en {last}"
            raise InvalidInput(
                f"Een plan van de soort {_kind(case_type)} vraagt om 'location' (de gemeente); "
                f"alleen bij {optional} mag het ministerie de locatie aan BZK laten"
            )
    handler_email = check_email_address(handler_email, "'handler_email'")
    org = get_organisation(session, organisation)
    _check_register_role(actor.role, org.ministry_code)
    places = gazetteer()
    where = places.municipality(location) if location else None
    to = places.municipality(target) if target else None
    if case_type == CaseType.HERVESTIGING and to is None:
        raise InvalidInput(
            "Een hervestiging vraagt om 'target': de gemeente waar de dienst naartoe gaat"
        )
    case = Case(
        organisation_id=org.id,
        ministry_code=org.ministry_code,
        case_type=case_type,
        fte=float(fte),
        location_code=where.code if where else None,
        target_code=to.code if to else None,
        confidentiality=confidentiality,
        title=title,
        handler_email=handler_email,
        period=period,
        **plan,
        lifecycle_version=CURRENT_LIFECYCLE,
        state=start,
    )
    norms = leidraad.norms_on(session, ctx.today, ctx.norms)
    clock = effects.clock_for_new_case(start, ctx.today, norms)
    effects.apply_clock(case, clock, restarts=True)
    session.add(case)
    session.flush()  # on SQLite this takes the write lock before the ledger is read
    payload = {
        "organisation": org.code,
        "case_type": case_type,
        "fte": case.fte,
        "location": where.code if where else None,
        "target": to.code if to else None,
        "confidentiality": confidentiality,
        "title": title,
        "handler_email": handler_email,
        "period": period,
        **plan,
        "lifecycle_version": CURRENT_LIFECYCLE,
        effects.CLOCK_OUTCOME: clock,
        **provenance,
    }
    key = audit_key(session)
    _append(session, key, case, REGISTER, None, actor, None, payload)
    ledger = _ledger(session, key)
    ledger.digest = audit.add_to_digest(key, ledger.digest, case.id)
    ledger.cases += 1
    ledger.mac = audit.ledger_mac(key, ledger.cases, ledger.digest)
    try:
        session.flush()
    except DBIntegrityError:  # two first registrations created the ledger at once
        raise ConflictError("Tegelijk werd een andere zaak gemeld; probeer het opnieuw") from None
    return case


MASTERPLAN_AREAS = (*(f"PV{n}" for n in range(20, 32)), "DEN-HAAG")
"""The 13 masterplan areas: one per province (its CBS code) plus Den Haag."""


def _housing_plan(
    session: Session,
    case_type: str,
    area: str | None,
    covers: list[str] | None,
    masterplan: int | None,
    rvb_contact: str | None,
) -> dict[str, Any]:
    """A masterplan's area and covered organisations, a VtW's masterplan, the RVB contact.

    ``covers`` are ``ORG:FTE`` (an organisation's code or name and its planned change in
    fte). Only a masterplan or VtW takes them; a masterplan needs its area, a VtW names the
    masterplan it changes (and lies in its area).
    """
    housing = case_type in (CaseType.MASTERPLAN, CaseType.VTW)
    given = [name for name, v in (("'area'", area), ("'masterplan'", masterplan)) if v]
    if not housing and (given or covers or rvb_contact):
        what = ", ".join([*given, *(["'covers'"] if covers else []),
                          *(["'rvb_contact'"] if rvb_contact else [])])  # fmt: skip
        raise InvalidInput(
            f"{what} hoort bij een plan van de soort {_kind(CaseType.MASTERPLAN)} of "
            f"{_kind(CaseType.VTW)}, niet bij {_kind(case_type)}"
        )
    if not housing:
        return {"area": None, "covered": None, "masterplan_id": None, "rvb_contact": None}
    if case_type == CaseType.VTW:
        if masterplan is None:
            raise InvalidInput(
                f"Een plan van de soort {_kind(CaseType.VTW)} noemt het masterplan dat het "
                "wijzigt: 'masterplan' (het zaaknummer)"
            )
        parent = session.get(Case, masterplan)
        if parent is None or parent.case_type != CaseType.MASTERPLAN:
            raise InvalidInput(
                f"'masterplan' {masterplan}: er is geen masterplan met dat zaaknummer"
            )
        area = area or parent.area
    elif masterplan is not None:
        raise InvalidInput(
            f"'masterplan' hoort bij een plan van de soort {_kind(CaseType.VTW)} (een wijziging "
            "van een masterplan)"
        )
    code = None
    if area:
        code = area.strip().upper().replace(" ", "-")
        if code not in MASTERPLAN_AREAS:
            code = gazetteer().province(area).code if code != "DEN-HAAG" else code
    elif case_type == CaseType.MASTERPLAN:
        raise InvalidInput(
            f"Een plan van de soort {_kind(CaseType.MASTERPLAN)} vraagt om 'area': een "
            "provincie (CBS-code of naam) of DEN-HAAG"
        )
    covered = [_covered(session, part) for part in covers or []]
    return {
        "area": code,
        "covered": covered or None,
        "masterplan_id": masterplan,
        "rvb_contact": (rvb_contact or "").strip() or None,
    }


def _covered(session: Session, part: str) -> dict[str, Any]:
    name, sep, number = part.rpartition(":")
    try:
        fte = float(number.strip().replace(",", "."))
    except ValueError:
        fte = math.nan
    if not sep or not name.strip() or not math.isfinite(fte) or abs(fte) > rules.MAX_PLAN_FTE:
        raise InvalidInput(
            f"'covers' {part!r}: geef ORG:FTE, bijvoorbeeld BD:120 (een verandering in fte)"
        )
    org = get_organisation(session, name.strip())
    return {"organisation": org.code, "fte": int(fte) if fte.is_integer() else fte}


STAGES = {"voornemen": INTENTION_STATE, "plan": INITIAL_STATE}
"""``case register --stage``: an intention (Voornemen) or, the default, a plan (Aangemeld)."""


def _stage(stage: str | None) -> str:
    if stage is None:
        return INITIAL_STATE
    try:
        return STAGES[stage.strip().lower()]
    except KeyError:
        raise InvalidInput(
            f"Onbekend stadium ('stage') {stage!r}; kies voornemen of plan"
        ) from None


# -- sending events --------------------------------------------------------------------------


def _resolve_location(payload: Mapping[str, Any]) -> dict[str, Any]:
    """Replace municipality names in the payload by their CBS codes (unknown raises NotFound)."""
    data = dict(payload)
    for name in ("location", "target"):
        if isinstance(data.get(name), str) and data[name].strip():
            data[name] = gazetteer().municipality(data[name]).code
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
            f"Zaak {case_id} is gewijzigd sinds u haar opende (versie {expected_version}, nu "
            f"{case.version}); open de zaak opnieuw en probeer het nog eens"
        )
    data = _resolve_location(payload or {})
    version = case.lifecycle_version
    if version < 2:
        _check_decision_against_advice(case, event, data)
    source = case.state
    # The leidraad in force today, read before the case changes (a query would flush the
    # change early, outside the conflict check below).
    norms = leidraad.norms_on(session, ctx.today, ctx.norms)
    ruleset = leidraad.ruleset_on(session, ctx.today) if event == "start_screening" else None
    machine = restore(case)
    # Where a decision puts the fte decides which flags it must justify (version 2).
    flags = effects.flags_after(case, event, data, ctx.randstad, version) if version >= 2 else None
    recorded = machine.fire(event, role=actor.role, payload=data, flags=flags)
    # What the event does besides moving the case, decided today and kept in the trail, so
    # that the replay of ``verify`` applies the very same outcome (effects.apply).
    outcome = effects.decide(
        case,
        event,
        today=ctx.today,
        norms=norms,
        randstad=ctx.randstad,
        recorded=recorded,
        version=version,
        # The scope rule of the leidraad in force today; the case keeps its version.
        ruleset=ruleset,
    )
    act = {"actor": actor.name.strip(), "role": actor.role}
    effects.apply(case, event, recorded, outcome, version=version, act=act)
    case.updated_at = utcnow()
    stored = effects.record_outcome(recorded, outcome)
    key = audit_key(session)
    try:  # the trail query autoflushes the case update: both sit inside the conflict check
        reason = recorded.get("reason")
        _append(session, key, case, event, source, actor, reason, stored | provenance)
        session.flush()
    except (StaleDataError, DBIntegrityError):
        # Another writer got there first: the version check or the (case, seq) key caught it.
        raise ConflictError(
            f"Zaak {case_id} werd tegelijk door iemand anders gewijzigd; open de zaak opnieuw "
            "en probeer het nog eens"
        ) from None
    return case


def _check_decision_against_advice(case: Case, event: str, data: Mapping[str, Any]) -> None:
    """Version 1: a decision that says it follows the advice must be for the advised location.

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
        raise TransitionRefused(
            f"{rules.step(event)}: follows_advice=ja, maar het BZK-advies was "
            f"{rules.place(advised)} en het besluit is voor {rules.place(data.get('location'))}; "
            "geef follows_advice=nee, zodat de afwijking wordt vastgelegd."
        )


def _append(
    session: Session,
    key: bytes,
    case: Case,
    event: str,
    source: str | None,
    actor: Actor,
    reason: str | None,
    payload: Mapping[str, Any],
) -> CaseEvent:
    """Append one event to the case's trail, sealed under ``key``, and move its anchor."""
    last = latest_event(session, case.id)
    anchor = session.get(AuditAnchor, case.id)
    if anchor is None and last is not None:
        _ledger(session, key)  # a store from before the key: its trails are anchored now
        anchor = session.get(AuditAnchor, case.id)
        if anchor is None:
            raise IntegrityError(
                f"Het auditspoor van zaak {case.id} is niet verankerd onder de auditsleutel; "
                "'spreiding case verify' laat zien waarom"
            )
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
    row = CaseEvent(**record, prev_hash=prev_hash, hash=audit.event_hash(prev_hash, record, key))
    session.add(row)
    if anchor is None:
        anchor = AuditAnchor(case_id=case.id, plain_head=audit.GENESIS, seq=0, head="", mac="")
        session.add(anchor)
    _seal(anchor, key, seq=row.seq, head=row.hash)
    return row


def _seal(anchor: AuditAnchor, key: bytes, *, seq: int, head: str) -> None:
    anchor.seq, anchor.head = seq, head
    anchor.mac = _anchor_of(anchor).mac(key)


def _anchor_of(row: AuditAnchor) -> audit.Anchor:
    return audit.Anchor(row.case_id, row.seq, row.head, row.plain_upto, row.plain_head)


# -- the audit key, the anchors and the ledger -------------------------------------------------


def audit_key(session: Session) -> bytes:
    """The audit key from its file (``SPREIDING_AUDIT_KEY_FILE``, default data_dir/audit.key).

    A store that has sealed nothing yet gets a new key when the file is missing; once the
    store holds sealed trails a missing key is an error (a new key would not verify them).
    """
    path = get_settings().audit_key_path
    if not path.exists() and session.get(AuditLedger, 1) is None:
        create_key_file(path)
    return read_key_file(path)


def _ledger(session: Session, key: bytes) -> AuditLedger:
    """The ledger row, locked for this unit of work; made, anchoring existing trails, if absent.

    A broken seal is refused rather than re-sealed, which would hide what was done.
    """
    ledger = session.exec(select(AuditLedger).with_for_update()).first()
    if ledger is None:
        ledger = AuditLedger(id=1, cases=0, digest=audit.EMPTY_DIGEST, mac="")
        for case_id in _anchor_plain_trails(session, key):
            ledger.digest = audit.add_to_digest(key, ledger.digest, case_id)
            ledger.cases += 1
        ledger.mac = audit.ledger_mac(key, ledger.cases, ledger.digest)
        session.add(ledger)
    elif not hmac.compare_digest(ledger.mac, audit.ledger_mac(key, ledger.cases, ledger.digest)):
        raise IntegrityError(
            "Het auditregister klopt niet met zijn zegel onder de auditsleutel; "
            "'spreiding case verify --all --as bzk' laat zien waar"
        )
    return ledger


def _anchor_plain_trails(session: Session, key: bytes) -> list[int]:
    """Anchor the current head of every trail written before the key; their case ids.

    Only an intact plain SHA-256 chain is anchored: a trail that is broken already, or holds
    keyed events (its anchor was deleted), stays unanchored and ``verify`` reports it.
    """
    anchored = set(session.exec(select(AuditAnchor.case_id)))
    done = []
    for case_id in session.exec(select(Case.id).order_by(Case.id)):
        events = [e.model_dump() for e in trail(session, case_id)]
        if case_id in anchored or not events:
            continue
        if audit.check_chain(events, None, plain_upto=len(events)) is not None:
            continue
        head = events[-1]["hash"]
        row = AuditAnchor(
            case_id=case_id, plain_upto=len(events), plain_head=head, seq=0, head="", mac=""
        )
        _seal(row, key, seq=len(events), head=head)
        session.add(row)
        done.append(case_id)
    return done


def anchor_existing_trails(session: Session) -> int:
    """On upgrade (``spreiding init``): anchor the trails written before the audit key.

    Their plain SHA-256 hashes are kept, not rewritten; their current heads are sealed under
    the key. Runs once per store (while it has no ledger); returns how many were anchored.
    """
    key = audit_key(session)
    if session.get(AuditLedger, 1) is not None:
        return 0
    return _ledger(session, key).cases


# -- reading ---------------------------------------------------------------------------------


def latest_event(session: Session, case_id: int) -> CaseEvent | None:
    """The newest event of the case's trail, or None before its first."""
    # LIMIT 1: the ORM would otherwise load the whole trail to hand back its first row.
    newest = select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq.desc())
    return session.exec(newest.limit(1)).first()


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


def cases_json(session: Session, cases: list[Case], role: str | Principal) -> list[dict]:
    """Many cases as ``role`` sees them, without their trails (``case list``, the API's list).

    The organisations' codes are read in one query, and the allowed events come from the
    table derived once per (lifecycle version, state, role) (:func:`.chart.case_events`):
    no StateChart is built per case.
    """
    ids = {c.organisation_id for c in cases}
    codes = (
        dict(
            session.execute(
                select(Organisation.id, Organisation.code).where(Organisation.id.in_(ids))  # type: ignore[union-attr]
            ).all()
        )
        if ids
        else {}
    )
    return [
        case_json(session, c, role, with_events=False, org=codes[c.organisation_id]) for c in cases
    ]


def case_json(
    session: Session,
    case: Case,
    role: str | Principal,
    *,
    with_events: bool = True,
    org: str | None = None,
) -> dict:
    """A case as ``role`` sees it: state, what it may do now, flags, deadline, trail.

    ``org`` is the organisation's code when the caller read it already (a listing).
    """
    role = _role(role)
    places = gazetteer().municipalities
    org = org or case_organisation(session, case)
    data = {
        "id": case.id,
        "state": case.state,
        "state_label": STATE_LABELS[case.state],
        "allowed_events": case_events(case, role),
        "lifecycle_version": case.lifecycle_version,
        "organisation": org,
        "ministry_code": case.ministry_code,
        "case_type": case.case_type,
        "fte": int(case.fte) if case.fte.is_integer() else case.fte,
        "location": (
            {"code": case.location_code, "name": places[case.location_code].name}
            if case.location_code
            else None
        ),
        "target": (
            {"code": case.target_code, "name": places[case.target_code].name}
            if case.target_code
            else None
        ),
        "confidentiality": case.confidentiality,
        "title": case.title,
        "period": case.period,
        "area": case.area,
        "organisations": list(case.covered or []),
        "masterplan": case.masterplan_id,
        "parties": [{"party": "rvb", "name": case.rvb_contact}] if case.rvb_contact else [],
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
    org = session.get(Organisation, case.organisation_id)
    assert org is not None  # a foreign key guarantees it
    return org.code


LIST_SORTS = ("due", "id", "fte", "state")
"""The orders a listing comes in: by due date (none last), by number, by fte (largest
first) or by the Dutch name of the state; each then by number."""
SEARCH_FIELDS = ("title", "organisation", "number", "place")
"""What a text search may look in: the title, the organisation's code and name, the case
number and the municipality's name (a caller names the ones it searches, in this order)."""
LIST_DEFERRED = ("flags", "dossier", "covered")
"""The JSON columns a row of a list on a page does not show: left unloaded (``light``)."""


@dataclass(frozen=True, slots=True)
class CasePage:
    """One page of a listing: its cases, and how many cases match the filters in all."""

    cases: list[Case]
    total: int


def visible_to(role: str | Principal) -> ColumnElement[bool]:
    """:data:`VISIBILITY` as a condition on the case table: the cases ``role`` may view.

    The SQL form of :func:`may_view`, built from the same table (through
    :func:`viewer_kind`), so a listing filters in the database what ``get_case`` refuses one
    case at a time; a test checks that both agree for every role, ministry and level.
    """
    role = _role(role)
    kind, code = rules.parse_role(role)

    def levels(row: str) -> ColumnElement[bool]:
        return Case.confidentiality.in_(sorted(VISIBILITY.get(row, frozenset())))  # type: ignore[attr-defined]

    if kind != "ministry":
        return levels(viewer_kind(role, ""))
    # Two rows: the ministry's own cases, and every other ministry's ("" is no ministry).
    return or_(
        and_(Case.ministry_code == code, levels(viewer_kind(role, str(code)))),
        and_(Case.ministry_code != code, levels(viewer_kind(role, ""))),
    )


def _search(text: str, fields: Collection[str]) -> ColumnElement[bool]:
    """The cases whose searched fields, joined by spaces, contain ``text`` (any case)."""
    unknown = set(fields) - set(SEARCH_FIELDS)
    if unknown:
        raise ValueError(f"unknown search field(s) {sorted(unknown)}; use {SEARCH_FIELDS}")
    parts: dict[str, list[Any]] = {
        "title": [func.coalesce(Case.title, "")],
        "organisation": [Organisation.code, Organisation.name],
        "number": [cast(Case.id, String)],
        "place": [func.coalesce(Municipality.name, "")],
    }
    columns = [c for name in SEARCH_FIELDS if name in fields for c in parts[name]]
    joined = columns[0]
    for column in columns[1:]:
        joined = joined + " " + column
    return func.lower(joined).contains(text.lower(), autoescape=True)


def _case_filters(
    ctx: Context,
    role: str,
    *,
    state: str | None,
    ministry: str | None,
    case_type: str | None,
    handler: str | None,
    overdue: bool,
    due_within: int | None,
) -> list[ColumnElement[bool]]:
    if state is not None and state not in STATE_LABELS:
        raise InvalidInput(unknown_state(state))
    if due_within is not None and due_within < 0:
        raise InvalidInput(f"'due_within' is een aantal werkdagen van 0 of meer, niet {due_within}")
    where = [visible_to(role)]
    if state is not None:
        where.append(Case.state == state)
    if ministry is not None:
        where.append(Case.ministry_code == ministry)
    if case_type is not None:
        where.append(Case.case_type == case_type)
    if handler is not None:
        email = func.lower(func.coalesce(Case.handler_email, ""))
        where.append(email.contains(handler.lower(), autoescape=True))
    if overdue or due_within is not None:
        # A suspended case keeps its due date but its clock stands still (chart.clock_runs).
        where += [Case.due_date.is_not(None), Case.state.not_in(CLOCK_STOPPED_STATES)]  # type: ignore[union-attr,attr-defined]
    if overdue:  # chart.is_overdue, with the running clock checked just above
        where.append(Case.due_date < ctx.today)  # type: ignore[operator]
    if due_within is not None:
        # The horizon is counted in working days once; the due dates are compared in SQL.
        where.append(Case.due_date <= calendar.add_working_days(ctx.today, due_within))  # type: ignore[operator]
    return where


def _order(sort: str) -> list[Any]:
    if sort not in LIST_SORTS:
        raise ValueError(f"unknown sort {sort!r}; use one of {LIST_SORTS}")
    if sort == "id":
        return [Case.id]
    if sort == "fte":
        return [Case.fte.desc(), Case.id]  # type: ignore[attr-defined]
    if sort == "state":
        # By the Dutch name as Python orders it, whatever the database's collation.
        rank = {s: n for n, s in enumerate(sorted(STATE_LABELS, key=STATE_LABELS.__getitem__))}
        return [sa_case(rank, value=Case.state, else_=len(rank)), Case.id]
    # No due date (final states) last, on SQLite and PostgreSQL alike.
    return [Case.due_date.is_(None), Case.due_date, Case.id]  # type: ignore[union-attr]


def find_cases(
    session: Session,
    ctx: Context,
    role: str | Principal,
    *,
    state: str | None = None,
    ministry: str | None = None,
    case_type: str | None = None,
    handler: str | None = None,
    text: str | None = None,
    search: Collection[str] = ("title", "organisation"),
    overdue: bool = False,
    due_within: int | None = None,
    where: Collection[ColumnElement[bool]] = (),
    sort: str = "due",
    limit: int | None = None,
    offset: int = 0,
    light: bool = False,
    count: bool = True,
) -> CasePage:
    """The cases ``role`` may see that pass the filters, one page of them, and their number.

    Visibility, filters, order and page are all done by the database; only the page's rows
    are loaded (with ``light``, without the JSON columns a list on a page does not show).
    ``ministry`` and ``case_type`` must match exactly, ``handler`` is a part of the handler's
    e-mail address and ``text`` a part of the ``search`` fields (:data:`SEARCH_FIELDS`),
    both in any case. ``overdue`` and ``due_within`` (working days) leave out cases whose
    clock stands still. ``where`` adds conditions on the case table of the caller's own.
    With ``count`` False the total is only what the page tells (offset plus its cases).
    """
    conditions = _case_filters(
        ctx, _role(role), state=state, ministry=ministry, case_type=case_type,
        handler=handler, overdue=overdue, due_within=due_within,
    )  # fmt: skip
    conditions += list(where)
    if text:
        conditions.append(_search(text, search))

    def joined(query: Any) -> Any:
        if text and "organisation" in search:
            query = query.join(Organisation, Organisation.id == Case.organisation_id)
        if text and "place" in search:
            query = query.outerjoin(Municipality, Municipality.code == Case.location_code)
        return query.where(*conditions)

    query = joined(select(Case)).order_by(*_order(sort)).offset(offset or None).limit(limit)
    if light:
        query = query.options(*(defer(getattr(Case, name)) for name in LIST_DEFERRED))
    cases = list(session.exec(query))
    total = offset + len(cases)
    # Counted only when the page does not tell: it is full, or it lies past the end.
    if count and ((limit is not None and len(cases) >= limit) or (offset and not cases)):
        total = session.scalar(joined(select(func.count()).select_from(Case))) or 0
    return CasePage(cases, total)


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
    found = find_cases(session, ctx, role, state=state, overdue=overdue, due_within=due_within)
    return found.cases


# -- verifying -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of checking one case's trail; ``problem`` is None when all is well.

    ``case_id`` is None for a finding about the store as a whole (the ledger).
    """

    case_id: int | None
    events: int
    problem: str | None

    @property
    def ok(self) -> bool:
        """Whether the trail is intact and replays to the stored state."""
        return self.problem is None


_UNKNOWN: Any = object()
"""A field the trail does not record (written before it was recorded): not compared."""


@dataclass
class _Replay:
    state: str | None
    in_scope: bool | None
    ministry_code: str
    case_type: str
    fte: float
    location_code: str | None
    target_code: str | None
    lifecycle_version: int = 1
    suspended_from: str | None = None
    ruleset_version: str | None = None
    flags: list[str] = field(default_factory=list)
    dossier: dict[str, Any] = field(default_factory=dict)
    title: Any = _UNKNOWN
    handler_email: Any = _UNKNOWN
    period: Any = _UNKNOWN
    area: Any = _UNKNOWN
    covered: Any = _UNKNOWN
    masterplan_id: Any = _UNKNOWN
    rvb_contact: Any = _UNKNOWN
    state_since: Any = _UNKNOWN
    due_date: Any = _UNKNOWN
    suspended_on: Any = _UNKNOWN


def _replay_registration(model: _Replay, payload: Mapping[str, Any]) -> None:
    for name in REGISTERED_TEXT:
        if name in payload:
            setattr(model, name, payload[name])
    clock = payload.get(effects.CLOCK_OUTCOME)
    if clock is not None:
        effects.apply_clock(model, clock, restarts=True)


def replay(case: Case, events: list[CaseEvent]) -> _Replay:
    """Drive a fresh machine through the trail; raise IntegrityError where it disagrees.

    The result holds what the trail says the case must be: its state, the plan (fte,
    location, target, as registered and as ``submit_plan`` changed them), the screening
    outcome, the dossier and the clock, rebuilt by the same :func:`.effects.apply` that
    built them when the events happened, from the outcomes the trail recorded. The machine
    is the chart of the lifecycle version the registration recorded (none: version 1).
    """
    model = _Replay(
        state=None,
        in_scope=None,
        ministry_code=case.ministry_code,
        case_type=case.case_type,
        fte=case.fte,
        location_code=case.location_code,
        target_code=case.target_code,
    )
    machine: Any = None
    for event in events:
        if event.seq == 1:
            version = int(event.payload.get("lifecycle_version") or 1)
            if event.event != REGISTER or event.target not in START_STATES.get(version, ()):
                raise IntegrityError(f"event 1 is {event.event!r}, not the registration")
            model.lifecycle_version = version
            model.fte = event.payload.get("fte", case.fte)
            model.location_code = event.payload.get("location", case.location_code)
            model.target_code = event.payload.get("target", case.target_code)
            model.state = event.target
            machine = restore(model)
            _replay_registration(model, event.payload)
            continue
        if machine is None or model.state != event.source:
            raise IntegrityError(
                f"event {event.seq} ({event.event}) starts from {event.source!r}, "
                f"but the trail before it ends in {model.state!r}"
            )
        data, outcome = effects.split_outcome(event.payload)
        for key in PROVENANCE:  # who and through which door: not the event's own data
            data.pop(key, None)
        try:
            recorded = machine.fire(
                event.event, role=event.role, payload=data, flags=outcome.get("flags")
            )
        except TransitionRefused as exc:
            raise IntegrityError(
                f"event {event.seq} ({event.event}) replays as refused: {exc}"
            ) from None
        if effects.CLOCK_OUTCOME not in outcome:  # an event from before the clock was recorded
            model.state_since = model.due_date = model.suspended_on = _UNKNOWN
        act = {"actor": event.actor, "role": event.role}
        effects.apply(
            model, event.event, recorded, outcome, version=model.lifecycle_version, act=act
        )
        if model.state != event.target:
            raise IntegrityError(
                f"event {event.seq} ({event.event}) leads to {model.state!r}, "
                f"but the trail says {event.target!r}"
            )
    return model


def _registration_mismatch(session: Session, case: Case, registered: Mapping[str, Any]) -> str:
    """The first field of the case row that differs from its registration event, or ''.

    The plan's fte, location and target are compared with the replay instead: an
    intention's ``submit_plan`` may change them.
    """
    stored = {
        "organisation": case_organisation(session, case),
        "case_type": case.case_type,
        "confidentiality": case.confidentiality,
        "lifecycle_version": case.lifecycle_version,
    }
    defaults = {"lifecycle_version": 1}
    for key, value in stored.items():
        if registered.get(key, defaults.get(key)) != value:
            return f"stored {key} {value!r} differs from the registration's {registered.get(key)!r}"
    return ""


REPLAYED_FIELDS = (
    "fte",
    "location_code",
    "target_code",
    "state",
    "suspended_from",
    "in_scope",
    "ruleset_version",
    "flags",
    "dossier",
    "title",
    "handler_email",
    "period",
    "area",
    "covered",
    "masterplan_id",
    "rvb_contact",
    "state_since",
    "due_date",
    "suspended_on",
)
"""The case row's fields that ``verify`` compares with the replayed trail."""


def _replay_mismatch(case: Case, replayed: _Replay) -> str:
    """The first field of the case row that differs from the replayed trail, or ''."""
    for name in REPLAYED_FIELDS:
        stored, expected = getattr(case, name), getattr(replayed, name)
        if expected is not _UNKNOWN and stored != expected:
            return f"stored {name} {stored!r} differs from the replayed trail's {expected!r}"
    return ""


def _trail_problem(
    session: Session, case_id: int, events: list[dict[str, Any]], key: bytes
) -> str | None:
    """What is wrong with the trail itself: empty, broken chain, missing or wrong anchor."""
    if not events:
        return "the case has no audit trail: its events were deleted"
    anchor = session.get(AuditAnchor, case_id)
    plain_upto = anchor.plain_upto if anchor is not None else len(events)
    broken = audit.check_chain(events, key, plain_upto)
    if broken is not None:
        return f"event {broken.seq} {broken.reason}"
    if anchor is None:
        if session.get(AuditLedger, 1) is None:
            return "the trail is not anchored under the audit key yet: run 'spreiding init'"
        return "the trail has no anchor under the audit key: its anchor was deleted"
    return audit.anchor_problem(_anchor_of(anchor), anchor.mac, events, key)


def verify_case(session: Session, case: Case, key: bytes | None = None) -> Verification:
    """Check a case's trail (keyed chain, anchor), replay it, and compare the case row with it.

    Finds an edited, re-hashed, removed or added audit event (the chain and the anchor), a
    trail the lifecycle would not have accepted (the replay), and a case row changed behind
    the trail's back (the comparison).
    """
    key = key if key is not None else audit_key(session)
    events = trail(session, case.id)
    problem = _trail_problem(session, case.id, [e.model_dump() for e in events], key)
    if problem is not None:
        return Verification(case.id, len(events), problem)
    try:
        replayed = replay(case, events)
    except IntegrityError as exc:
        return Verification(case.id, len(events), str(exc))
    problem = _registration_mismatch(session, case, events[0].payload) or _replay_mismatch(
        case, replayed
    )
    return Verification(case.id, len(events), problem or None)


def verify_store(session: Session, key: bytes) -> list[Verification]:
    """What the anchors and the ledger say about cases that are gone: deleted with their trail."""
    anchors = list(session.exec(select(AuditAnchor).order_by(AuditAnchor.case_id)))
    present = set(session.exec(select(Case.id)))
    found = [
        Verification(a.case_id, 0, "the case is anchored but gone: deleted with its trail")
        for a in anchors
        if a.case_id not in present
    ]
    ledger = session.get(AuditLedger, 1)
    if ledger is None:
        if anchors:
            found.append(Verification(None, 0, "the audit ledger is missing: it was deleted"))
        return found
    if not hmac.compare_digest(ledger.mac, audit.ledger_mac(key, ledger.cases, ledger.digest)):
        found.append(
            Verification(None, 0, "the audit ledger does not match its seal: it was changed")
        )
    elif ledger.cases != len(anchors) or ledger.digest != audit.ledger_digest(
        key, (a.case_id for a in anchors)
    ):
        found.append(
            Verification(
                None,
                0,
                f"the audit ledger records {ledger.cases} anchored case(s), the store holds "
                f"{len(anchors)}: a case was deleted with its trail and its anchor"
                if ledger.cases > len(anchors)
                else f"the audit ledger records {ledger.cases} anchored case(s), the store holds "
                f"{len(anchors)} (or other ones): anchors were added or replaced",
            )
        )
    return found


def verify_all(session: Session, role: str = "bzk") -> list[Verification]:
    """Verify every case that ``role`` may see, by id; BZK and the MR also check the store."""
    key = audit_key(session)
    cases = session.exec(select(Case).order_by(Case.id))
    results = [verify_case(session, c, key) for c in cases if may_view(c, role)]
    if rules.parse_role(role)[0] in ("bzk", "mr"):
        results += verify_store(session, key)
    return results


def count_cases(session: Session) -> int:
    """How many cases there are."""
    return session.scalar(select(func.count()).select_from(Case)) or 0
