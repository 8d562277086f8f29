"""The fte on a peildatum: the one "current fte counts" query and what is built on it.

Only current submissions count: a delivery that a ministry replaced is kept for the history
but left out here. :func:`current_fte_counts` is that query, grouped by whichever of
organisation, ministry, sector and province the caller asks for; :func:`distribution` (per
province, per sector or per ministry, with the Randstad share), :func:`province_sector` (the
province x sector table), :func:`series` (the total and the Randstad share on every
peildatum) and :func:`start_counts` (where a projection starts:
the newest complete peildatum per organisation and province, as plain numbers for
:mod:`spreiding.simulation`) all read it. Which provinces form the Randstad is a setting
passed in by the caller, never a literal in a query.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import case, func, select
from sqlmodel import Session

from spreiding.core.dutch import date_text
from spreiding.core.errors import InvalidInput, NotFound
from spreiding.models.tables import (
    Ministry,
    Municipality,
    Organisation,
    Province,
    Sector,
    Submission,
    WorkforceCount,
)

FIRST_YEAR, LAST_YEAR = 1900, 2999
"""The years a peildatum (or a delivery, a year filter) can be for; outside them a date cannot
even be formed."""

By = Literal["province", "sector", "ministry"]
BY_CHOICES: tuple[str, ...] = ("province", "sector", "ministry")
CountKey = Literal["organisation", "ministry", "sector", "province"]

_COUNT_KEYS = {
    "organisation": Organisation.code,
    "ministry": Organisation.ministry_code,
    "sector": Organisation.sector,
    "province": Municipality.province_code,
}


@dataclass(frozen=True, slots=True)
class ProvinceRow:
    """The fte of one province and whether it counts as Randstad."""

    province_code: str
    name: str
    fte: float
    randstad: bool


@dataclass(frozen=True, slots=True)
class SectorRow:
    """The fte of one sector, in the Randstad and outside it."""

    sector: str
    fte: float
    randstad_fte: float


@dataclass(frozen=True, slots=True)
class MinistryRow:
    """The fte of the organisations of one ministry, in the Randstad and outside it."""

    ministry_code: str
    name: str
    fte: float
    randstad_fte: float


@dataclass(frozen=True, slots=True)
class Distribution:
    """The distribution of fte on one peildatum."""

    peildatum: date
    total_fte: float
    randstad_fte: float
    synthetic: bool
    randstad: tuple[str, ...]
    rows: tuple[ProvinceRow, ...] | tuple[SectorRow, ...] | tuple[MinistryRow, ...]

    @property
    def randstad_share(self) -> float:
        """The share of all fte in the Randstad provinces (0 when there is nothing)."""
        return self.randstad_fte / self.total_fte if self.total_fte else 0.0

    def to_json(self) -> dict:
        """The stable JSON form documented in the README."""
        return {
            "peildatum": self.peildatum.isoformat(),
            "total_fte": _number(self.total_fte),
            "randstad_share": round(self.randstad_share, 6),
            "randstad": list(self.randstad),
            "synthetic": self.synthetic,
            "rows": [
                {k: _number(v) if isinstance(v, float) else v for k, v in asdict(r).items()}
                for r in self.rows
            ],
        }


def _number(value: float) -> float | int:
    """Whole fte as int (336270, not 336270.0); fractions rounded to two decimals."""
    rounded = round(value, 2)
    return int(rounded) if rounded.is_integer() else rounded


def peildata(session: Session) -> list[date]:
    """Every peildatum with current counts, oldest first."""
    query = select(WorkforceCount.peildatum).distinct().order_by(WorkforceCount.peildatum)
    return list(session.scalars(query))


def current_fte_counts(
    session: Session, peildatum: date, by: Sequence[CountKey]
) -> list[tuple[Any, ...]]:
    """The fte of current submissions on ``peildatum``, summed per ``by``.

    Each row is ``(*keys, fte, synthetic)``: the values of the ``by`` columns in that order
    (organisation code, sector, province code), the summed fte as a float and whether any
    of the counts comes from a synthetic (demo) delivery.
    """
    keys = [_COUNT_KEYS[name] for name in by]
    query = (
        select(
            *keys,
            func.sum(WorkforceCount.fte),
            func.max(case((Submission.synthetic, 1), else_=0)),
        )
        .join(Submission, Submission.id == WorkforceCount.submission_id)
        .join(Municipality, Municipality.code == WorkforceCount.municipality_code)
        .join(Organisation, Organisation.id == WorkforceCount.organisation_id)
        .where(WorkforceCount.peildatum == peildatum, Submission.superseded_by.is_(None))
        .group_by(*keys)
    )
    return [(*row[:-2], float(row[-2]), bool(row[-1])) for row in session.execute(query)]


def _cells(session: Session, peildatum: date, by: Sequence[CountKey]) -> list[tuple[Any, ...]]:
    cells = current_fte_counts(session, peildatum, by)
    if not cells:
        known = ", ".join(str(d.year) for d in peildata(session)) or "geen"
        raise NotFound(
            f"geen fte-tellingen voor peildatum {date_text(peildatum)} (jaren met tellingen: "
            f"{known})"
        )
    return cells


def _split(cells: Iterable[tuple[Any, ...]], randstad: Collection[str]) -> dict[str, list[float]]:
    """key -> [fte, of which in the Randstad], for cells ``(province, key, fte, synthetic)``."""
    found: dict[str, list[float]] = {}
    for province, key, fte, _ in cells:
        total = found.setdefault(key, [0.0, 0.0])
        total[0] += fte
        total[1] += fte if province in randstad else 0.0
    return found


def _rows(
    session: Session, cells: list[tuple[Any, ...]], randstad: tuple[str, ...], by: By
) -> tuple[ProvinceRow, ...] | tuple[SectorRow, ...] | tuple[MinistryRow, ...]:
    if by == "province":
        names = dict(session.execute(select(Province.code, Province.name)).all())
        per_province = {code: 0.0 for code in names}
        for province, _key, fte, _ in cells:
            per_province[province] += fte
        return tuple(
            ProvinceRow(code, names[code], fte, code in randstad)
            for code, fte in sorted(per_province.items())
        )
    split = _split(cells, randstad)
    if by == "ministry":
        names = dict(session.execute(select(Ministry.code, Ministry.name)).all())
        return tuple(
            MinistryRow(code, names.get(code, code), t, r) for code, (t, r) in sorted(split.items())
        )
    order = list(Sector)
    return tuple(
        SectorRow(s, t, r) for s, (t, r) in sorted(split.items(), key=lambda i: order.index(i[0]))
    )


def distribution(
    session: Session, year: int, randstad: Collection[str], by: By = "province"
) -> Distribution:
    """The fte on 1 January of ``year`` per province (all twelve), per sector or per ministry."""
    peildatum = date(year, 1, 1)
    key: CountKey = "ministry" if by == "ministry" else "sector"
    cells = _cells(session, peildatum, ("province", key))
    randstad = tuple(sorted(randstad))
    return Distribution(
        peildatum=peildatum,
        total_fte=sum(c[2] for c in cells),
        randstad_fte=sum(c[2] for c in cells if c[0] in randstad),
        synthetic=any(c[3] for c in cells),
        randstad=randstad,
        rows=_rows(session, cells, randstad, by),
    )


def province_sector(session: Session, year: int) -> dict[tuple[str, str], float]:
    """The fte on 1 January of ``year`` per (province code, sector); absent cells are 0."""
    cells = _cells(session, date(year, 1, 1), ("province", "sector"))
    return {(province, sector): fte for province, sector, fte, _ in cells}


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """The total fte and the fte in the Randstad on one peildatum."""

    peildatum: date
    total_fte: float
    randstad_fte: float
    synthetic: bool

    @property
    def randstad_share(self) -> float:
        """The Randstad's share of the total (0 when there is nothing)."""
        return self.randstad_fte / self.total_fte if self.total_fte else 0.0


