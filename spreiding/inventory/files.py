"""Reading and validating a ministry's yearly fte delivery (a CSV file or a workbook).

Every year each ministry delivers, counted on peildatum 1 January, the fte of its organisations
per municipality: columns ``organisatie``, ``gemeente`` and ``fte``. :func:`read_submission`
reads one delivered file, checks every row and returns a :class:`ParsedSubmission` that the
loader writes in one transaction. A file with any mistake is refused with one
:class:`~spreiding.core.errors.InvalidSubmission` that lists every problem found (up to
:data:`~spreiding.core.errors.MAX_PROBLEMS`, the rest counted), each a
:class:`~spreiding.core.errors.Problem` naming the file, row, column and bad value, in Dutch;
nothing is returned then. A file that cannot be read at all (not a workbook, wrong encoding, no
header row, a header column twice, merged cells across the data) is refused at once with that
one reason. Pure: nothing here touches the database.

What a ministry will notice:

- Header names are case-insensitive and may carry surrounding spaces; other columns are ignored.
  The header is the first row holding all three names, so title rows above it are fine; it is
  looked for among the first 50 non-empty rows (:data:`spreiding.core.grid.HEADER_SEARCH_ROWS`).
- CSV: ``;`` or ``,`` delimiter, whichever splits the header line into the column names.
  UTF-8 (with or without BOM) is tried first, then Windows-1252.
- Numbers: ASCII digits only (a full-width '１２' is refused); a comma is always a decimal
  comma. ``12,5`` and ``12.5`` are both 12.5, ``1.234,5``
  is 1234.5 and ``1.234.567`` is 1234567. A lone dot before exactly three digits (``1.234``)
  is refused as ambiguous: a thousands dot or a decimal point? In a comma-separated file a
  decimal comma must be quoted; an unquoted ``12,5`` shows up as an extra value and is refused.
  An organisation has at most :data:`MAX_DELIVERED_FTE` fte in one municipality: a larger value
  (1e300) is a mistake, refused like an infinite or not-a-number value.
- Workbooks: ``.xlsx``, ``.xls`` and ``.ods`` alike, read by :mod:`spreiding.core.grid` in
  bounded memory (an absurd used area is refused). The one sheet that has the header row is
  read. Merged cells above the header (titles) are fine; a merged range that reaches the header
  or data rows is refused, because filling it would guess (a merged fte copied to every row
  would count it twice). Formulas are read from the values the spreadsheet program cached when
  it saved the file; an .xlsx formula without a cached value (as written by scripts) is
  refused, naming the cell, since we do not compute formulas.
- Year: a file may state its year in a ``peildatum`` or ``jaar`` column, in a title row above
  the header ("Peildatum 1 januari 2023") or in its name (``bzk-2023.csv``). Any statement of
  another year than the one delivered for is refused; a file that states no year is accepted.
- Prognoses (optional): columns ``prognose_<year>`` (or ``prognose <year>``) for any of the
  next :data:`PROGNOSIS_YEARS` peildata give the fte the ministry expects an organisation to
  have on 1 January of that year. An organisation's prognosis is its total, given once, on
  one of its rows (the other rows of that organisation leave the cell blank); when a column
  is there, every organisation in the file needs a value in it. The numbers follow the fte
  rules above. A column for another year, or a value given twice for one organisation, is
  refused like any other mistake.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

from spreiding.core import grid as _grid
from spreiding.core.dutch import number
from spreiding.core.errors import InvalidInput, InvalidSubmission, NotFound, Problem, Problems
from spreiding.core.grid import CSV_SUFFIX, WORKBOOK_SUFFIXES, blank, header_name
from spreiding.geography.reference import gazetteer

ORGANISATION = "organisatie"
MUNICIPALITY = "gemeente"
FTE = "fte"
REQUIRED = (ORGANISATION, MUNICIPALITY, FTE)
YEAR_COLUMNS = ("peildatum", "jaar")
SUFFIXES = (CSV_SUFFIX, *WORKBOOK_SUFFIXES)
MAX_DELIVERED_FTE = 100_000
"""The most fte one organisation may have in one municipality (or in all, in a total or
prognosis column) in a delivery: the largest rijksdienst has some 30,000 fte in all, so more is
a typo (an amount of money, a number of hours). Not the lifecycle's
:data:`spreiding.statemachine.rules.MAX_PLAN_FTE`, though the number is: that bounds the change
a plan makes, which for a masterplan spans several organisations; and this layer may not import
the lifecycle (independent domains, see the import contracts)."""
PROGNOSIS = "prognose"
PROGNOSIS_YEARS = 4  # a delivery may carry prognoses for the next four peildata
_PROGNOSIS_COLUMN = re.compile(r"prognose[_ ]?(\d{4})", re.ASCII)

Resolver = Callable[[str], str | None]
_T = TypeVar("_T")
Rows = Iterator[tuple[int, Sequence[object]]]

# Compiled once: the parser runs them on every row of files with 100,000 rows and more.
# ASCII only: Python's \d also takes '１２３' (full-width) and other scripts' digits.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)", re.ASCII)
_GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?", re.ASCII)
_AMBIGUOUS_NUMBER = re.compile(r"[+-]?[1-9]\d{0,2}\.\d{3}", re.ASCII)
_NAME_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)", re.ASCII)
_JANUARY = r"(?:0?1|jan(?:uari|uary)?\.?)"
_TITLE_YEAR = re.compile(
    rf"""\b(?:peildatum|jaar|reference\ date|year)\b[^0-9]{{0,40}}?
           (?:\b0?1[-/.\s]+{_JANUARY}[-/.\s]+)?(?P<a>(?:19|20)\d{{2}})\b
       | \b0?1[-/.\s]+{_JANUARY}[-/.\s]+(?P<b>(?:19|20)\d{{2}})\b
       | \b(?P<c>(?:19|20)\d{{2}})-0?1-0?1\b""",
    re.IGNORECASE | re.VERBOSE,
)
_YEAR_ONLY = re.compile(r"\d{4}", re.ASCII)
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", re.ASCII)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", re.ASCII)
_DAY_JANUARY_YEAR = re.compile(r"(\d{1,2})\s+jan(?:uari|uary)?\.?\s+(\d{4})", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SubmissionRow:
    """One checked data row: an organisation's fte in one municipality."""

    line: int  # the row number a user sees in the file (1-based, as in Excel/text editor)
    organisation: str  # resolved organisation code
    municipality: str  # resolved CBS code GMxxxx
    fte: float


