"""The yearly overview of regional opportunities (measure M5): grouped, written, drawn.

:func:`compile_overview` reads the opportunities of one inventory year and groups them per
province and region (:func:`build_overview`, pure); :func:`write_overview` writes the overview
that ministries browse (Markdown, a self-contained HTML page and JSON, with maps of the number
of opportunities per province and per COROP region); :func:`count_table` gives the counts per
region as table rows. The Prefect flow that runs this every year is
:mod:`spreiding.flows.opportunities`.
"""

from __future__ import annotations

import base64
import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Template

from spreiding.core import templates
from spreiding.geography.reference import gazetteer
from spreiding.models.tables import RegionalOpportunity, RegionLevel
from spreiding.opportunities.store import (
    KIND_LABELS,
    SYNTHETIC_LABEL,
    Region,
    is_synthetic,
    list_opportunities,
    region_of_code,
)

if TYPE_CHECKING:
    from sqlmodel import Session

# Counts label the regions as whole numbers; the colour bar's in-between ticks keep their
# decimals ("0,5") instead of being rounded to repeated whole numbers.
COUNT_FORMAT = "{:g}"
KIND_PLURALS = {"province": "provincies", "municipality": "gemeenten", "ministry": "ministeries"}


# --- the overview ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """One opportunity as the overview shows it."""

    id: int | None
    theme: str
    description: str
    submitted_by_kind: str
    submitted_by: str
    contact: str | None

    @property
    def submitter(self) -> str:
        """Who put it forward, in words: ``gemeente Enschede``, ``ministerie EZ``."""
        return f"{KIND_LABELS[self.submitted_by_kind]} {self.submitted_by}"


@dataclass(frozen=True, slots=True)
class RegionGroup:
    """The opportunities of one region (a whole province or one COROP region)."""

    region: Region
    entries: tuple[Entry, ...]

    @property
    def whole_province(self) -> bool:
        """Whether the entries are for the province as a whole."""
        return self.region.level == RegionLevel.PROVINCE.value


@dataclass(frozen=True, slots=True)
class ProvinceSection:
    """A province with its own opportunities first, then those of its COROP regions."""

    code: str
    name: str
    groups: tuple[RegionGroup, ...]

    @property
    def total(self) -> int:
        """All opportunities in the province, COROP regions included."""
        return sum(len(group.entries) for group in self.groups)

    @property
    def corop_total(self) -> int:
        """The opportunities registered for one of its COROP regions."""
        return sum(len(group.entries) for group in self.groups if not group.whole_province)


@dataclass(frozen=True, slots=True)
class ThemeLine:
    """A theme (core quality) with how often and where it was put forward."""

    theme: str
    count: int
    regions: tuple[Region, ...]


@dataclass(frozen=True, slots=True)
class Overview:
    """The inventory of one year, grouped per province and region, with a theme index."""

    year: int
    synthetic: bool
    provinces: tuple[ProvinceSection, ...]  # all twelve, in CBS code order
    themes: tuple[ThemeLine, ...]  # most frequent first
    by_kind: tuple[tuple[str, int], ...]  # (SubmitterKind value, count), most first

    @property
    def total(self) -> int:
        """The number of opportunities in the overview."""
        return sum(section.total for section in self.provinces)

    @property
    def regions(self) -> tuple[RegionGroup, ...]:
        """Every region that has opportunities, province by province."""
        return tuple(group for section in self.provinces for group in section.groups)

    def province_counts(self) -> dict[str, int]:
        """Opportunities per province (COROP entries counted in their province), zeros too."""
        return {section.code: section.total for section in self.provinces}

    def corop_counts(self) -> dict[str, int]:
        """Opportunities registered for a COROP region, per COROP region, zeros too.

        A region without opportunities is a 0 on the map, not "geen gegevens".
        """
        counts = {code: 0 for code in gazetteer().corop_regions}
        for group in self.regions:
            if not group.whole_province:
                counts[group.region.code] = len(group.entries)
        return counts

    def to_json(self) -> dict[str, Any]:
        """The overview as JSON (schema in the README)."""
        return {
            "year": self.year,
            "synthetic": self.synthetic,
            "total": self.total,
            "provinces": [
                {
                    "code": s.code,
                    "name": s.name,
                    "total": s.total,
                    "regions": [_group_json(group) for group in s.groups],
                }
                for s in self.provinces
            ],
            "themes": [
                {"theme": t.theme, "count": t.count, "regions": [r.code for r in t.regions]}
                for t in self.themes
            ],
            "submitted_by_kind": dict(self.by_kind),
        }


def _group_json(group: RegionGroup) -> dict[str, Any]:
    return {
        "level": group.region.level,
        "code": group.region.code,
        "name": group.region.name,
        "count": len(group.entries),
        "opportunities": [
            {
                "id": e.id,
                "theme": e.theme,
                "description": e.description,
                "submitted_by_kind": e.submitted_by_kind,
                "submitted_by": e.submitted_by,
                "contact": e.contact,
            }
            for e in group.entries
        ],
    }


def _entry(row: RegionalOpportunity) -> Entry:
    return Entry(
        row.id, row.theme, row.description, row.submitted_by_kind, row.submitted_by, row.contact
    )


