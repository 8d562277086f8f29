"""The yearly report to parliament on the spreading of rijkswerkgelegenheid.

:func:`gather_report` reads what the report needs from the store into a :class:`ReportData`
(the fte per province, per sector, per ministry and per province and sector on 1 January,
last year's figures when there are any, the series over every peildatum up to the year, and
which ministries delivered). Everything after that is pure given that data:
:func:`write_report` writes into one folder

- ``report.md`` and ``report.html`` (Jinja2 templates
  ``spreiding/inventory/templates/report.*.j2``; the
  HTML carries its own style and refers to the images next to it, so the folder is the report),
- ``per-provincie.csv``, ``per-sector.csv``, ``per-ministerie.csv``,
  ``per-provincie-en-sector.csv``, ``reeks.csv`` and, when ministries delivered prognoses,
  ``prognoses.csv`` (``;``-separated, decimal comma, UTF-8 with
  BOM: what Excel with Dutch settings opens without an import wizard; every share and change in
  percent, in columns named ``..._pct``),
- ``kaart-fte`` (a map of the fte per province), ``kaart-verandering`` and
  ``kaart-verandering-pct`` (the change from last year in fte and in percent, side by side,
  when known), ``staafdiagram-provincies`` (a bar chart) and ``reeks`` (the share outside the
  Randstad on every peildatum in the store, when there are two or more), each as PNG and SVG,
  each with a source line under it in the report.

The same data gives the same bytes: no dates or times of writing appear anywhere, the SVG ids
are salted with a fixed string and the SVG metadata carries no date. Texts are Dutch, numbers
written the Dutch way (336.270; 4,6%). Synthetic data is labelled "SYNTHETISCHE DEMODATA" at the
top of the report and on every chart.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.style
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
from sqlmodel import Session

from spreiding.core import dutch, templates
from spreiding.core.dutch import percentage, points, signed, whole
from spreiding.core.errors import NotFound
from spreiding.core.synthetic import SYNTHETIC_MARK
from spreiding.geography.maps import draw_map
from spreiding.models.demo import SYNTHETIC_LABEL
from spreiding.models.figures import (
    MinistryRow,
    ProvinceRow,
    SectorRow,
    SeriesPoint,
    distribution,
    province_sector,
    series,
)

SECTOR_NAMES = {
    "ministeries": "Ministeries en uitvoeringsorganisaties",
    "politie": "Politie",
    "rechtspraak": "Rechtspraak",
    "gevangeniswezen": "Gevangeniswezen",
    "defensie": "Defensie",
    "zbo": "Zelfstandige bestuursorganen (zbo's)",
}
MOVERS = 3  # how many provinces the report names as growing or shrinking most
RANDSTAD_COLOUR = "#0b4f8a"
OUTSIDE_COLOUR = "#e69f00"
# Fixed so that two runs write identical SVG: element ids are hashes salted with this.
_RC = {"svg.hashsalt": "spreiding-report", "svg.fonttype": "none"}
_METADATA = {"png": {}, "svg": {"Date": None}}
FORMATS = ("png", "svg")


@dataclass(frozen=True, slots=True)
class ProvinceLine:
    """One province in the report: fte now and (when known) a year earlier."""

    code: str
    name: str
    randstad: bool
    fte: float
    previous: float | None

    @property
    def change(self) -> float | None:
        """The change in fte from last year, None without last year's figures."""
        return None if self.previous is None else self.fte - self.previous

    @property
    def change_pct(self) -> float | None:
        """The change as a fraction of last year's fte (None when last year had none)."""
        return None if not self.previous else (self.fte - self.previous) / self.previous


@dataclass(frozen=True, slots=True)
class SectorLine:
    """One sector in the report: fte, and how much of it in the Randstad."""

    sector: str
    fte: float
    randstad_fte: float

    @property
    def name(self) -> str:
        """The sector's name as parliament reads it."""
        return SECTOR_NAMES.get(self.sector, self.sector)

    @property
    def outside_fte(self) -> float:
        """The fte outside the Randstad."""
        return self.fte - self.randstad_fte

    @property
    def randstad_share(self) -> float:
        """The share of this sector's fte in the Randstad."""
        return self.randstad_fte / self.fte if self.fte else 0.0


