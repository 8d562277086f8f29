"""The start of a projection: fte per organisation per province on the latest peildatum.

:func:`load_baseline` reads the store: the newest peildatum with current counts (a delivery
that a ministry replaced does not count), summed per organisation and province, with each
organisation's sector. Where organisations are not known, :meth:`Baseline.from_cells` builds
the same structure per sector per province.

The weights of regions with registered opportunities (measure M5, the yearly inventory) come
through one hook, :func:`load_regional_opportunities`; with no opportunities registered it
returns ``None`` and the model spreads evenly over the provinces outside the Randstad. A caller
may also pass its own mapping of province -> weight.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from spreiding.core.errors import InvalidInput, NotFound
from spreiding.core.settings import PROVINCE_CODES

SECTORS = ("ministeries", "politie", "rechtspraak", "gevangeniswezen", "defensie", "zbo")

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session


@dataclass(frozen=True)
class Baseline:
    """The fte matrix the simulation starts from, and where it came from.

    ``fte[i][j]`` is the fte of unit ``units[i]`` (an organisation code, or a sector where
    organisations are unknown) in province ``provinces[j]`` on ``peildatum``.
    """

    peildatum: date
    provinces: tuple[str, ...]
    randstad: tuple[str, ...]
    units: tuple[str, ...]
    sectors: tuple[str, ...]
    fte: tuple[tuple[float, ...], ...]
    synthetic: bool = False
    source: str = "onbekend"
    opportunities: Mapping[str, float] | None = field(default=None)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.randstad) - set(self.provinces))
        if unknown:
            raise InvalidInput(f"Randstad province {unknown[0]} is not among the provinces")
        if len(self.units) != len(self.fte) or len(self.units) != len(self.sectors):
            raise InvalidInput("baseline: units, sectors and fte rows differ in number")
        unknown = sorted(set(self.sectors) - set(SECTORS))
        if unknown:
            raise InvalidInput(f"baseline: unknown sector {unknown[0]!r}; sectors: {SECTORS}")
        if self.opportunities is not None:
            check_opportunities(self.opportunities, self.provinces, self.randstad)

    @property
    def total_fte(self) -> float:
        """All fte on the peildatum."""
        return sum(sum(row) for row in self.fte)

    def province_totals(self) -> dict[str, float]:
        """Fte per province on the peildatum."""
        return {p: sum(row[j] for row in self.fte) for j, p in enumerate(self.provinces)}

    @property
    def randstad_share(self) -> float:
        """The share of fte in the Randstad on the peildatum."""
        totals = self.province_totals()
        return sum(totals[p] for p in self.randstad) / self.total_fte

    @classmethod
    def from_cells(
        cls,
        cells: Iterable[tuple[str, str, str, float]],
        *,
        peildatum: date,
        randstad: Iterable[str],
        synthetic: bool = False,
        source: str = "onbekend",
        opportunities: Mapping[str, float] | None = None,
    ) -> Baseline:
        """Build from ``(unit, sector, province, fte)`` cells; use the sector as unit if needed."""
        provinces = PROVINCE_CODES
        rows: dict[str, list[float]] = {}
        sectors: dict[str, str] = {}
        for unit, sector, province, fte in cells:
            if province not in provinces:
                raise InvalidInput(f"baseline: unknown province code {province!r}")
            rows.setdefault(unit, [0.0] * len(provinces))[provinces.index(province)] += fte
            sectors[unit] = sector
        if not rows:
            raise InvalidInput("baseline: no fte to start from")
        units = tuple(sorted(rows))
        return cls(
            peildatum=peildatum,
            provinces=provinces,
            randstad=tuple(sorted(randstad)),
            units=units,
            sectors=tuple(sectors[u] for u in units),
            fte=tuple(tuple(rows[u]) for u in units),
            synthetic=synthetic,
            source=source,
            opportunities=opportunities,
        )


def check_opportunities(
    weights: Mapping[str, float], provinces: Iterable[str], randstad: Iterable[str]
) -> None:
    """Refuse weights for unknown provinces, negative weights, or none outside the Randstad."""
    provinces, randstad = set(provinces), set(randstad)
    for code, weight in weights.items():
        if code not in provinces:
            raise InvalidInput(f"regional opportunities: unknown province code {code!r}")
        if not weight >= 0:
            raise InvalidInput(f"regional opportunities: weight of {code} must be >= 0")
    if not any(w > 0 for c, w in weights.items() if c not in randstad):
        raise InvalidInput(
            "regional opportunities: no province outside the Randstad has a weight above 0"
        )


def load_regional_opportunities(
    session: Session, randstad: Iterable[str]
) -> dict[str, float] | None:
    """Hook: province -> weight from the latest inventory of regional opportunities (M5).

    Reads :func:`spreiding.opportunities.store.opportunity_weights` (a province's share of the
    registered opportunities). Returns ``None`` — spread evenly over the provinces outside
    the Randstad — when no opportunities are registered outside the Randstad.
    """
    from spreiding.opportunities.store import opportunity_weights

    inside = set(randstad)
    weights = {c: w for c, w in opportunity_weights(session).items() if c not in inside and w > 0}
    return weights or None


def latest_complete_peildatum(delivered: Iterable[tuple[date, str]]) -> date | None:
    """The newest peildatum for which every ministry that delivered the year before delivered.

    Deliveries for a new year come in over March and April: until the last ministry has
    delivered, that year is a fraction of the country and no place to start a projection.
    """
    by_date: dict[date, set[str]] = {}
    for peildatum, ministry in delivered:
        by_date.setdefault(peildatum, set()).add(ministry)
    dates = sorted(by_date)
    for i in range(len(dates) - 1, -1, -1):
        if i == 0 or by_date[dates[i - 1]] <= by_date[dates[i]]:
            return dates[i]
    return None


def load_baseline(
    engine: Engine,
    *,
    randstad: Iterable[str] | None = None,
    opportunities: Mapping[str, float] | None = None,
) -> Baseline:
    """The latest peildatum's current fte per organisation and province, from the store."""
    from sqlalchemy import case, func, select

    from spreiding.core.settings import get_settings
    from spreiding.models.db import session_scope
    from spreiding.models.tables import Municipality, Organisation, Submission, WorkforceCount

    current = Submission.superseded_by.is_(None)
    with session_scope(engine) as session:
        delivered = session.execute(
            select(Submission.peildatum, Submission.ministry_code).where(current).distinct()
        ).all()
        latest = latest_complete_peildatum(delivered)
        if latest is None:
            raise NotFound(
                "no fte counts to start from: load deliveries, or run 'spreiding init --demo'"
            )
        query = (
            select(
                Organisation.code,
                Organisation.sector,
                Municipality.province_code,
                func.sum(WorkforceCount.fte),
                func.max(case((Submission.synthetic, 1), else_=0)),
            )
            .join(Submission, Submission.id == WorkforceCount.submission_id)
            .join(Municipality, Municipality.code == WorkforceCount.municipality_code)
            .join(Organisation, Organisation.id == WorkforceCount.organisation_id)
            .where(WorkforceCount.peildatum == latest, current)
            .group_by(Organisation.code, Organisation.sector, Municipality.province_code)
        )
        rows = list(session.execute(query))
        randstad = tuple(randstad if randstad is not None else get_settings().randstad)
        if opportunities is None:
            opportunities = load_regional_opportunities(session, randstad)
    cells = [(code, sector, province, float(fte)) for code, sector, province, fte, _ in rows]
    return Baseline.from_cells(
        cells,
        peildatum=latest,
        randstad=randstad,
        synthetic=any(bool(row[4]) for row in rows),
        source=engine.url.render_as_string(hide_password=True),
        opportunities=opportunities,
    )
