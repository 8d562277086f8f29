"""The annual inventory in the store: loading deliveries, listing them, finding who is missing.

Every year each ministry delivers the fte of its organisations on peildatum 1 January (measure
"jaarlijkse rapportage"). :func:`import_file` reads one delivered file with
:func:`spreiding.inventory.files.read_submission` and loads it with :func:`load_submission`, in one
transaction: a refused file leaves nothing behind. The rules of loading, each with its Dutch
name as in ``features/jaarlijkse-inventarisatie.feature``:

- *Eén levering is van één ministerie*: all organisations in a file belong to one ministry.
  A mixed file is refused, naming every row of another ministry than the first data row.
- *Een nieuwe levering vervangt de oude*: a ministry's new delivery for the same peildatum
  supersedes its current one. The old one stays, with ``superseded_by`` pointing at the new
  one, so the history is kept while only the new one counts in the figures.
- *Dezelfde levering twee keer verandert niets*: a file whose bytes (sha256) the ministry
  already delivered for that peildatum, current or superseded, is not loaded again. This makes
  a rerun of the yearly flow over the same inbox a no-op; a ministry that wants an older
  version back delivers it as a new file (any changed byte will do).
- *Twee leveringen tegelijk*: two loads for one ministry at the same time never both become
  current: the second waits until the first has committed, then supersedes it (or, for the
  same bytes, reports "unchanged"). :func:`load_submission` takes the write lock of SQLite
  (``BEGIN IMMEDIATE``) or the ministry's row lock (PostgreSQL) before it reads.
- *Synthetische gegevens blijven gemarkeerd*: a delivery that names an organisation of the
  synthetic demo set is itself marked synthetic, so reports built on it say so.
- *Prognoses gaan mee met hun levering*: the prognoses a file carries (optional
  ``prognose_<year>`` columns, the next four peildata) are stored with its delivery; a newer
  delivery supersedes them with it, also when it carries none. :func:`current_prognoses`
  reads those of the current deliveries, per ministry.
- *Wie nog niet leverde*: a ministry without a current delivery for the peildatum has not
  delivered; it gets one reminder per year (outbox key ``inventory:<year>:<code>:missing``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine, insert, select
from sqlmodel import Session

from spreiding.core.errors import Problem, Problems
from spreiding.inventory.files import (
    PROGNOSIS_YEARS,
    ParsedSubmission,
    Resolver,
    read_submission,
)
from spreiding.mail import checks
from spreiding.models.db import lock_for_writing, session_scope
from spreiding.models.registry import find_organisation
from spreiding.models.tables import (
    Ministry,
    Organisation,
    OutboxMessage,
    Prognosis,
    Submission,
    WorkforceCount,
)

Status = Literal["loaded", "unchanged"]
REMINDER_KIND = "inventory-missing"


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What loading one delivered file did."""

    file: str
    year: int
    ministry_code: str
    submission_id: int
    status: Status  # "loaded": a new delivery; "unchanged": these bytes were delivered before
    rows: int
    total_fte: float
    synthetic: bool
    superseded: tuple[int, ...] = ()  # the deliveries this one replaced
    prognosis_years: tuple[int, ...] = ()  # the later peildata it gives prognoses for

    def to_json(self) -> dict:
        """The stable JSON form (``inventory import --json``)."""
        return {
            "file": self.file,
            "year": self.year,
            "ministry_code": self.ministry_code,
            "submission_id": self.submission_id,
            "status": self.status,
            "rows": self.rows,
            "total_fte": _number(self.total_fte),
            "synthetic": self.synthetic,
            "superseded": list(self.superseded),
            "prognosis_years": list(self.prognosis_years),
        }


@dataclass(frozen=True, slots=True)
class Delivery:
    """One stored delivery (a :class:`Submission` row) as a listing shows it."""

    id: int
    ministry_code: str
    peildatum: date
    source: str
    sha256: str | None
    row_count: int
    total_fte: float
    received_at: datetime
    synthetic: bool
    superseded_by: int | None

    @property
    def current(self) -> bool:
        """Whether this delivery counts (no newer delivery replaced it)."""
        return self.superseded_by is None

    def to_json(self) -> dict:
        """The stable JSON form (``inventory list --json``)."""
        return {
            "id": self.id,
            "ministry_code": self.ministry_code,
            "peildatum": self.peildatum.isoformat(),
            "file": self.source,
            "sha256": self.sha256,
            "rows": self.row_count,
            "total_fte": _number(self.total_fte),
            "received_at": self.received_at.isoformat(),
            "synthetic": self.synthetic,
            "status": "current" if self.current else "superseded",
            "superseded_by": self.superseded_by,
        }