@dataclass(frozen=True, slots=True)
class MinistryLine:
    """One ministry in the report: the fte of its organisations, and in the Randstad."""

    code: str
    name: str
    fte: float
    randstad_fte: float

    @property
    def outside_share(self) -> float:
        """The share of this ministry's fte outside the Randstad (guiding principle 1)."""
        return (self.fte - self.randstad_fte) / self.fte if self.fte else 0.0


@dataclass(frozen=True, slots=True)
class PrognosisLine:
    """One ministry's prognoses, as the letter shows them: fte now and on later peildata."""

    code: str
    name: str
    fte: float  # on the report's peildatum
    prognoses: tuple[float | None, ...]  # per year of ReportData.prognosis_years; None: not given

    @property
    def last(self) -> float | None:
        """The prognosis for the last year given."""
        return next((v for v in reversed(self.prognoses) if v is not None), None)

    @property
    def change(self) -> float | None:
        """The change from now to the last prognosis, in fte."""
        return None if self.last is None else self.last - self.fte


SOURCE_LINE = "Bron: opgaven van de ministeries aan BZK, peildatum 1 januari {year}; bewerking BZK."
"""The source line under every chart and table of the report."""


@dataclass(frozen=True, slots=True)
class CaseLine:
    """One kind of plan among the year's location cases (the leidraad's evaluation)."""

    label: str
    cases: int
    in_scope: int
    decided: int
    advice_followed: int
    counter_proposals: int
    mr_escalations: int


@dataclass(frozen=True, slots=True)
class CaseYear:
    """The location cases registered in the twelve months before the report was written."""

    since: date
    until: date
    leidraad_version: str
    lines: tuple[CaseLine, ...]

    def total(self, name: str) -> int:
        """The sum of one column (``cases``, ``decided``, ...) over every kind of plan."""
        return sum(getattr(line, name) for line in self.lines)

    @property
    def source(self) -> str:
        """The source line under the table."""
        since, until = dutch.date_text(self.since), dutch.date_text(self.until)
        return (
            f"Bron: locatiezaken in spreiding, aangemeld van {since} tot en met {until}; "
            f"leidraad versie {self.leidraad_version}; bewerking BZK."
        )