@dataclass(frozen=True, slots=True)
class PrognosisRow:
    """One checked prognosis: the fte an organisation expects on 1 January of a later year."""

    line: int  # the row it was given on
    organisation: str  # resolved organisation code
    year: int  # the later peildatum's year
    fte: float


@dataclass(frozen=True, slots=True)
class ParsedSubmission:
    """A delivered file that passed every check, ready to be loaded in one transaction."""

    path: Path
    year: int  # the peildatum year (1 January) it is for
    rows: tuple[SubmissionRow, ...]
    sha256: str  # of the file bytes
    prognoses: tuple[PrognosisRow, ...] = ()  # by year, then in the order given

    @property
    def total_fte(self) -> float:
        """The sum of the fte of all rows."""
        return math.fsum(row.fte for row in self.rows)


def read_submission(
    path: Path,
    *,
    year: int,
    resolve_organisation: Resolver,
    resolve_municipality: Resolver | None = None,
) -> ParsedSubmission:
    """Read and check the delivery in ``path`` (.csv, .xlsx, .ods, .xls) for peildatum ``year``.

    ``resolve_organisation`` maps a cell's text to an organisation code, or None when unknown;
    ``resolve_municipality`` does the same for municipalities and defaults to the gazetteer
    (CBS code or name). Raises :class:`InvalidSubmission` with every problem found, each
    naming the file, row and column.
    """
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        kind = f"een {suffix}-bestand" if suffix else "een bestand zonder extensie"
        raise InvalidSubmission(
            f"{name}: {kind} kan niet worden gelezen; "
            "lever een CSV-bestand (.csv) of een werkmap (.xlsx, .ods of .xls)"
        )
    _check_name_year(name, year)
    try:
        data = path.read_bytes()
    except OSError:
        raise InvalidSubmission(
            f"{name}: het bestand kan niet worden gelezen; lever het opnieuw"
        ) from None
    # Only what a bad file makes the readers raise is refused here (InvalidSubmission from the
    # grid): a programming error surfaces as one, not as "cannot be read".
    sheet = _CsvGrid(name, data) if suffix == CSV_SUFFIX else _workbook_grid(name, data, suffix)
    parser = _Parser(sheet, year, resolve_organisation, resolve_municipality or _gazetteer_code)
    rows, prognoses = parser.parse()
    return ParsedSubmission(path, year, rows, hashlib.sha256(data).hexdigest(), prognoses)


