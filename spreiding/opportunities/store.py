"""The inventory of regional opportunities (measure M5): the rules and the store.

Every year BZK asks provinces, municipalities and ministries which opportunities
("kansen") their region offers a rijksdienst: a theme or core quality ("kernkwaliteit") such as
Energietransitie or Agrifood, described in a few sentences, with a contact. One opportunity
belongs to a region, a province (``PV21``) or a COROP region (``CR12``). Ministries use the
yearly overview to see where they can connect to a region, and the simulation prefers the
provinces with more opportunities (:func:`opportunity_weights`).

The rules, all checked before anything is stored:

- A region is given by CBS code or name, case- and accent-insensitively (``Fryslân``,
  ``friesland``, ``PV21``; ``Twente``, ``CR12``). Where a COROP region carries a province's
  name (Utrecht, Flevoland: the same area) the province is meant.
- The submitter is a ``provincie``, ``gemeente`` or ``ministerie`` (English words work too).
  A province or municipality is looked up in the gazetteer and stored by its official name;
  a ministry must be registered (``spreiding ministry add``) and is stored by its code.
- A province or municipality puts forward opportunities in its own region: a region that lies
  outside the submitter's province (or, for a municipality, that does not contain it) is refused.
- Theme and description are required; the contact is optional. Runs of spaces are collapsed.
- The same opportunity (year, region, submitter, theme and description, ignoring case) is
  stored once: adding or importing it again adds nothing.

A CSV file has the columns ``regio``, ``ingediend_door_soort``, ``ingediend_door``, ``thema``,
``omschrijving`` and, optionally, ``contact``. Header names are case-insensitive; lines above the
header (a title, a ``#`` comment) are skipped; other columns are ignored. ``;`` or ``,`` separates
the columns, whichever splits the header; the text is UTF-8 (with or without BOM) or
Windows-1252. A file with any bad row is refused whole with one
:class:`~spreiding.core.errors.InvalidSubmission` that lists every problem (each naming the file,
the row, the column and the value, in Dutch), and nothing of it is stored.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spreiding.core.errors import InvalidInput, InvalidSubmission, NotFound, Problem, Problems
from spreiding.core.grid import (
    csv_rows,
    decode_csv_text,
    detect_delimiter,
    find_header,
    header_name,
)
from spreiding.core.synthetic import synthetic_label
from spreiding.geography.reference import gazetteer
from spreiding.models.tables import RegionalOpportunity, RegionLevel, SubmitterKind

if TYPE_CHECKING:
    from sqlmodel import Session

REGION = "regio"
KIND = "ingediend_door_soort"
SUBMITTER = "ingediend_door"
THEME = "thema"
DESCRIPTION = "omschrijving"
CONTACT = "contact"
REQUIRED = (REGION, KIND, SUBMITTER, THEME, DESCRIPTION)
COLUMNS = (*REQUIRED, CONTACT)
FIRST_YEAR, LAST_YEAR = 2000, 2100

DEMO_FILE = "regionale_kansen_demo.csv"
SYNTHETIC_LABEL = synthetic_label("verzonnen regionale kansen, geen echte voorstellen")

KIND_LABELS = {
    SubmitterKind.PROVINCE.value: "provincie",
    SubmitterKind.MUNICIPALITY.value: "gemeente",
    SubmitterKind.MINISTRY.value: "ministerie",
}
_KIND_WORDS = {
    "provincie": SubmitterKind.PROVINCE,
    "province": SubmitterKind.PROVINCE,
    "gemeente": SubmitterKind.MUNICIPALITY,
    "municipality": SubmitterKind.MUNICIPALITY,
    "ministerie": SubmitterKind.MINISTRY,
    "ministry": SubmitterKind.MINISTRY,
}
# Words people put before a name that the gazetteer does not know ("Provincie Utrecht").
_PREFIX = re.compile(r"^(?:provincie|gemeente|regio|corop|ministerie van)\s+", re.IGNORECASE)

MinistryResolver = Callable[[str], str | None]


# --- regions and submitters ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Region:
    """A province or COROP region that opportunities are registered for."""

    level: str  # RegionLevel value
    code: str  # PVxx or CRxx
    name: str
    province_code: str
    province_name: str

    @property
    def label(self) -> str:
        """How a reader recognises it: ``Twente (Overijssel)`` or ``Fryslân``."""
        if self.level == RegionLevel.PROVINCE.value:
            return self.name
        return f"{self.name} ({self.province_name})"


def _fold(text: str) -> str:
    """Fold case, accents and punctuation: 'Súdwest-Fryslân' == 'sudwest fryslan'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def clean(text: str | None) -> str:
    """A value as stored: surrounding spaces removed and runs of whitespace made one space."""
    return " ".join((text or "").split())