def case_year_since(until: date) -> date:
    """The first day of the twelve months that end on ``until``."""
    try:
        return until.replace(year=until.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        return date(until.year - 1, 3, 1)


def case_year(evaluation: Mapping[str, Any], labels: Mapping[str, str]) -> CaseYear:
    """The year's cases from the leidraad's evaluation (``leidraad evaluate --json``)."""
    lines = tuple(
        CaseLine(
            label=labels.get(kind, kind),
            cases=row["cases"],
            in_scope=row["in_scope"],
            decided=row["decided"],
            advice_followed=row["advice_followed"],
            counter_proposals=row["counter_proposals"],
            mr_escalations=row["mr_escalations"],
        )
        for kind, row in evaluation["per_type"].items()
    )
    return CaseYear(
        since=date.fromisoformat(evaluation["since"]),
        until=date.fromisoformat(evaluation["today"]),
        leidraad_version=str(evaluation["leidraad_version"]),
        lines=lines,
    )


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the report shows; the report is a pure function of this."""

    year: int
    provinces: tuple[ProvinceLine, ...]
    sectors: tuple[SectorLine, ...]
    synthetic: bool
    delivered: tuple[tuple[str, str], ...] = ()  # (code, name) of ministries that delivered
    missing: tuple[tuple[str, str], ...] = ()  # (code, name) of ministries that did not
    has_previous: bool = field(default=False)
    ministries: tuple[MinistryLine, ...] = ()
    cross: tuple[tuple[str, str, float], ...] = ()
    """(province code, sector, fte): the province x sector table."""
    series: tuple[SeriesPoint, ...] = ()
    """The total and the Randstad's fte on every peildatum in the store."""
    prognosis_years: tuple[int, ...] = ()
    """The later peildata the ministries gave prognoses for, oldest first."""
    prognoses: tuple[PrognosisLine, ...] = ()
    """The ministries that gave prognoses in their current delivery, by code."""
    cases: CaseYear | None = None
    """The year's location cases; None when the report is written without them."""

    @property
    def prognosis_source(self) -> str:
        """The source line under the prognoses."""
        return (
            f"Bron: prognoses van de ministeries bij hun opgave voor peildatum 1 januari "
            f"{self.year}; bewerking BZK. Prognoses zijn verwachtingen, geen tellingen."
        )

    def prognosis_total(self, index: int) -> float | None:
        """The sum of the ministries' prognoses for one year; None when one did not give it."""
        values = [line.prognoses[index] for line in self.prognoses]
        return None if any(v is None for v in values) else math.fsum(v or 0.0 for v in values)

    @property
    def prognosis_fte(self) -> float:
        """The fte now of the ministries that gave prognoses."""
        return math.fsum(line.fte for line in self.prognoses)

    @property
    def source(self) -> str:
        """The source line under the charts and tables."""
        return SOURCE_LINE.format(year=self.year)

    def cell(self, province: str, sector: str) -> float:
        """The fte of ``sector`` in ``province`` (0 when none)."""
        return math.fsum(f for p, s, f in self.cross if p == province and s == sector)

    @property
    def series_years(self) -> str:
        """The first and last year of the series: "2019-2023"."""
        if not self.series:
            return ""
        first, last = self.series[0].peildatum.year, self.series[-1].peildatum.year
        return str(first) if first == last else f"{first}-{last}"

    @property
    def previous_year(self) -> int:
        """The year compared with."""
        return self.year - 1

    @property
    def total(self) -> float:
        """All fte on the peildatum."""
        return math.fsum(p.fte for p in self.provinces)

    @property
    def randstad_names(self) -> str:
        """The provinces counted as Randstad, as a Dutch enumeration: "A, B en C"."""
        names = sorted(p.name for p in self.provinces if p.randstad)
        return " en ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)

    @property
    def randstad_fte(self) -> float:
        """The fte in the Randstad provinces."""
        return math.fsum(p.fte for p in self.provinces if p.randstad)

    @property
    def randstad_share(self) -> float:
        """The Randstad's share of all fte."""
        return self.randstad_fte / self.total if self.total else 0.0

    @property
    def previous_total(self) -> float | None:
        """All fte a year earlier, None when unknown."""
        return math.fsum(p.previous or 0.0 for p in self.provinces) if self.has_previous else None

    @property
    def previous_randstad_share(self) -> float | None:
        """The Randstad's share a year earlier, None when unknown."""
        total = self.previous_total
        if not total:
            return None
        return math.fsum(p.previous or 0.0 for p in self.provinces if p.randstad) / total

    @property
    def change(self) -> float | None:
        """The change of the total from last year."""
        previous = self.previous_total
        return None if previous is None else self.total - previous

    @property
    def change_pct(self) -> float | None:
        """The change of the total as a fraction of last year's total."""
        previous = self.previous_total
        return None if not previous else (self.total - previous) / previous

    @property
    def outside_change(self) -> float | None:
        """The change of the fte outside the Randstad."""
        if not self.has_previous:
            return None
        return math.fsum((p.change or 0.0) for p in self.provinces if not p.randstad)

    def growers(self, n: int = MOVERS) -> list[ProvinceLine]:
        """The ``n`` provinces that grew most (in fte), largest first."""
        grew = [p for p in self.provinces if (p.change or 0.0) > 0]
        return sorted(grew, key=lambda p: (-(p.change or 0.0), p.code))[:n]

    def fastest_growers(self, n: int = MOVERS) -> list[ProvinceLine]:
        """The ``n`` provinces that grew most relative to last year, largest first."""
        grew = [p for p in self.provinces if (p.change_pct or 0.0) > 0]
        return sorted(grew, key=lambda p: (-(p.change_pct or 0.0), p.code))[:n]

    def shrinkers(self, n: int = MOVERS) -> list[ProvinceLine]:
        """The ``n`` provinces that shrank most (in fte), largest decline first."""
        shrank = [p for p in self.provinces if (p.change or 0.0) < 0]
        return sorted(shrank, key=lambda p: (p.change or 0.0, p.code))[:n]

    @property
    def title(self) -> str:
        """The report's title."""
        return f"Rapportage spreiding rijkswerkgelegenheid, peildatum 1 januari {self.year}"


# --- from the store ------------------------------------------------------------------------------


def gather_report(session: Session, year: int, randstad: Collection[str]) -> ReportData:
    """Read the report's data for peildatum 1 January ``year`` from the store.

    Raises :class:`NotFound` when there are no counts for that year at all.
    """
    from spreiding.inventory.deliveries import (
        current_prognoses,
        delivered_ministries,
        missing_ministries,
    )

    now = distribution(session, year, randstad, by="province")
    sectors = distribution(session, year, randstad, by="sector")
    try:
        before = distribution(session, year - 1, randstad, by="province")
    except NotFound:
        before = None
    previous = {} if before is None else {r.province_code: r.fte for r in before.rows}
    provinces = tuple(
        ProvinceLine(r.province_code, r.name, r.randstad, r.fte, previous.get(r.province_code))
        for r in now.rows
        if isinstance(r, ProvinceRow)
    )
    ministries = distribution(session, year, randstad, by="ministry")
    fte_now = {r.ministry_code: r.fte for r in ministries.rows if isinstance(r, MinistryRow)}
    given = current_prognoses(session, year)
    prognosis_years = tuple(sorted({y for m in given for y in m.fte}))
    return ReportData(
        prognosis_years=prognosis_years,
        prognoses=tuple(
            PrognosisLine(
                m.code,
                m.name,
                fte_now.get(m.code, 0.0),
                tuple(m.fte.get(y) for y in prognosis_years),
            )
            for m in given
        ),
        ministries=tuple(
            MinistryLine(r.ministry_code, r.name, r.fte, r.randstad_fte)
            for r in ministries.rows
            if isinstance(r, MinistryRow)
        ),
        cross=tuple((p, s, f) for (p, s), f in sorted(province_sector(session, year).items())),
        series=tuple(p for p in series(session, randstad) if p.peildatum.year <= year),
        year=year,
        provinces=provinces,
        sectors=tuple(
            SectorLine(r.sector, r.fte, r.randstad_fte)
            for r in sectors.rows
            if isinstance(r, SectorRow)
        ),
        synthetic=now.synthetic or (before is not None and before.synthetic),
        delivered=tuple(delivered_ministries(session, year)),
        missing=tuple((m.code, m.name) for m in missing_ministries(session, year)),
        has_previous=before is not None,
    )


# --- Dutch numbers: spreiding.core.dutch, with its one rounding rule -------------------------


def _pct(fraction: float | None) -> float | None:
    """A fraction as a percentage number, for the CSV files: every share and change in %."""
    return None if fraction is None else fraction * 100


def _csv_number(value: float | None, digits: int = 2) -> str:
    if value is None:
        return ""
    rounded = float(dutch.rounded(value, digits))
    text = str(int(rounded)) if rounded.is_integer() else f"{rounded:.{digits}f}".rstrip("0")
    return text.replace(".", ",")


# --- writing -------------------------------------------------------------------------------------


def province_table(data: ReportData) -> list[list[str]]:
    """The rows of ``per-provincie.csv``, header and total row included."""
    header = [
        "provincie_code",
        "provincie",
        "randstad",
        f"fte_{data.year}",
        "aandeel_pct",
        f"fte_{data.previous_year}",
        "verandering_fte",
        "verandering_pct",
    ]
    rows = [
        [
            p.code,
            p.name,
            "ja" if p.randstad else "nee",
            _csv_number(p.fte),
            _csv_number(_pct(p.fte / data.total if data.total else 0.0)),
            _csv_number(p.previous),
            _csv_number(p.change),
            _csv_number(_pct(p.change_pct)),
        ]
        for p in data.provinces
    ]
    total = [
        "NL",
        "Totaal",
        "",
        _csv_number(data.total),
        "100",
        _csv_number(data.previous_total),
        _csv_number(data.change),
        _csv_number(_pct(data.change_pct)),
    ]
    return [header, *rows, total]


def artifact_rows(data: ReportData) -> list[dict[str, str]]:
    """The fte per province for the Prefect UI's table artifact, and a total row.

    Numbers written the Dutch way, as in the report (14.346; 4,3%; +312); with synthetic
    data every row says so in its first column, so a copied row keeps the label.
    """
    mark = SYNTHETIC_MARK if data.synthetic else ""

    def row(name: str, code: str, randstad: str, fte: float, change: float | None) -> dict:
        cells = {"provincie": name, "code": code, "randstad": randstad, "fte": whole(fte)}
        cells["aandeel"] = percentage(fte / data.total) if data.total else ""
        cells["verandering"] = signed(change)
        return {"gegevens": mark, **cells} if mark else cells

    rows = [
        row(p.name, p.code, "ja" if p.randstad else "", p.fte, p.change) for p in data.provinces
    ]
    return [*rows, row("Totaal", "NL", "", data.total, data.change)]


def artifact_description(data: ReportData) -> str:
    """The table artifact's description (Markdown above the table): what, when, which data."""
    text = f"Rijkswerkgelegenheid per provincie op 1 januari {data.year} (fte)."
    if data.synthetic:
        text = f"**{SYNTHETIC_LABEL}**. {text}"
    return f"{text} {data.source}"


def sector_table(data: ReportData) -> list[list[str]]:
    """The rows of ``per-sector.csv``, header included."""
    header = [
        "sector",
        "naam",
        f"fte_{data.year}",
        "fte_randstad",
        "fte_buiten_randstad",
        "aandeel_randstad_pct",
    ]
    rows = [
        [
            s.sector,
            s.name,
            _csv_number(s.fte),
            _csv_number(s.randstad_fte),
            _csv_number(s.outside_fte),
            _csv_number(_pct(s.randstad_share)),
        ]
        for s in data.sectors
    ]
    return [header, *rows]


def ministry_table(data: ReportData) -> list[list[str]]:
    """The rows of ``per-ministerie.csv``, header and total row included."""
    header = ["ministerie_code", "ministerie", f"fte_{data.year}", "fte_randstad"]
    header += ["aandeel_pct", "aandeel_buiten_randstad_pct"]
    rows = [
        [
            m.code,
            m.name,
            _csv_number(m.fte),
            _csv_number(m.randstad_fte),
            _csv_number(_pct(m.fte / data.total if data.total else 0.0)),
            _csv_number(_pct(m.outside_share)),
        ]
        for m in data.ministries
    ]
    outside = _pct(1 - data.randstad_share)
    total = ["NL", "Totaal", _csv_number(data.total), _csv_number(data.randstad_fte), "100"]
    return [header, *rows, [*total, _csv_number(outside)]]


def province_sector_table(data: ReportData) -> list[list[str]]:
    """The rows of ``per-provincie-en-sector.csv``: fte, a column per sector, a total row."""
    header = ["provincie_code", "provincie", *(s.sector for s in data.sectors), "totaal"]
    rows = [
        [
            p.code,
            p.name,
            *(_csv_number(data.cell(p.code, s.sector)) for s in data.sectors),
            _csv_number(p.fte),
        ]
        for p in data.provinces
    ]
    total = ["NL", "Totaal", *(_csv_number(s.fte) for s in data.sectors), _csv_number(data.total)]
    return [header, *rows, total]


def series_table(data: ReportData) -> list[list[str]]:
    """The rows of ``reeks.csv``: every peildatum, its total and the shares."""
    header = ["peildatum", "fte", "fte_randstad", "aandeel_randstad_pct"]
    header.append("aandeel_buiten_randstad_pct")
    return [
        header,
        *(
            [
                p.peildatum.isoformat(),
                _csv_number(p.total_fte),
                _csv_number(p.randstad_fte),
                _csv_number(_pct(p.randstad_share)),
                _csv_number(_pct(1 - p.randstad_share)),
            ]
            for p in data.series
        ),
    ]


def prognosis_table(data: ReportData) -> list[list[str]]:
    """The rows of ``prognoses.csv``: per ministry its fte now and its prognoses, a total row."""
    header = ["ministerie_code", "ministerie", f"fte_{data.year}"]
    header += [f"prognose_{y}" for y in data.prognosis_years]
    rows = [
        [line.code, line.name, _csv_number(line.fte), *map(_csv_number, line.prognoses)]
        for line in data.prognoses
    ]
    totals = [_csv_number(data.prognosis_total(i)) for i in range(len(data.prognosis_years))]
    total = ["", "Totaal ministeries met prognoses", _csv_number(data.prognosis_fte)]
    return [header, *rows, [*total, *totals]]


def _write_csv(path: Path, rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\r\n").writerows(rows)
    return path


def write_csvs(data: ReportData, out: Path) -> list[Path]:
    """Write the tables as CSV into ``out``; shares and changes are percentages (``_pct``)."""
    return [
        _write_csv(out / "per-provincie.csv", province_table(data)),
        _write_csv(out / "per-sector.csv", sector_table(data)),
        _write_csv(out / "per-ministerie.csv", ministry_table(data)),
        _write_csv(out / "per-provincie-en-sector.csv", province_sector_table(data)),
        _write_csv(out / "reeks.csv", series_table(data)),
        *([_write_csv(out / "prognoses.csv", prognosis_table(data))] if data.prognoses else []),
    ]


def bar_chart(data: ReportData) -> Figure:
    """A horizontal bar chart of the fte per province, Randstad and last year marked."""
    lines = sorted(data.provinces, key=lambda p: (p.fte, p.code))
    figure = Figure(figsize=(8, 6), layout="constrained")
    ax = figure.add_subplot()
    names = [p.name for p in lines]
    colours = [RANDSTAD_COLOUR if p.randstad else OUTSIDE_COLOUR for p in lines]
    ax.barh(names, [p.fte for p in lines], color=colours)
    largest = max((p.fte for p in lines), default=0.0) or 1.0
    for index, p in enumerate(lines):
        ax.text(p.fte + largest * 0.01, index, whole(p.fte), va="center", fontsize=8)
    handles: list[Patch | Line2D] = [
        Patch(color=RANDSTAD_COLOUR, label="Randstad"),
        Patch(color=OUTSIDE_COLOUR, label="buiten de Randstad"),
    ]
    if data.has_previous:
        previous = [p.previous if p.previous is not None else math.nan for p in lines]
        ax.scatter(previous, range(len(lines)), marker="|", s=160, color="black", zorder=3)
        handles.append(
            Line2D(
                [],
                [],
                color="black",
                marker="|",
                lw=0,
                ms=12,
                label=f"1 januari {data.previous_year}",
            )
        )
    ax.legend(handles=handles, loc="lower right", frameon=False)
    ax.set_xlim(0, largest * 1.15)
    ax.xaxis.set_major_formatter(lambda value, _: whole(value))
    ax.set_xlabel("fte")
    ax.spines[["top", "right"]].set_visible(False)
    figure.suptitle(f"Rijkswerkgelegenheid per provincie, 1 januari {data.year} (fte)")
    if data.synthetic:
        ax.set_title(SYNTHETIC_MARK, color="#b00020", fontweight="bold", fontsize=12)
        figure.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))
        figure.text(0.5, 0.01, SYNTHETIC_LABEL, ha="center", va="bottom", fontsize=7)
    return figure