@dataclass(frozen=True, slots=True)
class MissingMinistry:
    """A ministry without a current delivery for a peildatum, and where a reminder goes."""

    code: str
    name: str
    contact_email: str | None


@dataclass(frozen=True, slots=True)
class _Org:
    id: int
    ministry_code: str
    synthetic: bool


def _number(value: float) -> float | int:
    rounded = round(value, 2)
    return int(rounded) if rounded.is_integer() else rounded


def peildatum_of(year: int) -> date:
    """The peildatum of the inventory of ``year``: 1 January."""
    return date(year, 1, 1)


# --- reading -------------------------------------------------------------------------------------


def organisation_resolver(session: Session) -> Resolver:
    """Map a cell's text to an organisation code by code or name (case-insensitive)."""

    def resolve(text: str) -> str | None:
        found = find_organisation(session, text)
        return None if found is None else found.code

    return resolve


def read_file(session: Session, path: Path, *, year: int) -> ParsedSubmission:
    """Read and check ``path`` against the organisations in the store (nothing is written)."""
    return read_submission(path, year=year, resolve_organisation=organisation_resolver(session))


# --- loading -------------------------------------------------------------------------------------


def _organisations(session: Session, codes: Iterable[str]) -> dict[str, _Org]:
    query = select(
        Organisation.code, Organisation.id, Organisation.ministry_code, Organisation.synthetic
    ).where(Organisation.code.in_(sorted(set(codes))))
    return {
        code: _Org(id_, ministry, bool(syn)) for code, id_, ministry, syn in session.execute(query)
    }


def ministry_of(parsed: ParsedSubmission, organisations: dict[str, _Org]) -> str:
    """The one ministry the file is from; every row of another ministry is refused, named."""
    first = parsed.rows[0]
    ministry = organisations[first.organisation].ministry_code
    problems = Problems()
    for row in parsed.rows:
        other = organisations[row.organisation].ministry_code
        if other != ministry:
            problems.add(
                Problem(
                    parsed.path.name,
                    row.line,
                    "organisatie",
                    row.organisation,
                    f"{row.organisation!r} hoort bij ministerie {other}, maar regel {first.line} "
                    f"({first.organisation!r}) bij {ministry}; een levering bevat de "
                    "organisaties van één ministerie, lever dus één bestand per ministerie",
                )
            )
    if problems:
        raise problems.refusal()
    return ministry


def _earlier_delivery(
    session: Session, ministry: str, peildatum: date, sha256: str
) -> Submission | None:
    query = (
        select(Submission)
        .where(
            Submission.ministry_code == ministry,
            Submission.peildatum == peildatum,
            Submission.sha256 == sha256,
        )
        .order_by(Submission.id)
    )
    return session.scalars(query).first()


def _current_deliveries(session: Session, ministry: str, peildatum: date) -> list[Submission]:
    query = (
        select(Submission)
        .where(
            Submission.ministry_code == ministry,
            Submission.peildatum == peildatum,
            Submission.superseded_by.is_(None),
        )
        .order_by(Submission.id)
    )
    return list(session.scalars(query))


