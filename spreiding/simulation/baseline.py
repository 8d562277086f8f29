"""The start of a projection: fte per organisation per province on one peildatum.

The simulation takes numbers and never reads the store. Whoever runs it (``spreiding
simulate`` in :mod:`spreiding.cli.simulation`, the flow in :mod:`spreiding.flows.projection`)
reads the counts with :func:`spreiding.models.figures.start_counts` (the newest complete
peildatum, current deliveries only, per organisation, sector and province) and the weights
of the regional opportunities (measure M5) with
:func:`spreiding.opportunities.store.regional_weights`, and builds a :class:`Baseline` from
those plain values with :meth:`Baseline.from_cells`. Where organisations are not known, the
same structure can be built per sector per province.

Without opportunity weights (``None``) the model spreads growth that follows the principles
evenly over the provinces outside the Randstad.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from spreiding.core.errors import InvalidInput
from spreiding.core.settings import PROVINCE_CODES
from spreiding.simulation.pipeline import KnownPlan

SECTORS = ("ministeries", "politie", "rechtspraak", "gevangeniswezen", "defensie", "zbo")


@dataclass(frozen=True)
class Observed:
    """What the store says about one complete peildatum: the total and the Randstad share."""

    peildatum: date
    total_fte: float
    randstad_share: float


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
    history: tuple[Observed, ...] = ()
    """The observed total and Randstad share on every complete peildatum in the store
    (before and after ``peildatum``): drawn in the fan chart, used by the backtest."""
    past: tuple[tuple[int, str, str, float], ...] = ()
    """``(year, sector, province, fte)`` on every complete peildatum up to and including
    ``peildatum``, never later: what the reference growth may be fitted on."""
    pipeline: tuple[KnownPlan, ...] = ()
    """The open and decided cases of the store, taken from their state on ``known_on``
    (:mod:`.pipeline`); empty for a backtest, which must not know later cases."""
    known_on: date | None = None
    """The day the pipeline was read (today)."""

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
    def data_hash(self) -> str:
        """SHA-256 of the canonical JSON of the input data: the start counts, the Randstad,
        the opportunity weights and the observed history (beside the parameter hash)."""
        data = {
            "peildatum": self.peildatum.isoformat(),
            "provinces": list(self.provinces),
            "randstad": list(self.randstad),
            "units": list(self.units),
            "sectors": list(self.sectors),
            "fte": [[round(v, 6) for v in row] for row in self.fte],
            "opportunities": dict(sorted((self.opportunities or {}).items())),
            "past": [[y, s, p, round(v, 6)] for y, s, p, v in self.past],
            "history": [
                [o.peildatum.isoformat(), round(o.total_fte, 6), round(o.randstad_share, 9)]
                for o in self.history
            ],
        }
        if self.pipeline:
            data["pipeline"] = [plan.to_json() for plan in self.pipeline]
            data["known_on"] = self.known_on.isoformat() if self.known_on else None
        text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def observed(self, year: int) -> Observed | None:
        """The observation on 1 January ``year``, if the store has a complete one."""
        return next((o for o in self.history if o.peildatum.year == year), None)

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
        history: Iterable[Observed] = (),
        past: Iterable[tuple[int, str, str, float]] = (),
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
            history=tuple(history),
            past=tuple(sorted(p for p in past if p[0] <= peildatum.year)),
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
