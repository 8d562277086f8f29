"""The SQLModel tables of spreiding: reference geography, organisations and fte counts.

Codes are the keys people use (CBS codes ``PV27``, ``CR23``, ``GM0363``; ministry codes like
``BZK``), so that rows read well in any SQL client. Enumerated values are stored as text with
a CHECK constraint rather than as database enum types, which keeps migrations simple on both
SQLite and PostgreSQL. Every timestamp is an aware UTC datetime.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, Index, Integer, UniqueConstraint
from sqlalchemy.ext.mutable import MutableDict
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """The current time as an aware UTC datetime (naive datetimes are refused at flush)."""
    return datetime.now(UTC)


def _in(column: str, values: type[StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class Sector(StrEnum):
    """The sectors in which rijkswerkgelegenheid is reported to parliament."""

    MINISTERIES = "ministeries"
    POLITIE = "politie"
    RECHTSPRAAK = "rechtspraak"
    GEVANGENISWEZEN = "gevangeniswezen"
    DEFENSIE = "defensie"
    ZBO = "zbo"


class Confidentiality(StrEnum):
    """What may be shown to whom (Woo): public, internal, or confidential."""

    OPENBAAR = "openbaar"
    INTERN = "intern"
    VERTROUWELIJK = "vertrouwelijk"


class Province(SQLModel, table=True):
    """A province, by CBS code (PV20..PV31)."""

    code: str = Field(primary_key=True, max_length=4)
    name: str = Field(unique=True)


class CoropRegion(SQLModel, table=True):
    """A COROP region of CBS (CR01..CR40), inside one province."""

    __tablename__ = "corop_region"

    code: str = Field(primary_key=True, max_length=4)
    name: str
    province_code: str = Field(foreign_key="province.code", index=True)


class Municipality(SQLModel, table=True):
    """A municipality by CBS code (GMxxxx), with its province and COROP region."""

    code: str = Field(primary_key=True, max_length=6)
    name: str
    province_code: str = Field(foreign_key="province.code", index=True)
    corop_code: str = Field(foreign_key="corop_region.code", index=True)


class Ministry(SQLModel, table=True):
    """A ministry (department), responsible for its own organisations (art. 44 Grondwet)."""

    code: str = Field(primary_key=True, max_length=16)
    name: str = Field(unique=True)
    contact_email: str | None = None


class Organisation(SQLModel, table=True):
    """A rijksdienst, a unit of one, or a zbo; it belongs to one ministry and one sector."""

    __table_args__ = (CheckConstraint(_in("sector", Sector), name="ck_organisation_sector"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    name: str = Field(unique=True)
    ministry_code: str = Field(foreign_key="ministry.code", index=True)
    sector: str
    is_zbo: bool = False
    synthetic: bool = Field(default=False, description="Created by the synthetic demo set.")


class Submission(SQLModel, table=True):
    """One delivery of fte counts by a ministry for one peildatum.

    A ministry that delivers again for the same peildatum replaces its earlier delivery:
    the old row stays, with ``superseded_by`` pointing at the new one, so the history of
    deliveries is kept while only current submissions count.
    """

    id: int | None = Field(default=None, primary_key=True)
    ministry_code: str = Field(foreign_key="ministry.code", index=True)
    peildatum: date = Field(index=True)
    source: str
    sha256: str | None = None
    received_at: datetime = Field(default_factory=utcnow)
    row_count: int = 0
    total_fte: float = 0.0
    synthetic: bool = False
    superseded_by: int | None = Field(default=None, foreign_key="submission.id")


class WorkforceCount(SQLModel, table=True):
    """The fte of one organisation in one municipality on a peildatum (1 January)."""

    __tablename__ = "workforce_count"
    __table_args__ = (
        UniqueConstraint("submission_id", "organisation_id", "municipality_code"),
        CheckConstraint("fte >= 0", name="ck_workforce_count_fte"),
        Index("ix_workforce_count_peildatum_org", "peildatum", "organisation_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    municipality_code: str = Field(foreign_key="municipality.code")
    peildatum: date
    fte: float


class Prognosis(SQLModel, table=True):
    """A ministry's prognosis: the fte it expects an organisation to have on a later peildatum.

    Delivered with a year's counts (optional ``prognose_<year>`` columns, the next four
    peildata) and kept with that delivery: a newer delivery supersedes its prognoses too.
    """

    __table_args__ = (
        UniqueConstraint("submission_id", "organisation_id", "peildatum"),
        CheckConstraint("fte >= 0", name="ck_prognosis_fte"),
    )

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    peildatum: date  # the later 1 January the prognosis is for
    fte: float


# One Column object serves as the field's column and as the mapper's version counter.
CASE_VERSION = Column("version", Integer, nullable=False)


class CaseType(StrEnum):
    """The kinds of plans that come to BZK (measures M1-M3)."""

    GROEI = "groei"
    KRIMP = "krimp"
    NIEUW = "nieuw"
    HERVESTIGING = "hervestiging"
    MASTERPLAN = "masterplan"
    VTW = "vtw"


CASE_TYPE_LABELS: dict[str, str] = {
    CaseType.GROEI: "Groei",
    CaseType.KRIMP: "Krimp",
    CaseType.NIEUW: "Nieuwe dienst",
    CaseType.HERVESTIGING: "Hervestiging",
    CaseType.MASTERPLAN: "Masterplan",
    CaseType.VTW: "Verzoek tot wijziging (VtW)",
}
"""The Dutch name of each kind of plan, as pages and reports show it."""


class Case(SQLModel, table=True):
    """A BZK location case: a plan of a ministry that BZK advises on.

    ``lifecycle_version`` is the version of the chart the case started on (it keeps it:
    cases stored before version 2 are version 1); ``state`` holds that chart's state id;
    ``suspended_from`` the state a suspended case returns to. ``version`` is the optimistic
    lock: a write based on a stale read fails instead of overwriting someone else's change.
    ``dossier`` keeps the latest advice, escalation and decision for reading; the audit trail
    in :class:`CaseEvent` is the record.
    """

    __tablename__ = "location_case"
    __table_args__ = (
        CheckConstraint(_in("case_type", CaseType), name="ck_location_case_type"),
        CheckConstraint(_in("confidentiality", Confidentiality), name="ck_location_case_conf"),
        CheckConstraint("fte >= 0", name="ck_location_case_fte"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    ministry_code: str = Field(foreign_key="ministry.code", index=True)
    case_type: str
    fte: float
    location_code: str | None = Field(default=None, foreign_key="municipality.code")
    target_code: str | None = Field(default=None, foreign_key="municipality.code")
    confidentiality: str = Confidentiality.INTERN.value
    title: str | None = None
    handler_email: str | None = None
    period: str | None = None
    area: str | None = None
    covered: list[dict[str, Any]] | None = Field(default=None, sa_type=JSON)
    masterplan_id: int | None = Field(default=None, foreign_key="location_case.id")
    rvb_contact: str | None = None
    lifecycle_version: int = Field(default=2, sa_column_kwargs={"server_default": "1"})
    state: str = Field(index=True)
    suspended_from: str | None = None
    in_scope: bool | None = None
    ruleset_version: str | None = None
    flags: list[str] = Field(default_factory=list, sa_type=JSON)
    dossier: dict[str, Any] = Field(
        default_factory=dict,
        sa_type=MutableDict.as_mutable(JSON),  # type: ignore[arg-type]
    )
    state_since: date
    due_date: date | None = Field(default=None, index=True)
    suspended_on: date | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    version: int = Field(sa_column=CASE_VERSION)

    __mapper_args__ = {"version_id_col": CASE_VERSION}


class CaseEvent(SQLModel, table=True):
    """One accepted event of a case: the append-only audit trail with a hash chain.

    ``hash`` is an HMAC-SHA-256 under the audit key (plain SHA-256 for events written before
    the key existed) over the previous event's hash and this event's content, so an edit or
    deletion anywhere in the trail is detected by ``spreiding case verify``; the trail's head
    is sealed in :class:`AuditAnchor`. Database triggers refuse UPDATE and DELETE on this
    table as well.
    """

    __tablename__ = "case_event"
    __table_args__ = (UniqueConstraint("case_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="location_case.id", index=True)
    seq: int
    event: str
    source: str | None
    target: str
    actor: str
    role: str
    at: datetime
    reason: str | None = None
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    prev_hash: str
    hash: str = Field(unique=True)


class AuditAnchor(SQLModel, table=True):
    """The sealed head of one case's audit trail (see :mod:`spreiding.statemachine.audit`).

    ``seq`` and ``head`` are the number of events and the last event's hash; ``plain_upto``
    and ``plain_head`` the part of a trail hashed with plain SHA-256 before the audit key
    existed (0 and the genesis hash for a trail sealed from its start). ``mac`` seals all of
    it under the audit key, kept outside the database. No foreign key: the anchor of a case
    deleted behind the system's back stays and tells.
    """

    __tablename__ = "audit_anchor"

    case_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    plain_upto: int = 0
    plain_head: str
    seq: int
    head: str
    mac: str


class AuditLedger(SQLModel, table=True):
    """One row: how many cases are anchored and a keyed digest of their ids, sealed.

    Written when a case is registered (and when existing trails are anchored on upgrade), so
    a case deleted with its trail and its anchor is found out by ``spreiding case verify``.
    """

    __tablename__ = "audit_ledger"

    id: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    cases: int
    digest: str
    mac: str


class OutboxMessage(SQLModel, table=True):
    """An e-mail to send, written in the same transaction as the decision to send it.

    ``key`` makes a reminder unique (e.g. one per zbo, cycle and stage): deciding twice
    inserts nothing new. A message is marked ``sent_at`` only after the SMTP server accepted
    it, so a crash or an outage leaves it for the next run instead of losing or repeating it.
    A message that is no longer true by then (the talk was recorded, a later stage is due) is
    marked ``cancelled_at`` and never sent.
    """

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    kind: str = Field(index=True)
    to_address: str
    subject: str
    body: str
    created_at: datetime = Field(default_factory=utcnow)
    sent_at: datetime | None = Field(default=None, index=True)
    cancelled_at: datetime | None = Field(
        default=None, description="Set when the message stopped being true before it was sent."
    )
    claimed_at: datetime | None = Field(
        default=None, description="Set while a delivery run sends it; an old claim may be retaken."
    )
    attempts: int = 0
    last_error: str | None = None


class ZboCycle(SQLModel, table=True):
    """The consultation cycle of a zbo: how often location is on the agenda, and when next."""

    __tablename__ = "zbo_cycle"
    __table_args__ = (CheckConstraint("cycle_months BETWEEN 1 AND 60", name="ck_zbo_cycle"),)

    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)
    cycle_months: int = 12
    next_due: date


class ZboTalk(SQLModel, table=True):
    """One regular talk with a zbo about its long-term vision (circulaire zbo-governance)."""

    __tablename__ = "zbo_talk"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    held_on: date
    for_due: date = Field(description="The due date of the cycle this talk fulfils.")
    spreading_discussed: bool
    outcome: str | None = None
    recorded_by: str
    recorded_at: datetime = Field(default_factory=utcnow)


class RegionLevel(StrEnum):
    """The level of a region in the opportunities inventory."""

    PROVINCE = "province"
    COROP = "corop"


class SubmitterKind(StrEnum):
    """Who put an opportunity forward."""

    PROVINCE = "province"
    MUNICIPALITY = "municipality"
    MINISTRY = "ministry"


class RegionalOpportunity(SQLModel, table=True):
    """A regional opportunity (measure M5): where a rijksdienst can join a region's strengths."""

    __tablename__ = "regional_opportunity"
    __table_args__ = (
        CheckConstraint(_in("region_level", RegionLevel), name="ck_opportunity_level"),
        CheckConstraint(_in("submitted_by_kind", SubmitterKind), name="ck_opportunity_kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    region_level: str
    region_code: str = Field(index=True)
    submitted_by_kind: str
    submitted_by: str
    theme: str
    description: str
    contact: str | None = None
    created_at: datetime = Field(default_factory=utcnow)


class LeidraadVersion(SQLModel, table=True):
    """A version of the leidraad (the guideline), as data: scope rule, considerations, flag
    rules and service norms, each part with its source; effective from ``effective``.

    Versions are only added, never changed: the table is their history. The version the
    code ships (``2024.1``) is not stored; it is the one in force before any stored one.
    """

    __tablename__ = "leidraad_version"

    id: int | None = Field(default=None, primary_key=True)
    version: str = Field(unique=True, max_length=32)
    effective: date = Field(index=True)
    content: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_by: str
    created_at: datetime = Field(default_factory=utcnow)
