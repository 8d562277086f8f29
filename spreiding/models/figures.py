"""The fte distribution on a peildatum: per province or per sector, with the Randstad share.

Only current submissions count: a delivery that a ministry replaced is kept for the history
but left out here. Which provinces form the Randstad is a setting passed in by the caller,
never a literal in a query.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass
from datetime import date
from typing import Literal

from sqlalchemy import case, func, select
from sqlmodel import Session

from spreiding.core.errors import NotFound
from spreiding.models.tables import (
    Municipality,
    Organisation,
    Province,
    Sector,
    Submission,
    WorkforceCount,
)

By = Literal["province", "sector"]


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
class Distribution:
    """The distribution of fte on one peildatum."""

    peildatum: date
    total_fte: float
    randstad_fte: float
    synthetic: bool
    randstad: tuple[str, ...]
    rows: tuple[ProvinceRow, ...] | tuple[SectorRow, ...]

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


def distribution(
    session: Session, year: int, randstad: Collection[str], by: By = "province"
) -> Distribution:
    """The fte on 1 January of ``year`` per province (all twelve) or per sector."""
    peildatum = date(year, 1, 1)
    current = (
        select(
            Municipality.province_code,
            Organisation.sector,
            func.sum(WorkforceCount.fte),
            func.max(case((Submission.synthetic, 1), else_=0)),
        )
        .join(Submission, Submission.id == WorkforceCount.submission_id)
        .join(Municipality, Municipality.code == WorkforceCount.municipality_code)
        .join(Organisation, Organisation.id == WorkforceCount.organisation_id)
        .where(WorkforceCount.peildatum == peildatum, Submission.superseded_by.is_(None))
        .group_by(Municipality.province_code, Organisation.sector)
    )
    cells = [(p, s, float(fte), bool(syn)) for p, s, fte, syn in session.execute(current)]
    if not cells:
        known = ", ".join(str(d.year) for d in peildata(session)) or "none"
        raise NotFound(f"no fte counts for peildatum 1-1-{year} (years with counts: {known})")
    randstad = tuple(sorted(randstad))
    rows: tuple[ProvinceRow, ...] | tuple[SectorRow, ...]
    if by == "province":
        names = dict(session.execute(select(Province.code, Province.name)).all())
        per_province = {code: 0.0 for code in names}
        for province, _sector, fte, _ in cells:
            per_province[province] += fte
        rows = tuple(
            ProvinceRow(code, names[code], fte, code in randstad)
            for code, fte in sorted(per_province.items())
        )
    else:
        per_sector: dict[str, list[float]] = {}
        for province, sector, fte, _ in cells:
            total = per_sector.setdefault(sector, [0.0, 0.0])
            total[0] += fte
            total[1] += fte if province in randstad else 0.0
        order = list(Sector)
        rows = tuple(
            SectorRow(s, t, r)
            for s, (t, r) in sorted(per_sector.items(), key=lambda item: order.index(item[0]))
        )
    return Distribution(
        peildatum=peildatum,
        total_fte=sum(c[2] for c in cells),
        randstad_fte=sum(c[2] for c in cells if c[0] in randstad),
        synthetic=any(c[3] for c in cells),
        randstad=randstad,
        rows=rows,
    )