def build_overview(year: int, rows: Sequence[RegionalOpportunity], *, synthetic: bool) -> Overview:
    """Group ``rows`` (one year's opportunities) per province and region; pure."""
    per_region: dict[str, list[Entry]] = defaultdict(list)
    for row in rows:
        per_region[row.region_code].append(_entry(row))
    sections = []
    for province in gazetteer().provinces.values():
        codes = [province.code] + [
            c.code for c in gazetteer().corop_regions.values() if c.province_code == province.code
        ]
        groups = tuple(
            RegionGroup(region_of_code(code), tuple(per_region[code]))
            for code in codes
            if per_region.get(code)
        )
        sections.append(ProvinceSection(province.code, province.name, groups))
    kinds = Counter(row.submitted_by_kind for row in rows)
    return Overview(
        year=year,
        synthetic=synthetic,
        provinces=tuple(sections),
        themes=_themes(rows),
        by_kind=tuple(sorted(kinds.items(), key=lambda item: (-item[1], item[0]))),
    )


def _themes(rows: Sequence[RegionalOpportunity]) -> tuple[ThemeLine, ...]:
    """Themes grouped regardless of case, shown in their most used spelling."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    regions: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        key = row.theme.casefold()
        spellings[key][row.theme] += 1
        regions[key].add(row.region_code)
    lines = [
        ThemeLine(
            theme=min(names, key=lambda name: (-names[name], name)),
            count=names.total(),
            regions=tuple(
                sorted(
                    (region_of_code(code) for code in regions[key]),
                    key=lambda r: (r.province_code, r.level != RegionLevel.PROVINCE.value, r.code),
                )
            ),
        )
        for key, names in spellings.items()
    ]
    return tuple(sorted(lines, key=lambda line: (-line.count, line.theme.casefold())))


def compile_overview(session: Session, year: int) -> Overview:
    """The overview of ``year`` from the store."""
    rows = list_opportunities(session, year=year)
    return build_overview(year, rows, synthetic=is_synthetic(rows))


# --- writing ---------------------------------------------------------------------------------


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _template(name: str) -> Template:
    template = templates.template("spreiding.opportunities", name)
    template.globals.update(plural=_plural, kind_plurals=KIND_PLURALS)
    return template


def _note(overview: Overview) -> str:
    if overview.synthetic:
        return SYNTHETIC_LABEL
    return f"Bron: inventarisatie regionale kansen {overview.year} (maatregel M5)"


def render_markdown(overview: Overview, maps: Mapping[str, str] | None = None) -> str:
    """The overview in Markdown; ``maps`` names the map images (``province``, ``corop``)."""
    template = _template("opportunities.md.j2")
    return template.render(o=overview, maps=maps or {}, note=_note(overview))


def render_html(overview: Overview, maps: Mapping[str, Path] | None = None) -> str:
    """The overview as one self-contained HTML page: the SVG maps are embedded."""
    images = {
        name: "data:image/svg+xml;base64," + base64.b64encode(path.read_bytes()).decode("ascii")
        for name, path in (maps or {}).items()
    }
    template = _template("opportunities.html.j2")
    return template.render(o=overview, maps=images, note=_note(overview))


def draw_maps(overview: Overview, out_dir: Path, stem: str) -> dict[str, list[Path]]:
    """Maps of the number of opportunities per province and per COROP region (PNG and SVG)."""
    from spreiding.geography.maps import draw_map

    note = _note(overview)
    return {
        "province": draw_map(
            overview.province_counts(),
            level="province",
            title=f"Regionale kansen {overview.year} per provincie",
            legend="aantal kansen (kansen van COROP-gebieden meegeteld)",
            out=out_dir / f"{stem}-provincies",
            note=note,
            value_format=COUNT_FORMAT,
        ),
        "corop": draw_map(
            overview.corop_counts(),
            level="corop",
            title=f"Regionale kansen {overview.year} per COROP-gebied",
            legend="aantal kansen voor een COROP-gebied",
            out=out_dir / f"{stem}-corop",
            note=note,
            value_format=COUNT_FORMAT,
        ),
    }


def write_overview(overview: Overview, out_dir: Path) -> dict[str, Path]:
    """Write the Markdown, HTML and JSON overview and the maps into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"regionale-kansen-{overview.year}"
    maps = draw_maps(overview, out_dir, stem)
    svg = {name: next(p for p in paths if p.suffix == ".svg") for name, paths in maps.items()}
    png = {name: next(p for p in paths if p.suffix == ".png") for name, paths in maps.items()}
    written = {
        "markdown": out_dir / f"{stem}.md",
        "html": out_dir / f"{stem}.html",
        "json": out_dir / f"{stem}.json",
    }
    written["markdown"].write_text(
        render_markdown(overview, {name: path.name for name, path in png.items()}),
        encoding="utf-8",
    )
    written["html"].write_text(render_html(overview, svg), encoding="utf-8")
    written["json"].write_text(
        json.dumps(overview.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    for name in maps:
        written[f"map-{name}-png"] = png[name]
        written[f"map-{name}-svg"] = svg[name]
    return written


def count_table(overview: Overview) -> list[dict[str, Any]]:
    """One row per region with opportunities: the table artifact."""
    return [
        {
            "provincie": group.region.province_name,
            "regio": group.region.name,
            "niveau": "provincie" if group.whole_province else "COROP-gebied",
            "code": group.region.code,
            "kansen": len(group.entries),
            "thema's": ", ".join(sorted({e.theme for e in group.entries}, key=str.casefold)),
        }
        for group in overview.regions
    ]