def series_chart(data: ReportData) -> Figure:
    """A line chart of the share outside the Randstad (left) and the total fte, every year."""
    figure = Figure(figsize=(8, 4.5), layout="constrained")
    ax = figure.add_subplot()
    years = [p.peildatum.year for p in data.series]
    outside = [(1 - p.randstad_share) * 100 for p in data.series]
    ax.plot(years, outside, marker="o", color=OUTSIDE_COLOUR, label="aandeel buiten de Randstad")
    for year, value, point in zip(years, outside, data.series, strict=True):
        ax.annotate(
            percentage(1 - point.randstad_share),
            (year, value),
            textcoords="offset points",
            xytext=(0, 7),
            ha="center",
            fontsize=8,
        )
    ax.set_xticks(years, [str(y) for y in years])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # whole percentages, none twice
    ax.yaxis.set_major_formatter(lambda value, _: percentage(value / 100, 0))
    ax.set_ylabel("aandeel buiten de Randstad")
    low, high = min(outside, default=0.0), max(outside, default=100.0)
    ax.set_ylim(max(0.0, low - 2), min(100.0, high + 2))
    totals = ax.twinx()
    totals.bar(years, [p.total_fte for p in data.series], color="#c8d6e5", alpha=0.5, width=0.5)
    totals.set_ylabel("fte (staven)")
    totals.yaxis.set_major_formatter(lambda value, _: whole(value))
    totals.set_zorder(ax.get_zorder() - 1)
    ax.patch.set_visible(False)
    ax.spines[["top"]].set_visible(False)
    figure.suptitle(f"Rijkswerkgelegenheid op 1 januari, {data.series_years}")
    if data.synthetic:
        ax.set_title(SYNTHETIC_MARK, color="#b00020", fontweight="bold", fontsize=12)
    return figure