def load_submission(session: Session, parsed: ParsedSubmission) -> LoadResult:
    """Load a checked file in the caller's transaction; see the module docstring for the rules.

    Raises :class:`InvalidSubmission` for a file mixing ministries; the caller's transaction
    then holds nothing of it.
    """
    # Two loads for one ministry at once would both see no delivery and both become current
    # (or both load the same bytes). The second must wait for the first to commit and then see
    # its delivery: on SQLite by taking the database's write lock before the first read (it
    # ignores FOR UPDATE), on PostgreSQL by locking the ministry's row.
    lock_for_writing(session)
    organisations = _organisations(session, (row.organisation for row in parsed.rows))
    ministry = ministry_of(parsed, organisations)
    peildatum = peildatum_of(parsed.year)
    session.execute(select(Ministry.code).where(Ministry.code == ministry).with_for_update())
    synthetic = any(organisations[row.organisation].synthetic for row in parsed.rows)
    earlier = _earlier_delivery(session, ministry, peildatum, parsed.sha256)
    if earlier is not None:
        return LoadResult(
            file=parsed.path.name,
            year=parsed.year,
            ministry_code=ministry,
            submission_id=earlier.id or 0,
            status="unchanged",
            rows=earlier.row_count,
            total_fte=earlier.total_fte,
            synthetic=earlier.synthetic,
        )
    current = _current_deliveries(session, ministry, peildatum)
    total = math.fsum(row.fte for row in parsed.rows)
    submission = Submission(
        ministry_code=ministry,
        peildatum=peildatum,
        source=parsed.path.name,
        sha256=parsed.sha256,
        row_count=len(parsed.rows),
        total_fte=total,
        synthetic=synthetic,
    )
    session.add(submission)
    session.flush()
    for old in current:
        old.superseded_by = submission.id
    # One executemany for all rows: ORM objects per row cost ten times as much at 100,000 rows.
    session.execute(
        insert(WorkforceCount),
        [
            {
                "submission_id": submission.id,
                "organisation_id": organisations[row.organisation].id,
                "municipality_code": row.municipality,
                "peildatum": peildatum,
                "fte": row.fte,
            }
            for row in parsed.rows
        ],
    )
    if parsed.prognoses:
        session.execute(
            insert(Prognosis),
            [
                {
                    "submission_id": submission.id,
                    "organisation_id": organisations[p.organisation].id,
                    "peildatum": peildatum_of(p.year),
                    "fte": p.fte,
                }
                for p in parsed.prognoses
            ],
        )
    session.flush()
    return LoadResult(
        file=parsed.path.name,
        year=parsed.year,
        ministry_code=ministry,
        submission_id=submission.id or 0,
        status="loaded",
        rows=len(parsed.rows),
        total_fte=total,
        synthetic=synthetic,
        superseded=tuple(old.id or 0 for old in current),
        prognosis_years=tuple(sorted({p.year for p in parsed.prognoses})),
    )


def import_file(path: Path, *, year: int, engine: Engine | None = None) -> LoadResult:
    """Read, check and load one delivered file in one transaction of its own.

    A refusal (:class:`~spreiding.core.errors.InvalidSubmission`, every problem naming file,
    row and column) rolls the transaction back: nothing of the file is stored.
    """
    with session_scope(engine) as session:
        return load_submission(session, read_file(session, Path(path), year=year))


# --- listing -------------------------------------------------------------------------------------


def list_deliveries(session: Session, *, year: int | None = None) -> list[Delivery]:
    """Every delivery (current and superseded), by peildatum, ministry and arrival."""
    query = select(Submission).order_by(
        Submission.peildatum, Submission.ministry_code, Submission.id
    )
    if year is not None:
        query = query.where(Submission.peildatum == peildatum_of(year))
    return [_delivery(s) for s in session.scalars(query)]


def _delivery(s: Submission) -> Delivery:
    return Delivery(
        id=s.id or 0,
        ministry_code=s.ministry_code,
        peildatum=s.peildatum,
        source=s.source,
        sha256=s.sha256,
        row_count=s.row_count,
        total_fte=s.total_fte,
        received_at=s.received_at,
        synthetic=s.synthetic,
        superseded_by=s.superseded_by,
    )


def missing_ministries(session: Session, year: int) -> list[MissingMinistry]:
    """The ministries without a current delivery for peildatum 1 January ``year``, by code."""
    delivered = (
        select(Submission.ministry_code)
        .where(Submission.peildatum == peildatum_of(year), Submission.superseded_by.is_(None))
        .distinct()
    )
    query = select(Ministry).where(Ministry.code.not_in(delivered)).order_by(Ministry.code)
    return [MissingMinistry(m.code, m.name, m.contact_email) for m in session.scalars(query)]


def delivered_ministries(session: Session, year: int) -> list[tuple[str, str]]:
    """(code, name) of the ministries with a current delivery for ``year``, by code."""
    query = (
        select(Ministry.code, Ministry.name)
        .join(Submission, Submission.ministry_code == Ministry.code)
        .where(Submission.peildatum == peildatum_of(year), Submission.superseded_by.is_(None))
        .distinct()
        .order_by(Ministry.code)
    )
    return [(code, name) for code, name in session.execute(query)]


@dataclass(frozen=True, slots=True)
class MinistryPrognosis:
    """A ministry's prognoses in its current delivery for a peildatum: fte per later year."""

    code: str
    name: str
    fte: dict[int, float]  # later year -> the sum of its organisations' prognoses


def current_prognoses(session: Session, year: int) -> list[MinistryPrognosis]:
    """The prognoses in the current deliveries for ``year``, per ministry (by code).

    Only ministries whose current delivery carries prognoses are listed; a superseded
    delivery's prognoses do not count.
    """
    query = (
        select(Ministry.code, Ministry.name, Prognosis.peildatum, Prognosis.fte)
        .join(Submission, Submission.id == Prognosis.submission_id)
        .join(Ministry, Ministry.code == Submission.ministry_code)
        .where(Submission.peildatum == peildatum_of(year), Submission.superseded_by.is_(None))
        .order_by(Ministry.code, Prognosis.peildatum, Prognosis.id)
    )
    found: dict[str, tuple[str, dict[int, list[float]]]] = {}
    for code, name, peildatum, fte in session.execute(query):
        found.setdefault(code, (name, {}))[1].setdefault(peildatum.year, []).append(fte)
    return [
        MinistryPrognosis(code, name, {y: math.fsum(v) for y, v in years.items()})
        for code, (name, years) in found.items()
    ]