def _gazetteer_code(text: str) -> str | None:
    """The CBS code of the municipality named by ``text``; ambiguous names raise InvalidInput."""
    found = gazetteer().find_municipality(text)
    return None if found is None else found.code


def _check_name_year(name: str, year: int) -> None:
    stated = sorted(set(_NAME_YEAR.findall(Path(name).stem)))
    if stated and str(year) not in stated:
        raise InvalidSubmission(
            f"{name}: de bestandsnaam noemt {' en '.join(stated)}, maar deze levering is voor "
            f"peildatum 1 januari {year}; lever de cijfers van {year} of verbeter de bestandsnaam"
        )


# --- the sheet a user looks at: CSV text or an Excel worksheet ------------------------------


class _Grid:
    """The rows of one delivered sheet, and how to point a user at a cell in it."""

    name: str

    @property
    def prefix(self) -> str:
        """How a message names the sheet: the file name (and the sheet's, when there are more)."""
        return self.name

    def rows(self) -> Rows:
        """Every row with its 1-based number as the user sees it."""
        raise NotImplementedError

    def label(self, index: int) -> str:
        """How the user names the column at 0-based ``index`` when it has no header."""
        return str(index + 1)

    def problem(
        self, line: int, index: int | None, column: str | None, value: str, message: str
    ) -> Problem:
        """A problem in row ``line``: in the column named ``column`` (its header) at ``index``,
        or, without a name, in the column at ``index`` (the whole row without either)."""
        label = column or ("" if index is None else self.label(index))
        return Problem(self.prefix, line, label, value, message)

    def check_blank(self, line: int, index: int, column: str) -> None:
        """A blank cell is about to be refused; a sheet may know a better reason."""

    def check_layout(self, header_line: int, columns: dict[str, int]) -> None:
        """Refuse a sheet layout that cannot be read row by row."""

    def check_width(self, line: int, cells: Sequence[object], width: int) -> None:
        """Refuse values outside the header's columns, where they betray a broken row."""