@cache
def _regions() -> dict[str, Region]:
    """Every region by folded code and name; province names win over equal COROP names."""
    places = gazetteer()
    index: dict[str, Region] = {}
    for p in places.provinces.values():
        region = Region(RegionLevel.PROVINCE.value, p.code, p.name, p.code, p.name)
        index[_fold(p.code)] = index[_fold(p.name)] = region
    index["friesland"] = index[_fold("PV21")]
    for c in places.corop_regions.values():
        province = places.provinces[c.province_code]
        region = Region(RegionLevel.COROP.value, c.code, c.name, c.province_code, province.name)
        index[_fold(c.code)] = region
        index.setdefault(_fold(c.name), region)  # CR17 Utrecht, CR40 Flevoland: the province
    return index


def resolve_region(text: str) -> Region:
    """The province or COROP region named by CBS code or name; unknown raises NotFound."""
    wanted = clean(text)
    found = _regions().get(_fold(wanted)) or _regions().get(_fold(_PREFIX.sub("", wanted)))
    if found is None:
        raise NotFound(
            f"{wanted!r} is geen provincie of COROP-gebied; geef een naam of CBS-code "
            "zoals 'Fryslân', 'PV21', 'Twente' of 'CR12'"
        )
    return found


def region_of_code(code: str) -> Region:
    """The region with CBS code ``code`` (PVxx or CRxx)."""
    return _regions()[_fold(code)]


def parse_kind(text: str) -> SubmitterKind:
    """The kind of submitter: provincie, gemeente or ministerie (or the English words)."""
    kind = _KIND_WORDS.get(_fold(text))
    if kind is None:
        raise InvalidInput(
            f"{clean(text)!r} is geen soort indiener; geef provincie, gemeente of ministerie"
        )
    return kind


def ministry_resolver(session: Session) -> MinistryResolver:
    """Find a registered ministry by code or name ('EZ', 'Economische Zaken'), or None."""
    from sqlmodel import select

    from spreiding.models.tables import Ministry

    index: dict[str, str] = {}
    for code, name in session.exec(select(Ministry.code, Ministry.name)).all():
        for key in (code, name, _PREFIX.sub("", name)):
            index.setdefault(_fold(key), code)

    def resolve(text: str) -> str | None:
        return index.get(_fold(text)) or index.get(_fold(_PREFIX.sub("", clean(text))))

    return resolve


def _place_submitter(kind: SubmitterKind, text: str) -> tuple[str, Region | None, Any]:
    """A province or municipality submitter: its official name and where it is."""
    places = gazetteer()
    bare = _PREFIX.sub("", text)
    if kind is SubmitterKind.PROVINCE:
        try:
            province = places.province(bare)
        except NotFound:
            raise InvalidInput(
                f"{text!r} is geen provincie; geef een naam of CBS-code zoals 'Fryslân' of 'PV21'"
            ) from None
        return province.name, region_of_code(province.code), None
    municipality = places.find_municipality(text) or places.find_municipality(bare)
    if municipality is None:
        raise InvalidInput(
            f"{text!r} is geen bekende gemeente; geef een CBS-code (GM0153) of naam (Enschede)"
        )
    return municipality.name, None, municipality