def save_figure(figure: Figure, out: Path, formats: Sequence[str] = FORMATS) -> list[Path]:
    """Write ``figure`` as ``out.png`` / ``out.svg``, the same bytes for the same figure."""
    written = []
    for fmt in formats:
        path = out.with_suffix(f".{fmt}")
        figure.savefig(path, format=fmt, dpi=150, metadata=_METADATA[fmt])
        written.append(path)
    return written


def write_charts(data: ReportData, out: Path) -> dict[str, list[Path]]:
    """Draw the maps and the bar chart into ``out``; keyed by image name without suffix."""
    mark = f"\n{SYNTHETIC_MARK}" if data.synthetic else ""
    note = SYNTHETIC_LABEL if data.synthetic else None
    charts = {
        "kaart-fte": draw_map(
            {p.code: p.fte for p in data.provinces},
            title=f"Rijkswerkgelegenheid per provincie\n1 januari {data.year}{mark}",
            legend="fte",
            out=out / "kaart-fte",
            note=note,
        )
    }
    if data.has_previous:
        charts["kaart-verandering"] = draw_map(
            {p.code: p.change for p in data.provinces if p.change is not None},
            title=(
                f"Verandering per provincie\n1 januari {data.previous_year} - "
                f"1 januari {data.year}{mark}"
            ),
            legend="verandering in fte",
            out=out / "kaart-verandering",
            note=note,
            diverging=True,
            value_format="{:+,.0f}",
        )
        relative = {p.code: p.change_pct * 100 for p in data.provinces if p.change_pct is not None}
        charts["kaart-verandering-pct"] = draw_map(
            relative,
            title=(
                f"Verandering per provincie in procenten\n1 januari {data.previous_year} - "
                f"1 januari {data.year}{mark}"
            ),
            legend="verandering in %",
            out=out / "kaart-verandering-pct",
            note=note,
            diverging=True,
            value_format="{:+,.1f}%",
        )
    with mpl.style.context("default"), mpl.rc_context(_RC):
        charts["staafdiagram-provincies"] = save_figure(
            bar_chart(data), out / "staafdiagram-provincies"
        )
        if len(data.series) > 1:
            charts["reeks"] = save_figure(series_chart(data), out / "reeks")
    return charts