class _CsvGrid(_Grid):
    """A CSV file, decoded and with its delimiter detected."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.text = _grid.decode_csv_text(name, data)
        self.delimiter = _grid.detect_delimiter(self.text, REQUIRED)

    def rows(self) -> Rows:
        return _grid.csv_rows(self.name, self.text, self.delimiter)

    def check_width(self, line: int, cells: Sequence[object], width: int) -> None:
        if len(cells) <= width:
            return
        for index in range(width, len(cells)):
            value = str(cells[index]).strip()
            if value:
                hint = (
                    "zet een decimaalkomma in een bestand met komma's tussen de kolommen tussen "
                    """aanhalingstekens ("12,5"), of scheid de kolommen met ';'"""
                    if self.delimiter == ","
                    else "verwijder de waarde of geef haar kolom een naam in de kopregel"
                )
                raise _refusal(
                    self.problem(
                        line,
                        index,
                        None,
                        value,
                        f"onverwachte waarde {value!r} buiten de {width} kolommen van de "
                        f"kopregel; {hint}",
                    )
                )


class _SheetGrid(_Grid):
    """One sheet of a workbook, with the values the spreadsheet program cached for formulas."""

    def __init__(
        self, name: str, data: bytes, suffix: str, sheet: _grid.Sheet, many_sheets: bool
    ) -> None:
        self.name = name
        self.data = data
        self.suffix = suffix
        self.sheet = sheet
        self.many_sheets = many_sheets

    @property
    def prefix(self) -> str:
        return f"{self.name}, werkblad {self.sheet.title!r}" if self.many_sheets else self.name

    def rows(self) -> Rows:
        return self.sheet.rows()

    def label(self, index: int) -> str:
        return _grid.column_letter(index)

    def problem(
        self, line: int, index: int | None, column: str | None, value: str, message: str
    ) -> Problem:
        found = super().problem(line, index, column, value, message)
        if column is None or index is None:
            return found
        return Problem(found.file, line, column, value, message, cell=f"{self.label(index)}{line}")

    def check_blank(self, line: int, index: int, column: str) -> None:
        # Only a blank cell can hide a formula without cached value, so the formulas are read
        # on this error path only. LibreOffice (.ods, .xls) always saves the values.
        if self.suffix != ".xlsx":
            return
        formula = _xlsx_formula(self.name, self.data, self.sheet.title, line, index + 1)
        if formula is not None:
            raise _refusal(
                self.problem(
                    line,
                    index,
                    column,
                    formula,
                    f"de formule {formula!r} heeft geen berekende waarde (het bestand is niet "
                    "door een rekenprogramma opgeslagen); open en bewaar het in Excel of "
                    "LibreOffice, of plak de waarden",
                )
            )

    def check_layout(self, header_line: int, columns: dict[str, int]) -> None:
        ranges = sorted(self.sheet.merged, key=lambda r: (r.min_row, r.min_col))
        for merged in ranges:
            if merged.max_row < header_line:
                continue  # a merged title above the header
            for column, index in sorted(columns.items(), key=lambda item: item[1]):
                if merged.min_col <= index + 1 <= merged.max_col:
                    raise _refusal(
                        self.problem(
                            merged.min_row,
                            index,
                            column,
                            "",
                            f"de cellen {merged.coord} zijn samengevoegd; maak dat ongedaan "
                            "en geef in elke regel een waarde",
                        )
                    )


def _xlsx_formula(name: str, data: bytes, title: str, row: int, column: int) -> str | None:
    """The formula in one cell of an .xlsx sheet, None when the cell holds none.

    openpyxl in read-only mode streams the sheet: the grid has checked its size already.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            cells = book[title].iter_rows(
                min_row=row, max_row=row, min_col=column, max_col=column, values_only=True
            )
            value = next(iter(cells), (None,))[0]
        finally:
            book.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        return None  # calamine read it; a cell we cannot look up again is just blank
    return value if isinstance(value, str) and value.startswith("=") else None


def _workbook_grid(name: str, data: bytes, suffix: str) -> _SheetGrid:
    sheets = _grid.read_workbook(name, data, suffix)
    if not sheets:
        raise InvalidSubmission(
            f"{name}, regel 1: de werkmap heeft geen werkblad; er is niets te lezen"
        )
    with_header = [(sheet, line) for sheet in sheets if (line := _header_line(sheet))]
    if len(with_header) > 1:
        found = " en ".join(f"{sheet.title!r} (regel {line})" for sheet, line in with_header)
        raise InvalidSubmission(
            f"{name}: de werkbladen {found} hebben elk een kopregel met 'organisatie', "
            "'gemeente' en 'fte'; lever één werkblad met gegevens"
        )
    sheet = with_header[0][0] if with_header else sheets[0]
    return _SheetGrid(name, data, suffix, sheet, many_sheets=len(sheets) > 1)


def _header_line(sheet: _grid.Sheet) -> int | None:
    """The row number of the sheet's header row, None when it has none."""
    try:
        return _grid.find_header(sheet.rows(), REQUIRED, where=sheet.title).line
    except InvalidSubmission:
        return None


# --- the rules: header, year statements and rows ---------------------------------------------