def resolve_submitter(
    kind: SubmitterKind, text: str, region: Region, resolve_ministry: MinistryResolver | None
) -> str:
    """The submitter as stored, after checking it exists and may speak for ``region``.

    Raises InvalidInput (or NotFound) with what is wrong and what to give instead.
    """
    text = clean(text)
    if kind is SubmitterKind.MINISTRY:
        code = resolve_ministry(text) if resolve_ministry is not None else text
        if code is None:
            raise NotFound(
                f"{text!r} is geen geregistreerd ministerie; geef de code (EZ) of naam van een "
                "ministerie dat BZK heeft geregistreerd"
            )
        return code
    name, own, municipality = _place_submitter(kind, text)
    inside = (
        own.province_code == region.province_code
        if own is not None
        else region.code in (municipality.province_code, municipality.corop_code)
    )
    if not inside:
        who = f"{KIND_LABELS[kind.value]} {name}"
        raise InvalidInput(
            f"{region.label} ligt buiten {who}; een provincie of gemeente draagt kansen aan "
            "in haar eigen regio"
        )
    return name


# --- one opportunity -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewOpportunity:
    """An opportunity that passed every rule, ready to be stored."""

    year: int
    region: Region
    submitted_by_kind: str
    submitted_by: str
    theme: str
    description: str
    contact: str | None
    line: int | None = None  # the row in the file it came from, if any

    @property
    def key(self) -> tuple[object, ...]:
        """What makes two entries the same opportunity (case and spacing ignored)."""
        return _key(
            self.year,
            self.region.code,
            self.submitted_by_kind,
            self.submitted_by,
            self.theme,
            self.description,
        )


def _key(year: int, region: str, kind: str, by: str, theme: str, text: str) -> tuple[object, ...]:
    return (year, region, kind, by.casefold(), clean(theme).casefold(), clean(text).casefold())