def render(data: ReportData, template: str, images: Collection[str]) -> str:
    """The report as text from ``report.md.j2`` or ``report.html.j2``."""
    filters = {"whole": whole, "signed": signed, "percent": percentage, "points": points}
    return templates.template("spreiding.inventory", template, **filters).render(
        data=data,
        images=set(images),
        synthetic_mark=SYNTHETIC_MARK,
        synthetic_detail=SYNTHETIC_LABEL.removeprefix(f"{SYNTHETIC_MARK}:").strip(),
        randstad=data.randstad_names,
        outside_share=1 - data.randstad_share,
        previous_outside_share=(
            None if data.previous_randstad_share is None else 1 - data.previous_randstad_share
        ),
    )


def write_report(data: ReportData, out: Path) -> list[Path]:
    """Write the whole report into folder ``out`` (created when missing); the paths written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = write_csvs(data, out)
    charts = write_charts(data, out)
    written += [path for paths in charts.values() for path in paths]
    for template, name in (("report.md.j2", "report.md"), ("report.html.j2", "report.html")):
        path = out / name
        path.write_text(render(data, template, charts), encoding="utf-8", newline="\n")
        written.append(path)
    return sorted(written)


def build_report(
    session: Session,
    year: int,
    out: Path,
    randstad: Collection[str],
    cases: CaseYear | None = None,
) -> tuple[ReportData, list[Path]]:
    """Gather the data for ``year`` from the store and write the report into ``out``.

    ``cases``, the year's location cases, come from the lifecycle (which this component does
    not read): :func:`spreiding.flows.annual.build_annual_report` passes them in.
    """
    data = replace(gather_report(session, year, randstad), cases=cases)
    return data, write_report(data, out)