class _Parser:
    """Applies the rules to the rows of one grid; keeps what later rows are checked against.

    A row's mistakes are collected, every cell apart, and the reading goes on: the file is
    refused at the end with every problem found.
    """

    def __init__(
        self, grid: _Grid, year: int, organisation: Resolver, municipality: Resolver
    ) -> None:
        self.grid = grid
        self.year = year
        # Few distinct names recur in many rows: resolve each once, known or refused (the
        # code, or why not, with whether it was found).
        self.resolvers: dict[str, tuple[Resolver, dict[str, tuple[str, bool]]]] = {
            ORGANISATION: (organisation, {}),
            MUNICIPALITY: (municipality, {}),
        }
        self.columns: dict[str, int] = {}
        self.width = 0
        self.seen: dict[tuple[str, str], int] = {}
        self.first_rows: dict[str, int] = {}  # organisation code -> its first row
        self.given: dict[tuple[str, int], PrognosisRow] = {}  # (organisation, year)
        self.written: set[tuple[str, int]] = set()  # a value was given, good or refused
        self.later: list[tuple[str, int]] = []  # the prognosis columns, as (name, year)
        self.shown: dict[str, str] = {}  # a prognosis column's header as written
        self.problems = Problems()

    def parse(self) -> tuple[tuple[SubmissionRow, ...], tuple[PrognosisRow, ...]]:
        """The rows and prognoses of the file; raises with every problem found."""
        rows = iter(self.grid.rows())
        header_line, header, titles = _find_header(self.grid, rows)
        self.columns = _columns(self.grid, header_line, header, self.year, self.problems)
        self.width = len(header)
        self.later = _prognosis_columns(self.columns)
        # a refusal names a prognosis column as the file writes it ('Prognose 2025')
        self.shown = {name: _as_text(_cell(header, self.columns[name])) for name, _ in self.later}
        for line, cells in titles:
            self._check(self._check_title_year, line, cells)
        self.grid.check_layout(header_line, self.columns)
        parsed = [row for line, cells in rows if (row := self._row(line, cells)) is not None]
        prognoses = self._prognoses()
        if self.problems:
            raise self.problems.refusal()
        if not parsed:
            raise _refusal(
                self.grid.problem(
                    header_line + 1,
                    None,
                    None,
                    "",
                    f"geen gegevensregels onder de kopregel (regel {header_line}); geef één "
                    "regel per organisatie en gemeente met 'organisatie', 'gemeente' en 'fte'",
                )
            )
        return tuple(parsed), prognoses

    def _check(self, check: Callable[..., _T], *args: object) -> _T | None:
        """``check(*args)``, or None when it refuses (its problems are kept)."""
        try:
            return check(*args)
        except InvalidSubmission as exc:
            self.problems.add(exc)
            return None

    def _row(self, line: int, cells: Sequence[object]) -> SubmissionRow | None:
        if blank(cells):
            return None
        before = len(self.problems)
        self._check(self.grid.check_width, line, cells, self.width)
        for column in YEAR_COLUMNS:
            if column in self.columns:
                self._check(self._check_row_year, line, cells, column)
        organisation = self._check(self._resolve, line, cells, ORGANISATION)
        municipality = self._check(self._resolve, line, cells, MUNICIPALITY)
        fte = self._check(self._fte, line, cells)
        if organisation is not None and municipality is not None:
            first = self.seen.setdefault((organisation, municipality), line)
            if first != line:
                self._check(self._refuse_duplicate, line, cells, first, municipality)
        if organisation is not None:
            self.first_rows.setdefault(organisation, line)
            for column, later in self.later:
                self._check(self._prognosis, line, cells, column, later, organisation)
        if len(self.problems) > before or organisation is None or municipality is None:
            return None
        assert fte is not None  # refused otherwise
        return SubmissionRow(line, organisation, municipality, fte)

    def _prognosis(
        self, line: int, cells: Sequence[object], column: str, later: int, organisation: str
    ) -> None:
        index, label = self.columns[column], self.shown[column]
        value = _cell(cells, index)
        if not _as_text(value):
            self.grid.check_blank(line, index, label)
            return  # given on another row of the organisation (checked at the end)
        self.written.add((organisation, later))
        fte = self._amount(line, value, index, label)
        if fte is None:  # pragma: no cover - a non-blank text is a number or refused
            return
        earlier = self.given.get((organisation, later))
        if earlier is not None:
            text = _as_text(value)
            raise _refusal(
                self.grid.problem(
                    line,
                    index,
                    label,
                    text,
                    f"{text!r} is een tweede prognose voor {organisation!r} in {later} (regel "
                    f"{earlier.line} geeft er al een); geef de prognose van een organisatie één "
                    "keer, op één van haar regels, en laat de cel op haar andere regels leeg",
                )
            )
        self.given[(organisation, later)] = PrognosisRow(line, organisation, later, fte)

    def _prognoses(self) -> tuple[PrognosisRow, ...]:
        """The prognoses of the file; every organisation needs one in each prognosis column."""
        found = []
        for column, later in self.later:
            for organisation, first in self.first_rows.items():
                given = self.given.get((organisation, later))
                if given is not None:
                    found.append(given)
                    continue
                if (organisation, later) in self.written:
                    continue  # given, but refused: that refusal says what to fix
                shown = self.shown[column]
                self.problems.add(
                    self.grid.problem(
                        first,
                        self.columns[column],
                        shown,
                        "",
                        f"leeg voor {organisation!r} op al haar regels; geef haar prognose "
                        f"voor 1 januari {later} (het aantal fte dat zij dan verwacht) op één "
                        f"van haar regels, of verwijder de kolom {shown!r}",
                    )
                )
        return tuple(found)

    def _resolve(self, line: int, cells: Sequence[object], column: str) -> str:
        index = self.columns[column]
        text = _as_text(_cell(cells, index))
        if not text:
            self.grid.check_blank(line, index, column)
            raise _refusal(
                self.grid.problem(line, index, column, "", f"leeg; geef {_WHAT[column]}")
            )
        resolve, known = self.resolvers[column]
        if text not in known:
            try:
                code = resolve(text)
                known[text] = (code, True) if code else (f"{text!r} {_UNKNOWN[column]}", False)
            except (InvalidInput, NotFound) as exc:
                known[text] = (str(exc), False)
        found, ok = known[text]
        if not ok:
            raise _refusal(self.grid.problem(line, index, column, text, found))
        return found

    def _fte(self, line: int, cells: Sequence[object]) -> float:
        index = self.columns[FTE]
        value = _cell(cells, index)
        fte = self._amount(line, value, index, FTE)
        if fte is None:
            self.grid.check_blank(line, index, FTE)
            raise _refusal(
                self.grid.problem(line, index, FTE, "", "leeg; geef de fte als getal, 0 of meer")
            )
        return fte

    def _amount(self, line: int, value: object, index: int, column: str) -> float | None:
        """A number of fte in a cell (None when blank): the same rules for every fte column."""
        text = _as_text(value)

        def refused(message: str) -> InvalidSubmission:
            return _refusal(self.grid.problem(line, index, column, text, message))

        try:
            fte = _number(value)
        except ValueError as exc:
            raise refused(str(exc)) from None
        if fte is None:
            return None
        if fte < 0:
            raise refused(f"{text!r} is negatief; geef de fte als getal, 0 of meer")
        if fte > MAX_DELIVERED_FTE:
            scope = "één organisatie" if column != FTE else "één organisatie in één gemeente"
            raise refused(
                f"{text!r} is meer dan {number(MAX_DELIVERED_FTE)} fte voor {scope}; geef de fte, "
                "geen geldbedrag of aantal uren"
            )
        return fte

    def _refuse_duplicate(
        self, line: int, cells: Sequence[object], first: int, municipality: str
    ) -> None:
        organisation = _as_text(_cell(cells, self.columns[ORGANISATION]))
        place = _as_text(_cell(cells, self.columns[MUNICIPALITY]))
        code = "" if place.upper() == municipality else f" ({municipality})"
        raise _refusal(
            self.grid.problem(
                line,
                None,
                f"{ORGANISATION} en {MUNICIPALITY}",
                f"{organisation}, {place}",
                f"{organisation!r} in {place!r}{code} staat al in regel {first}; geef één "
                "regel per organisatie en gemeente",
            )
        )

    def _check_row_year(self, line: int, cells: Sequence[object], column: str) -> None:
        index = self.columns[column]
        value = _cell(cells, index)
        text = _as_text(value)
        if not text:
            self.grid.check_blank(line, index, column)
            return  # a blank peildatum states nothing
        try:
            stated = _year_of(value)
        except ValueError as exc:
            raise _refusal(self.grid.problem(line, index, column, text, str(exc))) from None
        if stated != self.year:
            raise _refusal(
                self.grid.problem(
                    line,
                    index,
                    column,
                    text,
                    f"{text!r} is voor {stated}, maar deze levering is voor peildatum "
                    f"1 januari {self.year}",
                )
            )

    def _check_title_year(self, line: int, cells: Sequence[object]) -> None:
        texts = [(index, _as_text(cell)) for index, cell in enumerate(cells)]
        texts = [(index, text) for index, text in texts if text]
        # Join the row so "Peildatum:" in one cell and the date in the next read as one title.
        joined = " ".join(text for _, text in texts)
        found = _TITLE_YEAR.search(joined)
        if found is None:
            return
        stated = int(found["a"] or found["b"] or found["c"])
        if stated == self.year:
            return
        start, index = found.start(found.lastgroup or 0), texts[0][0]
        for cell_index, text in texts:
            if start < len(text) + 1:
                index = cell_index
                break
            start -= len(text) + 1
        raise _refusal(
            self.grid.problem(
                line,
                index,
                None,
                _as_text(_cell(cells, index)),
                f"de titel {joined!r} noemt {stated}, maar deze levering is voor peildatum "
                f"1 januari {self.year}",
            )
        )


