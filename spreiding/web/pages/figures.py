"""Cijfers: the distribution of rijkswerkgelegenheid per peildatum, with the change from the
year before, per province, sector and ministry, and each table as a CSV download.

The figures come from :func:`spreiding.models.figures.distribution`, as ``figures show`` and
the report's; numbers are written the Dutch way (:mod:`spreiding.core.dutch`), in the CSV too
(``;`` and a decimal comma, for Dutch Excel).
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from spreiding.core import dutch
from spreiding.core.synthetic import SYNTHETIC_MARK
from spreiding.models.figures import FIRST_YEAR, LAST_YEAR, Distribution, distribution, peildata
from spreiding.web.deps import SessionDep, StateDep
from spreiding.web.pages.common import PageNotFound, ViewerDep, render, year_filter

router = APIRouter()
BY = {"provincie": "province", "sector": "sector", "ministerie": "ministry"}
HEADINGS = {"provincie": "Per provincie", "sector": "Per sector", "ministerie": "Per ministerie"}
SECTOR_NAMES = {
    "ministeries": "Ministeries",
    "politie": "Politie",
    "rechtspraak": "Rechtspraak",
    "gevangeniswezen": "Gevangeniswezen",
    "defensie": "Defensie",
    "zbo": "Zelfstandige bestuursorganen",
}


@dataclass(frozen=True)
class Line:
    """One row of a table: a name, this year's fte, last year's and the change."""

    key: str
    name: str
    fte: float
    previous: float | None
    randstad: bool = False

    @property
    def change(self) -> float | None:
        return None if self.previous is None else self.fte - self.previous

    @property
    def change_share(self) -> float | None:
        if self.previous in (None, 0):
            return None
        return (self.fte - self.previous) / self.previous  # type: ignore[operator]


def _name(row: Any) -> tuple[str, str]:
    if hasattr(row, "province_code"):
        return row.province_code, row.name
    if hasattr(row, "ministry_code"):
        return row.ministry_code, row.name
    return row.sector, SECTOR_NAMES.get(row.sector, row.sector)


def _lines(now: Distribution, before: Distribution | None) -> list[Line]:
    previous = {}
    if before is not None:
        previous = {_name(r)[0]: r.fte for r in before.rows}
    return [
        Line(key, name, r.fte, previous.get(key) if before else None, getattr(r, "randstad", False))
        for r in now.rows
        for key, name in [_name(r)]
    ]


def _tables(
    session: Any, state: Any, year: int
) -> tuple[dict[str, list[Line]], Distribution, Distribution | None]:
    known = {d.year for d in peildata(session)}
    if year not in known:
        raise PageNotFound(f"Er zijn geen cijfers voor peildatum 1 januari {year}.")
    randstad = state.settings.randstad
    tables, first, first_before = {}, None, None
    for slug, by in BY.items():
        now = distribution(session, year, randstad, by=by)  # type: ignore[arg-type]
        before = distribution(session, year - 1, randstad, by=by) if year - 1 in known else None  # type: ignore[arg-type]
        tables[slug] = _lines(now, before)
        if first is None:
            first, first_before = now, before
    assert first is not None
    return tables, first, first_before


def _year(session: Any, jaar: int | None) -> int:
    if jaar is not None:
        return jaar
    known = peildata(session)
    if not known:
        raise PageNotFound("Er zijn nog geen cijfers: laad eerst de leveringen van een peildatum.")
    return known[-1].year


@router.get("/cijfers")
def figures_page(
    request: Request,
    session: SessionDep,
    state: StateDep,
    viewer: ViewerDep,
    jaar: str = "",  # any text: one that is no year gets its message at the field
) -> Response:
    """The tables for one peildatum, with the change from the year before; a ``jaar`` that
    is no year shows the latest, with the message at the field."""
    asked, wrong = year_filter(jaar)
    year = _year(session, asked)
    tables, total, before = _tables(session, state, year)
    return render(
        request,
        session,
        "figures.html.j2",
        viewer,
        title=f"Cijfers 1 januari {year}",
        year=year,
        years=[d.year for d in peildata(session)],
        tables=tables,
        headings=HEADINGS,
        total=total,
        before=before,
        randstad_change=(total.randstad_share - before.randstad_share) if before else None,
        errors={"jaar": wrong} if wrong else {},
        status_code=422 if wrong else 200,
    )


@lru_cache(maxsize=32)
def _map_svg(year: int, values: tuple[tuple[str, float], ...], synthetic: bool) -> bytes:
    """The choropleth of fte per province (drawn once per set of values)."""
    from spreiding.geography.maps import draw_map  # matplotlib: only when a map is asked for

    with tempfile.TemporaryDirectory(prefix="spreiding-map-") as folder:
        (path,) = draw_map(
            dict(values),
            title=f"Rijkswerkgelegenheid per provincie, 1 januari {year}",
            legend="fte",
            out=Path(folder) / "kaart",
            formats=("svg",),
            note=SYNTHETIC_MARK if synthetic else None,
        )
        return path.read_bytes()


@router.get("/cijfers/kaart.svg")
def figures_map(
    session: SessionDep,
    state: StateDep,
    viewer: ViewerDep,
    jaar: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR),
) -> Response:
    """The map of the Netherlands with the fte per province on the peildatum."""
    year = _year(session, jaar)
    if year not in {d.year for d in peildata(session)}:
        raise PageNotFound(f"Er zijn geen cijfers voor peildatum 1 januari {year}.")
    now = distribution(session, year, state.settings.randstad, by="province")
    values = tuple((r.province_code, round(r.fte)) for r in now.rows)  # type: ignore[union-attr]
    return Response(
        _map_svg(year, values, now.synthetic),
        media_type="image/svg+xml",
        headers={"cache-control": "no-store"},
    )


@router.get("/cijfers.csv")
def figures_csv(
    session: SessionDep,
    state: StateDep,
    viewer: ViewerDep,
    jaar: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR),
    per: str = Query("provincie", max_length=16),
) -> Response:
    """One table as CSV (``;``, decimal comma); synthetic data says so in its first line."""
    if per not in BY:
        raise PageNotFound(f"Geen tabel {per!r}; kies provincie, sector of ministerie.")
    year = _year(session, jaar)
    tables, total, _before = _tables(session, state, year)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    if total.synthetic:
        writer.writerow([SYNTHETIC_MARK])
    writer.writerow([per, "naam", f"fte_{year}", f"fte_{year - 1}", "verschil", "verschil_pct"])
    for line in tables[per]:
        writer.writerow(
            [
                line.key,
                line.name,
                dutch.number(line.fte, 1),
                "" if line.previous is None else dutch.number(line.previous, 1),
                "" if line.change is None else dutch.number(line.change, 1),
                "" if line.change_share is None else dutch.number(line.change_share * 100, 1),
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "content-disposition": f'attachment; filename="cijfers-{year}-per-{per}.csv"',
            "cache-control": "no-store",
        },
    )