class FieldRefused(Exception):
    """One field of an opportunity breaks a rule: which column, its value, and why."""

    def __init__(self, column: str, value: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.value = value
        self.reason = reason

    def __str__(self) -> str:
        """The value (unless the reason names it already) and the reason."""
        if not self.value or repr(self.value) in self.reason:
            return self.reason
        return f"{self.value!r}: {self.reason}"


_EMPTY = {
    REGION: "geef een provincie of COROP-gebied, bijvoorbeeld 'Fryslân' of 'Twente'",
    KIND: "geef provincie, gemeente of ministerie",
    SUBMITTER: "geef de provincie, gemeente of het ministerie dat de kans aandraagt",
    THEME: "geef het thema of de kernkwaliteit, bijvoorbeeld 'Energietransitie'",
    DESCRIPTION: "beschrijf de kans in een of twee zinnen",
}


def _required(column: str, value: str | None) -> str:
    text = clean(value)
    if not text:
        raise FieldRefused(column, "", f"leeg; {_EMPTY[column]}")
    return text


def check_year(year: int) -> int:
    """The inventory year, refused when it is clearly a typing error."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(f"het jaar ligt tussen {FIRST_YEAR} en {LAST_YEAR}, niet {year}")
    return year


def make_opportunity(
    values: Mapping[str, str | None],
    *,
    year: int,
    resolve_ministry: MinistryResolver | None,
    line: int | None = None,
) -> NewOpportunity:
    """Check one opportunity given as column name -> text; raise FieldRefused on a bad field."""
    region_text = _required(REGION, values.get(REGION))
    kind_text = _required(KIND, values.get(KIND))
    submitter_text = _required(SUBMITTER, values.get(SUBMITTER))
    theme = _required(THEME, values.get(THEME))
    description = _required(DESCRIPTION, values.get(DESCRIPTION))
    try:
        region = resolve_region(region_text)
    except NotFound as exc:
        raise FieldRefused(REGION, region_text, str(exc)) from None
    try:
        kind = parse_kind(kind_text)
    except InvalidInput as exc:
        raise FieldRefused(KIND, kind_text, str(exc)) from None
    try:
        submitter = resolve_submitter(kind, submitter_text, region, resolve_ministry)
    except (InvalidInput, NotFound) as exc:
        raise FieldRefused(SUBMITTER, submitter_text, str(exc)) from None
    contact = clean(values.get(CONTACT)) or None
    return NewOpportunity(
        year, region, kind.value, submitter, theme, description, contact, line=line
    )


# --- reading a CSV file --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """A file whose every row passed the rules."""

    name: str
    year: int
    opportunities: tuple[NewOpportunity, ...]


def read_opportunities(
    path: Path, *, year: int, resolve_ministry: MinistryResolver | None = None
) -> ParsedFile:
    """Read and check the opportunities in the CSV file ``path`` for inventory ``year``.

    ``resolve_ministry`` maps a ministry's code or name to its code (None: unknown); without
    it a ministry is taken as written. Raises InvalidSubmission with every problem found, each
    naming file, row and column.
    """
    try:
        data = path.read_bytes()
    except OSError:
        raise InvalidSubmission(
            f"{path.name}: het bestand kan niet worden gelezen; lever het opnieuw"
        ) from None
    return parse_opportunities(path.name, data, year=year, resolve_ministry=resolve_ministry)


def parse_opportunities(
    name: str, data: bytes, *, year: int, resolve_ministry: MinistryResolver | None = None
) -> ParsedFile:
    """Like :func:`read_opportunities`, for a file's bytes; ``name`` is used in messages."""
    check_year(year)
    if not name.lower().endswith(".csv"):
        raise InvalidSubmission(
            f"{name}: dit soort bestand kan niet worden gelezen; lever een CSV-bestand (.csv)"
        )
    text = decode_csv_text(name, data)
    rows = csv_rows(name, text, detect_delimiter(text, REQUIRED))
    header = find_header(rows, REQUIRED, where=name, expected=COLUMNS)
    header_line, width = header.line, len(header.cells)
    columns = _columns(name, header_line, [header_name(cell) for cell in header.cells])
    problems = Problems()
    found: list[NewOpportunity] = []
    first_row: dict[tuple[object, ...], int] = {}
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        try:
            item = _row(name, line, cells, columns, width, year, resolve_ministry)
            _check_repeat(name, item, first_row)
        except InvalidSubmission as exc:
            problems.add(exc)
            continue
        found.append(item)
    if problems:
        raise problems.refusal()
    if not found:
        raise InvalidSubmission.at(
            name,
            header_line + 1,
            f"geen kansen onder de kopregel (regel {header_line}); geef één regel per kans",
        )
    return ParsedFile(name, year, tuple(found))


def _columns(name: str, line: int, names: Sequence[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, column in enumerate(names):
        if column not in COLUMNS:
            continue
        if column in columns:
            raise InvalidSubmission(
                f"{name}, regel {line}, kolom {column!r}: de kolom staat er twee keer in "
                f"(kolommen {columns[column] + 1} en {index + 1}); houd er één"
            )
        columns[column] = index
    return columns


def _row(
    name: str,
    line: int,
    cells: Sequence[str],
    columns: Mapping[str, int],
    width: int,
    year: int,
    resolve_ministry: MinistryResolver | None,
) -> NewOpportunity:
    extra = [(i, cell.strip()) for i, cell in enumerate(cells) if i >= width and cell.strip()]
    if extra:
        index, value = extra[0]
        message = (
            f"onverwachte waarde {value!r} buiten de {width} kolommen van de kopregel; zet "
            'tekst met een scheidingsteken tussen aanhalingstekens ("Zorg, welzijn")'
        )
        raise _refusal(Problem(name, line, str(index + 1), value, message))
    values = {column: cells[i] if i < len(cells) else "" for column, i in columns.items()}
    try:
        return make_opportunity(values, year=year, resolve_ministry=resolve_ministry, line=line)
    except FieldRefused as exc:
        raise _refusal(Problem(name, line, exc.column, exc.value, str(exc))) from None


def _check_repeat(
    name: str, item: NewOpportunity, first_row: dict[tuple[object, ...], int]
) -> None:
    first = first_row.setdefault(item.key, item.line or 0)
    if first != item.line:
        short = _short(item.description)
        message = (
            f"{short!r} herhaalt regel {first} (dezelfde regio, indiener en thema); geef elke "
            "kans één keer"
        )
        raise _refusal(Problem(name, item.line, DESCRIPTION, short, message))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _refusal(problem: Problem) -> InvalidSubmission:
    """The refusal of one row's problem (the reader collects it with the others)."""
    return InvalidSubmission(problems=(problem,))


# --- the store -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: rows in the file, how many were new and how many already there."""

    file: str
    year: int
    rows: int
    added: int

    @property
    def already_present(self) -> int:
        """Rows that were stored before (by an earlier import or by hand)."""
        return self.rows - self.added


def _stored_keys(session: Session, year: int) -> dict[tuple[object, ...], int]:
    from sqlmodel import select

    rows = session.exec(select(RegionalOpportunity).where(RegionalOpportunity.year == year))
    return {_stored_key(o): o.id for o in rows if o.id is not None}


def _stored_key(o: RegionalOpportunity) -> tuple[object, ...]:
    return _key(o.year, o.region_code, o.submitted_by_kind, o.submitted_by, o.theme, o.description)


def _row_of(item: NewOpportunity) -> RegionalOpportunity:
    return RegionalOpportunity(
        year=item.year,
        region_level=item.region.level,
        region_code=item.region.code,
        submitted_by_kind=item.submitted_by_kind,
        submitted_by=item.submitted_by,
        theme=item.theme,
        description=item.description,
        contact=item.contact,
    )


def store(session: Session, items: Iterable[NewOpportunity]) -> list[RegionalOpportunity]:
    """Store the opportunities not stored yet; return the new rows (flushed, with ids)."""
    known: dict[int, dict[tuple[object, ...], int]] = {}
    added = []
    for item in items:
        keys = known.setdefault(item.year, _stored_keys(session, item.year))
        if item.key in keys:
            continue
        row = _row_of(item)
        session.add(row)
        added.append(row)
        keys[item.key] = -1
    session.flush()
    return added


def add_opportunity(
    session: Session,
    *,
    year: int,
    region: str,
    submitted_by_kind: str,
    submitted_by: str,
    theme: str,
    description: str,
    contact: str | None = None,
) -> tuple[RegionalOpportunity, bool]:
    """Register one opportunity; returns it and whether it is new (False: already there)."""
    values = {
        REGION: region,
        KIND: submitted_by_kind,
        SUBMITTER: submitted_by,
        THEME: theme,
        DESCRIPTION: description,
        CONTACT: contact,
    }
    try:
        item = make_opportunity(
            values, year=check_year(year), resolve_ministry=ministry_resolver(session)
        )
    except FieldRefused as exc:
        raise InvalidInput(f"{_OPTION[exc.column]}: {exc}") from None
    added = store(session, [item])
    if added:
        return added[0], True
    existing = session.get(RegionalOpportunity, _stored_keys(session, year)[item.key])
    assert existing is not None  # just found by its key in the same transaction
    return existing, False


_OPTION = {
    REGION: "--region",
    KIND: "--by-kind",
    SUBMITTER: "--by",
    THEME: "--theme",
    DESCRIPTION: "--description",
}


def import_opportunities(session: Session, path: Path, *, year: int) -> ImportReport:
    """Check every row of the CSV file ``path``, then store the new ones (all or nothing)."""
    parsed = read_opportunities(path, year=year, resolve_ministry=ministry_resolver(session))
    added = store(session, parsed.opportunities)
    return ImportReport(parsed.name, year, len(parsed.opportunities), len(added))


def demo_file_bytes() -> bytes:
    """The packaged synthetic demo set of regional opportunities."""
    return (files("spreiding.opportunities") / "data" / DEMO_FILE).read_bytes()


def load_demo_opportunities(session: Session, year: int) -> int:
    """Store the synthetic demo opportunities for ``year`` (once); return how many were new.

    The demo's ministries (EZ, IENW, LVVN, ...) must be registered: load the demo set of
    ``spreiding init --demo`` first.
    """
    parsed = parse_opportunities(
        DEMO_FILE, demo_file_bytes(), year=year, resolve_ministry=ministry_resolver(session)
    )
    return len(store(session, parsed.opportunities))


@cache
def _demo_keys() -> frozenset[tuple[object, ...]]:
    """The demo entries without their year: how a stored set is recognised as the demo."""
    parsed = parse_opportunities(DEMO_FILE, demo_file_bytes(), year=FIRST_YEAR)
    return frozenset(item.key[1:] for item in parsed.opportunities)


def is_synthetic(rows: Iterable[RegionalOpportunity]) -> bool:
    """Whether any of ``rows`` comes from the synthetic demo set."""
    demo = _demo_keys()
    return any(_stored_key(row)[1:] in demo for row in rows)


def list_opportunities(
    session: Session, *, year: int | None = None, region: str | None = None
) -> list[RegionalOpportunity]:
    """Opportunities by year, province and region; ``region`` of a province includes its
    COROP regions."""
    from sqlmodel import col, select

    query = select(RegionalOpportunity)
    if year is not None:
        query = query.where(RegionalOpportunity.year == year)
    if region is not None:
        wanted = resolve_region(region)
        if wanted.level == RegionLevel.PROVINCE.value:
            codes = [wanted.code] + [
                c.code for c in gazetteer().corop_regions.values() if c.province_code == wanted.code
            ]
        else:
            codes = [wanted.code]
        query = query.where(col(RegionalOpportunity.region_code).in_(codes))
    rows = list(session.exec(query))
    return sorted(rows, key=_order)


def _order(row: RegionalOpportunity) -> tuple[object, ...]:
    region = region_of_code(row.region_code)
    level = 0 if region.level == RegionLevel.PROVINCE.value else 1
    return (row.year, region.province_code, level, region.code, row.theme.casefold(), row.id)


def opportunity_json(row: RegionalOpportunity) -> dict[str, Any]:
    """The JSON of one opportunity (schema in the README)."""
    region = region_of_code(row.region_code)
    return {
        "id": row.id,
        "year": row.year,
        "region": {
            "level": region.level,
            "code": region.code,
            "name": region.name,
            "province_code": region.province_code,
            "province_name": region.province_name,
        },
        "submitted_by_kind": row.submitted_by_kind,
        "submitted_by": row.submitted_by,
        "theme": row.theme,
        "description": row.description,
        "contact": row.contact,
        "synthetic": is_synthetic([row]),
    }


def latest_year(session: Session) -> int | None:
    """The most recent year with registered opportunities, or None when there are none."""
    from sqlalchemy import func
    from sqlmodel import select

    return session.exec(select(func.max(RegionalOpportunity.year))).one()


# --- weights for the simulation ----------------------------------------------------------------


def province_counts(region_codes: Iterable[str]) -> Counter[str]:
    """How many opportunities each province has; a COROP entry counts in its province."""
    return Counter(region_of_code(code).province_code for code in region_codes)


def weights_from_counts(counts: Mapping[str, int]) -> dict[str, float]:
    """Each province's share of all opportunities (summing to 1); empty when there are none."""
    total = sum(counts.values())
    if total <= 0:
        return {}
    return {code: n / total for code, n in sorted(counts.items()) if n > 0}


def opportunity_weights(session: Session, year: int | None = None) -> dict[str, float]:
    """Province code -> weight proportional to its number of registered opportunities.

    COROP entries count in their province. ``year`` None takes the most recent inventory
    (the latest year with entries), so that older years do not count twice. The weights sum
    to 1; the dict is empty when no opportunities are registered.
    """
    from sqlmodel import select

    if year is None:
        year = latest_year(session)
        if year is None:
            return {}
    codes = session.exec(
        select(RegionalOpportunity.region_code).where(RegionalOpportunity.year == year)
    )
    return weights_from_counts(province_counts(codes))


def regional_weights(session: Session, randstad: Iterable[str]) -> dict[str, float] | None:
    """Province -> weight for the projection: the latest inventory, outside the Randstad.

    The weights of :func:`opportunity_weights` for the provinces outside ``randstad``, as the
    projection (:class:`spreiding.simulation.baseline.Baseline`) takes them. ``None`` when no
    opportunity is registered outside the Randstad: the projection then spreads evenly over
    the provinces outside it.
    """
    inside = set(randstad)
    weights = {c: w for c, w in opportunity_weights(session).items() if c not in inside and w > 0}
    return weights or None