def organisation_prognoses(session: Session, year: int) -> dict[str, dict[int, float]]:
    """The prognoses in the current deliveries for ``year``: organisation code -> year -> fte."""
    query = (
        select(Organisation.code, Prognosis.peildatum, Prognosis.fte)
        .join(Submission, Submission.id == Prognosis.submission_id)
        .join(Organisation, Organisation.id == Prognosis.organisation_id)
        .where(Submission.peildatum == peildatum_of(year), Submission.superseded_by.is_(None))
        .order_by(Organisation.code, Prognosis.peildatum)
    )
    found: dict[str, dict[int, float]] = {}
    for code, peildatum, fte in session.execute(query):
        found.setdefault(code, {})[peildatum.year] = fte
    return found


# --- reminders -----------------------------------------------------------------------------------


def reminder_key(year: int, ministry_code: str) -> str:
    """The outbox key of the one reminder a ministry gets for a year."""
    return f"inventory:{year}:{ministry_code}:missing"


def reminder_text(ministry_name: str, year: int) -> tuple[str, str]:
    """Subject and body (Dutch) of the reminder to a ministry that has not delivered."""
    subject = f"Herinnering: opgave rijkswerkgelegenheid peildatum 1 januari {year}"
    body = (
        f"Geachte contactpersoon van het {ministry_name},\n\n"
        f"Voor de jaarlijkse rapportage aan de Tweede Kamer over de spreiding van de "
        f"rijkswerkgelegenheid hebben wij van uw ministerie nog geen opgave ontvangen van het "
        f"aantal fte op peildatum 1 januari {year}.\n\n"
        "Wilt u de opgave aanleveren als CSV-bestand of Excel-werkmap (.xlsx) met één regel per "
        "organisatie en gemeente, en de kolommen 'organisatie', 'gemeente' en 'fte'? "
        "Neem alle organisaties van uw ministerie op, ook de zbo's, in één bestand.\n\n"
        f"Wilt u ook uw prognoses meegeven? Voeg dan per komende peildatum een kolom toe "
        f"('prognose_{year + 1}' tot en met 'prognose_{year + PROGNOSIS_YEARS}') met het aantal "
        "fte dat u per organisatie op 1 januari van dat jaar verwacht, één keer per "
        "organisatie.\n\n"
        "Met vriendelijke groet,\n\n"
        "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties\n"
        "Coördinatie spreiding rijkswerkgelegenheid\n"
    )
    return subject, body


def queue_reminders(session: Session, year: int, *, fallback_email: str) -> list[str]:
    """Queue one reminder per ministry that has not delivered; return the codes newly queued.

    The mail goes to the ministry's contact, or to ``fallback_email`` (BZK) when it has none.
    A ministry reminded before for this year is not reminded again (the outbox key exists).
    """
    from spreiding.mail.outbox import cancel_stale, enqueue

    queued = []
    missing = missing_ministries(session, year)
    # A reminder still waiting for a ministry that has delivered since is no longer true.
    keep = [reminder_key(year, m.code) for m in missing]
    cancel_stale(session, kind=REMINDER_KIND, prefix=f"inventory:{year}:", keep=keep)
    for ministry in missing:
        subject, body = reminder_text(ministry.name, year)
        if enqueue(
            session,
            key=reminder_key(year, ministry.code),
            kind=REMINDER_KIND,
            to=ministry.contact_email or fallback_email,
            subject=subject,
            body=body,
        ):
            queued.append(ministry.code)
    return queued


def reminder_still_true(session: Session, message: OutboxMessage) -> bool:
    """Whether the ministry a queued reminder is about has still not delivered (the check).

    Registered with :mod:`spreiding.mail.checks` for the kind ``inventory-missing``: a reminder
    that waited in the outbox is cancelled once the ministry's delivery is loaded.
    """
    prefix, year, code, _ = ([*message.key.split(":"), "", "", ""])[:4]
    if prefix != "inventory" or not year.isdigit():
        return False
    return any(m.code == code for m in missing_ministries(session, int(year)))


checks.register(REMINDER_KIND, reminder_still_true)