def _refusal(problem: Problem) -> InvalidSubmission:
    """The refusal of one problem (a reader collects it with the others of the file)."""
    return InvalidSubmission(problems=(problem,))


_WHAT = {
    ORGANISATION: "de code of naam van de organisatie",
    MUNICIPALITY: "de CBS-code (GM0518) of naam van de gemeente",
}
_UNKNOWN = {
    ORGANISATION: "is geen bekende organisatie; gebruik de geregistreerde code of naam",
    MUNICIPALITY: "is geen bekende gemeente; geef een CBS-code (GM0518) of naam (Den Haag)",
}


def _find_header(
    grid: _Grid, rows: Rows
) -> tuple[int, Sequence[object], tuple[tuple[int, Sequence[object]], ...]]:
    """The first row holding all three column names, and the non-blank rows above it."""
    header = _grid.find_header(rows, REQUIRED, where=grid.prefix)
    return header.line, header.cells, header.above


def _columns(
    grid: _Grid, line: int, header: Sequence[object], year: int, problems: Problems
) -> dict[str, int]:
    """Where each known column is; a known column given twice is refused.

    A prognosis column is kept under its one name ``prognose_<year>``, and must be for one of
    the next :data:`PROGNOSIS_YEARS` peildata after ``year``; a column for another year is
    added to ``problems`` and not read. A column given twice refuses the file at once: which
    of the two holds the figures?
    """
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = header_name(cell)
        if found := _PROGNOSIS_COLUMN.fullmatch(name):
            later = int(found[1])
            if not year < later <= year + PROGNOSIS_YEARS:
                first, last = year + 1, year + PROGNOSIS_YEARS
                problems.add(
                    grid.problem(
                        line,
                        index,
                        _as_text(cell),
                        _as_text(cell),
                        f"een prognose voor {later}, maar een levering voor peildatum 1 januari "
                        f"{year} geeft alleen prognoses voor {first} tot en met {last} "
                        f"(kolommen 'prognose_{first}' tot en met 'prognose_{last}')",
                    )
                )
                continue
            name = f"{PROGNOSIS}_{later}"
        elif name not in REQUIRED and name not in YEAR_COLUMNS:
            continue
        if name in columns:
            raise _refusal(
                grid.problem(
                    line,
                    index,
                    name,
                    _as_text(cell),
                    f"de kolom staat er twee keer in (ook kolom {grid.label(columns[name])}); "
                    "houd er één",
                )
            )
        columns[name] = index
    return columns


