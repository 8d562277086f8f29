"""The SQLModel tables of spreiding: reference geography, organisations and fte counts.

Codes are the keys people use (CBS codes ``PV27``, ``CR23``, ``GM0363``; ministry codes like
``BZK``), so that rows read well in any SQL client. Enumerated values are stored as text with
a CHECK constraint rather than as database enum types, which keeps migrations simple on both
SQLite and PostgreSQL. Every timestamp is an aware UTC datetime.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, UniqueConstraint
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