def series(session: Session, randstad: Collection[str]) -> list[SeriesPoint]:
    """The total and the Randstad's fte on every peildatum in the store, oldest first."""
    points = []
    for peildatum in peildata(session):
        cells = current_fte_counts(session, peildatum, ("province",))
        if cells:
            points.append(
                SeriesPoint(
                    peildatum,
                    sum(c[1] for c in cells),
                    sum(c[1] for c in cells if c[0] in randstad),
                    any(c[2] for c in cells),
                )
            )
    return points


# -- where a projection starts -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StartCounts:
    """The fte a projection starts from: per organisation, sector and province, plain numbers.

    ``cells`` are ``(organisation code, sector, province code, fte)``; ``source`` names the
    store they were read from (without a password).
    """

    peildatum: date
    cells: tuple[tuple[str, str, str, float], ...]
    synthetic: bool
    source: str


def complete_peildata(delivered: Iterable[tuple[date, str]]) -> list[date]:
    """Every peildatum for which each ministry that delivered the year before delivered.

    Deliveries for a new year come in over March and April: until the last ministry has
    delivered, that year is a fraction of the country and no place to start a projection,
    nor a year to check one against. Oldest first; the oldest peildatum counts as complete.
    """
    by_date: dict[date, set[str]] = {}
    for peildatum, ministry in delivered:
        by_date.setdefault(peildatum, set()).add(ministry)
    dates = sorted(by_date)
    return [d for i, d in enumerate(dates) if i == 0 or by_date[dates[i - 1]] <= by_date[d]]


def latest_complete_peildatum(delivered: Iterable[tuple[date, str]]) -> date | None:
    """The newest of :func:`complete_peildata`, or None when nothing was delivered."""
    complete = complete_peildata(delivered)
    return complete[-1] if complete else None


def _delivered(session: Session) -> list[tuple[date, str]]:
    rows = session.execute(
        select(Submission.peildatum, Submission.ministry_code)
        .where(Submission.superseded_by.is_(None))
        .distinct()
    ).all()
    return [(d, m) for d, m in rows]


def store_complete_peildata(session: Session) -> list[date]:
    """The complete peildata in the store (see :func:`complete_peildata`), oldest first."""
    return complete_peildata(_delivered(session))


def start_counts(session: Session, year: int | None = None) -> StartCounts:
    """The current fte per organisation and province on a complete peildatum.

    ``year`` picks the peildatum 1 January of that year; by default the newest complete one.
    Raises NotFound when the store holds no counts at all, InvalidInput naming the complete
    peildata when ``year`` is not one of them.
    """
    complete = store_complete_peildata(session)
    if not complete:
        raise NotFound(
            "geen fte-tellingen om van uit te gaan: laad eerst de leveringen van een peildatum "
            "(of de demodata met 'spreiding init --demo')"
        )
    start = complete[-1]
    if year is not None:
        start = date(year, 1, 1)
        if start not in complete:
            known = ", ".join(str(d.year) for d in complete)
            raise InvalidInput(
                f"startjaar {year}: peildatum 1 januari {year} is niet volledig geleverd "
                f"(volledig: {known})"
            )
    rows = current_fte_counts(session, start, ("organisation", "sector", "province"))
    bind = session.get_bind()
    return StartCounts(
        peildatum=start,
        cells=tuple((code, sector, province, fte) for code, sector, province, fte, _ in rows),
        synthetic=any(row[4] for row in rows),
        source=bind.engine.url.render_as_string(hide_password=True),
    )