def _prognosis_columns(columns: dict[str, int]) -> list[tuple[str, int]]:
    """The prognosis columns found, as (name, year), by year."""
    found = [(name, int(name.rsplit("_", 1)[1])) for name in columns if name.startswith(PROGNOSIS)]
    return sorted(found, key=lambda item: item[1])


# --- cell values -------------------------------------------------------------------------------


def _cell(cells: Sequence[object], index: int) -> object:
    return cells[index] if index < len(cells) else None


def _as_text(value: object) -> str:
    """A cell as the user would read it back: 12 for 12.0, 1-1-2023 for a date."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.15g}"  # 1.7e+308, not 309 digits
    if isinstance(value, date):
        return f"{value.day}-{value.month}-{value.year}"
    return str(value)


def _number(value: object) -> float | None:
    """The fte in a cell, None when blank; ValueError says why it is not a number."""
    if isinstance(value, bool):
        raise ValueError(f"{_as_text(value)!r} is geen getal; geef de fte als getal, zoals 12,5")
    if isinstance(value, date):
        raise ValueError(f"{_as_text(value)!r} is een datum; geef de fte als getal, zoals 12,5")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = _as_text(value)
        if not text:
            return None
        number = _parse_decimal(text)
    if not math.isfinite(number):
        raise ValueError(f"{_as_text(value)!r} is geen getal; geef de fte als getal, zoals 12,5")
    return number + 0.0  # turns -0.0 into 0.0


def _parse_decimal(text: str) -> float:
    if _AMBIGUOUS_NUMBER.fullmatch(text):
        thousands, decimals = text.replace(".", ""), text.replace(".", ",")
        raise ValueError(
            f"{text!r} is dubbelzinnig (een punt voor de duizendtallen of een decimaalpunt?); "
            f"schrijf {thousands} voor de duizendtallen, of {decimals} voor de decimalen"
        )
    if _PLAIN_NUMBER.fullmatch(text):
        return float(text.replace(",", "."))
    if _GROUPED_NUMBER.fullmatch(text):
        return float(text.replace(".", "").replace(",", "."))
    raise ValueError(
        f"{text!r} is geen getal; geef de fte als getal in cijfers (0-9), met een komma of "
        "punt als decimaalteken, zoals 12,5 of 12.5"
    )


def _year_of(value: object) -> int:
    """The year a peildatum/jaar cell states; ValueError for anything but a year or 1 January."""
    if isinstance(value, date):
        day = value.date() if isinstance(value, datetime) else value
    elif isinstance(value, int | float) and 1000 <= value <= 9999 and float(value).is_integer():
        return int(value)
    else:
        text = _as_text(value)
        if _YEAR_ONLY.fullmatch(text):
            return int(text)
        day = _date_in(text)
    if (day.month, day.day) != (1, 1):
        raise ValueError(
            f"{_as_text(value)!r} is geen 1 januari; de peildatum is 1 januari van het jaar"
        )
    return day.year


def _date_in(text: str) -> date:
    """The date written as d-m-yyyy, yyyy-mm-dd or '1 januari yyyy'."""
    parts: tuple[str, str, str] | None = None
    if found := _DAY_MONTH_YEAR.fullmatch(text):
        parts = (found[3], found[2], found[1])
    elif found := _ISO_DATE.fullmatch(text):
        parts = (found[1], found[2], found[3])
    elif found := _DAY_JANUARY_YEAR.fullmatch(text):
        parts = (found[2], "1", found[1])
    try:
        if parts is None:
            raise ValueError(text)
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise ValueError(f"{text!r} is geen jaar of datum; schrijf 2023 of 1-1-2023") from None
