"""Reading and validating a ministry's yearly fte delivery (a CSV file or a workbook).

Every year each ministry delivers, counted on peildatum 1 January, the fte of its organisations
per municipality: columns ``organisatie``, ``gemeente`` and ``fte``. :func:`read_submission`
reads one delivered file, checks every row and returns a :class:`ParsedSubmission` that the
loader writes in one transaction. Anything wrong is refused with one
:class:`~spreiding.core.errors.InvalidSubmission` line naming the file, row and column and the bad
value; nothing is returned then. Pure: nothing here touches the database.

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
  An organisation has at most :data:`MAX_FTE` fte in one municipality: a larger value (1e300) is
  a mistake, refused like an infinite or not-a-number value.
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

from spreiding.core import grid as _grid
from spreiding.core.dutch import number
from spreiding.core.errors import InvalidInput, InvalidSubmission, NotFound
from spreiding.core.grid import CSV_SUFFIX, WORKBOOK_SUFFIXES, blank, header_name
from spreiding.geography.reference import gazetteer

ORGANISATION = "organisatie"
MUNICIPALITY = "gemeente"
FTE = "fte"
REQUIRED = (ORGANISATION, MUNICIPALITY, FTE)
YEAR_COLUMNS = ("peildatum", "jaar")
SUFFIXES = (CSV_SUFFIX, *WORKBOOK_SUFFIXES)
# The largest rijksdienst has some 30,000 fte in all; 100,000 in one municipality is a typo.
MAX_FTE = 100_000
PROGNOSIS = "prognose"
PROGNOSIS_YEARS = 4  # a delivery may carry prognoses for the next four peildata
_PROGNOSIS_COLUMN = re.compile(r"prognose[_ ]?(\d{4})", re.ASCII)

Resolver = Callable[[str], str | None]
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
    (CBS code or name). Raises :class:`InvalidSubmission` with one line naming the file, row
    and column on the first problem found.
    """
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidSubmission(
            f"{name}: cannot read {suffix or 'a file without extension'!r} files; "
            "deliver a CSV file (.csv) or a workbook (.xlsx, .ods or .xls)"
        )
    _check_name_year(name, year)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidSubmission(f"{name}: cannot be read ({exc.strerror})") from None
    # Only what a bad file makes the readers raise is refused here (InvalidSubmission from the
    # grid): a programming error surfaces as one, not as "cannot be read".
    sheet = _CsvGrid(name, data) if suffix == CSV_SUFFIX else _workbook_grid(name, data, suffix)
    parser = _Parser(sheet, year, resolve_organisation, resolve_municipality or _gazetteer_code)
    rows = parser.parse()
    prognoses = parser.prognoses()
    return ParsedSubmission(path, year, rows, hashlib.sha256(data).hexdigest(), prognoses)


def _gazetteer_code(text: str) -> str | None:
    """The CBS code of the municipality named by ``text``; ambiguous names raise InvalidInput."""
    found = gazetteer().find_municipality(text)
    return None if found is None else found.code


def _check_name_year(name: str, year: int) -> None:
    stated = sorted(set(_NAME_YEAR.findall(Path(name).stem)))
    if stated and str(year) not in stated:
        raise InvalidSubmission(
            f"{name}: the file name says {' and '.join(stated)}, but this delivery is for "
            f"peildatum 1 January {year}; deliver the {year} figures or correct the file name"
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

    def here(self, line: int) -> str:
        return f"{self.prefix}, row {line}"

    def label(self, index: int) -> str:
        """How the user names the column at 0-based ``index`` when it has no header."""
        return str(index + 1)

    def where(self, line: int, index: int, column: str | None = None) -> str:
        label = repr(column) if column else self.label(index)
        return f"{self.here(line)}, column {label}"

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
                    'a decimal comma in a comma-separated file must be quoted ("12,5"), '
                    "or separate the columns with ';'"
                    if self.delimiter == ","
                    else "remove it or give its column a header"
                )
                raise InvalidSubmission(
                    f"{self.where(line, index)}: unexpected extra value {value!r} beyond the "
                    f"{width} columns of the header; {hint}"
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
        return f"{self.name}, sheet {self.sheet.title!r}" if self.many_sheets else self.name

    def rows(self) -> Rows:
        return self.sheet.rows()

    def label(self, index: int) -> str:
        return _grid.column_letter(index)

    def where(self, line: int, index: int, column: str | None = None) -> str:
        if column is None:
            return f"{self.here(line)}, column {self.label(index)}"
        return f"{self.here(line)}, column {column!r} (cell {self.label(index)}{line})"

    def check_blank(self, line: int, index: int, column: str) -> None:
        # Only a blank cell can hide a formula without cached value, so the formulas are read
        # on this error path only. LibreOffice (.ods, .xls) always saves the values.
        if self.suffix != ".xlsx":
            return
        formula = _xlsx_formula(self.name, self.data, self.sheet.title, line, index + 1)
        if formula is not None:
            raise InvalidSubmission(
                f"{self.where(line, index, column)}: the formula {formula!r} has no computed "
                "value (the file was not saved by a spreadsheet program); open and save it in "
                "Excel or LibreOffice, or paste the values"
            )

    def check_layout(self, header_line: int, columns: dict[str, int]) -> None:
        ranges = sorted(self.sheet.merged, key=lambda r: (r.min_row, r.min_col))
        for merged in ranges:
            if merged.max_row < header_line:
                continue  # a merged title above the header
            for column, index in sorted(columns.items(), key=lambda item: item[1]):
                if merged.min_col <= index + 1 <= merged.max_col:
                    raise InvalidSubmission(
                        f"{self.where(merged.min_row, index, column)}: cells {merged.coord} "
                        "are merged; unmerge them and give a value in every row"
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
        raise InvalidSubmission(f"{name}, row 1: the workbook has no worksheet; nothing to read")
    with_header = [(sheet, line) for sheet in sheets if (line := _header_line(sheet))]
    if len(with_header) > 1:
        found = " and ".join(f"{sheet.title!r} (row {line})" for sheet, line in with_header)
        raise InvalidSubmission(
            f"{name}: sheets {found} each have a header row with 'organisatie', 'gemeente' "
            "and 'fte'; deliver one sheet with data"
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
    """Applies the rules to the rows of one grid; keeps what later rows are checked against."""

    def __init__(
        self, grid: _Grid, year: int, organisation: Resolver, municipality: Resolver
    ) -> None:
        self.grid = grid
        self.year = year
        # Few distinct names recur in many rows: resolve each once.
        self.resolvers: dict[str, tuple[Resolver, dict[str, str]]] = {
            ORGANISATION: (organisation, {}),
            MUNICIPALITY: (municipality, {}),
        }
        self.columns: dict[str, int] = {}
        self.width = 0
        self.seen: dict[tuple[str, str], int] = {}
        self.first_rows: dict[str, int] = {}  # organisation code -> its first row
        self.given: dict[tuple[str, int], PrognosisRow] = {}  # (organisation, year)
        self.later: list[tuple[str, int]] = []  # the prognosis columns, as (name, year)
        self.shown: dict[str, str] = {}  # a prognosis column's header as written

    def parse(self) -> tuple[SubmissionRow, ...]:
        rows = iter(self.grid.rows())
        header_line, header, titles = _find_header(self.grid, rows)
        self.columns = _columns(self.grid, header_line, header, self.year)
        self.width = len(header)
        self.later = _prognosis_columns(self.columns)
        # a refusal names a prognosis column as the file writes it ('Prognose 2025')
        self.shown = {name: _as_text(_cell(header, self.columns[name])) for name, _ in self.later}
        for line, cells in titles:
            self._check_title_year(line, cells)
        self.grid.check_layout(header_line, self.columns)
        parsed = [row for line, cells in rows if (row := self._row(line, cells)) is not None]
        if not parsed:
            raise InvalidSubmission(
                f"{self.grid.here(header_line + 1)}: no data rows below the header "
                f"(row {header_line}); give one row per organisation and municipality with "
                "'organisatie', 'gemeente' and 'fte'"
            )
        return tuple(parsed)

    def _row(self, line: int, cells: Sequence[object]) -> SubmissionRow | None:
        if blank(cells):
            return None
        self.grid.check_width(line, cells, self.width)
        for column in YEAR_COLUMNS:
            if column in self.columns:
                self._check_row_year(line, cells, column)
        organisation = self._resolve(line, cells, ORGANISATION)
        municipality = self._resolve(line, cells, MUNICIPALITY)
        fte = self._fte(line, cells)
        first = self.seen.setdefault((organisation, municipality), line)
        if first != line:
            self._refuse_duplicate(line, cells, first, municipality)
        self.first_rows.setdefault(organisation, line)
        for column, later in self.later:
            self._prognosis(line, cells, column, later, organisation)
        return SubmissionRow(line, organisation, municipality, fte)

    def _prognosis(
        self, line: int, cells: Sequence[object], column: str, later: int, organisation: str
    ) -> None:
        index, label = self.columns[column], self.shown[column]
        value = _cell(cells, index)
        if not _as_text(value):
            self.grid.check_blank(line, index, label)
            return  # given on another row of the organisation (checked at the end)
        fte = self._amount(line, value, index, label)
        if fte is None:  # pragma: no cover - a non-blank text is a number or refused
            return
        earlier = self.given.get((organisation, later))
        if earlier is not None:
            raise InvalidSubmission(
                f"{self.grid.where(line, index, label)}: {_as_text(value)!r} is a second "
                f"prognosis for {organisation!r} in {later} (row {earlier.line} gives one); "
                "give an organisation's prognosis once, on one of its rows, and leave the "
                "cell blank on its other rows"
            )
        self.given[(organisation, later)] = PrognosisRow(line, organisation, later, fte)

    def prognoses(self) -> tuple[PrognosisRow, ...]:
        """The prognoses of the file; every organisation needs one in each prognosis column."""
        found = []
        for column, later in self.later:
            for organisation, first in self.first_rows.items():
                given = self.given.get((organisation, later))
                if given is None:
                    raise InvalidSubmission(
                        f"{self.grid.where(first, self.columns[column], self.shown[column])}: "
                        f"empty for "
                        f"{organisation!r} on each of its rows; give its prognosis for "
                        f"1 January {later} (the fte it expects then) on one of its rows, or "
                        f"remove the column {self.shown[column]!r}"
                    )
                found.append(given)
        return tuple(found)

    def _resolve(self, line: int, cells: Sequence[object], column: str) -> str:
        index = self.columns[column]
        text = _as_text(_cell(cells, index))
        if not text:
            self.grid.check_blank(line, index, column)
            raise InvalidSubmission(
                f"{self.grid.where(line, index, column)}: empty; give {_WHAT[column]}"
            )
        resolve, known = self.resolvers[column]
        code = known.get(text)
        if code is None:
            try:
                code = resolve(text)
            except (InvalidInput, NotFound) as exc:
                raise InvalidSubmission(f"{self.grid.where(line, index, column)}: {exc}") from None
            if code is None:
                raise InvalidSubmission(
                    f"{self.grid.where(line, index, column)}: {text!r} {_UNKNOWN[column]}"
                )
            known[text] = code
        return code

    def _fte(self, line: int, cells: Sequence[object]) -> float:
        index = self.columns[FTE]
        value = _cell(cells, index)
        fte = self._amount(line, value, index, FTE)
        if fte is None:
            self.grid.check_blank(line, index, FTE)
            raise InvalidSubmission(
                f"{self.grid.where(line, index, FTE)}: empty; fte must be a number, 0 or more"
            )
        return fte

    def _amount(self, line: int, value: object, index: int, column: str) -> float | None:
        """A number of fte in a cell (None when blank): the same rules for every fte column."""
        where = self.grid.where(line, index, column)
        try:
            fte = _number(value)
        except ValueError as exc:
            raise InvalidSubmission(f"{where}: {exc}") from None
        if fte is None:
            return None
        if fte < 0:
            raise InvalidSubmission(
                f"{where}: {_as_text(value)!r} is negative; fte must be 0 or more"
            )
        if fte > MAX_FTE:
            scope = "one organisation" if column != FTE else "one organisation in one municipality"
            raise InvalidSubmission(
                f"{where}: {_as_text(value)!r} is more than {number(MAX_FTE)} fte for {scope}; "
                "give the fte, not a sum of money or a number of hours"
            )
        return fte

    def _refuse_duplicate(
        self, line: int, cells: Sequence[object], first: int, municipality: str
    ) -> None:
        organisation = _as_text(_cell(cells, self.columns[ORGANISATION]))
        place = _as_text(_cell(cells, self.columns[MUNICIPALITY]))
        code = "" if place.upper() == municipality else f" ({municipality})"
        raise InvalidSubmission(
            f"{self.grid.here(line)}, columns 'organisatie' and 'gemeente': {organisation!r} "
            f"in {place!r}{code} is already given in row {first}; give one row per "
            "organisation and municipality"
        )

    def _check_row_year(self, line: int, cells: Sequence[object], column: str) -> None:
        index = self.columns[column]
        value = _cell(cells, index)
        if not _as_text(value):
            self.grid.check_blank(line, index, column)
            return  # a blank peildatum states nothing
        try:
            stated = _year_of(value)
        except ValueError as exc:
            raise InvalidSubmission(f"{self.grid.where(line, index, column)}: {exc}") from None
        if stated != self.year:
            raise InvalidSubmission(
                f"{self.grid.where(line, index, column)}: {_as_text(value)!r} is for {stated}, "
                f"but this delivery is for peildatum 1 January {self.year}"
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
        raise InvalidSubmission(
            f"{self.grid.where(line, index)}: the title {joined!r} says {stated}, "
            f"but this delivery is for peildatum 1 January {self.year}"
        )


_WHAT = {
    ORGANISATION: "the organisation's code or name",
    MUNICIPALITY: "the municipality's CBS code (GM0518) or name",
}
_UNKNOWN = {
    ORGANISATION: "is not a known organisation; use the organisation's registered code or name",
    MUNICIPALITY: "is not a known municipality; give a CBS code (GM0518) or name (Den Haag)",
}


def _find_header(
    grid: _Grid, rows: Rows
) -> tuple[int, Sequence[object], tuple[tuple[int, Sequence[object]], ...]]:
    """The first row holding all three column names, and the non-blank rows above it."""
    header = _grid.find_header(rows, REQUIRED, where=grid.prefix)
    return header.line, header.cells, header.above


def _columns(grid: _Grid, line: int, header: Sequence[object], year: int) -> dict[str, int]:
    """Where each known column is; a known column given twice is refused.

    A prognosis column is kept under its one name ``prognose_<year>``, and must be for one of
    the next :data:`PROGNOSIS_YEARS` peildata after ``year``.
    """
    columns: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = header_name(cell)
        if found := _PROGNOSIS_COLUMN.fullmatch(name):
            later = int(found[1])
            if not year < later <= year + PROGNOSIS_YEARS:
                raise InvalidSubmission(
                    f"{grid.where(line, index, _as_text(cell))}: a prognosis for {later}, but "
                    f"a delivery for peildatum 1 January {year} may give prognoses for "
                    f"{year + 1} to {year + PROGNOSIS_YEARS} only (columns "
                    f"'prognose_{year + 1}' to 'prognose_{year + PROGNOSIS_YEARS}')"
                )
            name = f"{PROGNOSIS}_{later}"
        elif name not in REQUIRED and name not in YEAR_COLUMNS:
            continue
        if name in columns:
            raise InvalidSubmission(
                f"{grid.where(line, index, name)}: the column appears twice (also column "
                f"{grid.label(columns[name])}); keep one"
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
        raise ValueError(f"{value!r} is not a number; give the fte as a number such as 12,5")
    if isinstance(value, date):
        raise ValueError(f"{_as_text(value)!r} is a date; give the fte as a number such as 12,5")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = _as_text(value)
        if not text:
            return None
        number = _parse_decimal(text)
    if not math.isfinite(number):
        raise ValueError(f"{_as_text(value)!r} is not a number; give the fte as a number")
    return number + 0.0  # turns -0.0 into 0.0


def _parse_decimal(text: str) -> float:
    if _AMBIGUOUS_NUMBER.fullmatch(text):
        thousands, decimals = text.replace(".", ""), text.replace(".", ",")
        raise ValueError(
            f"{text!r} is ambiguous (a thousands dot or a decimal point?); write "
            f"{thousands} for the thousands, or {decimals} for the decimals"
        )
    if _PLAIN_NUMBER.fullmatch(text):
        return float(text.replace(",", "."))
    if _GROUPED_NUMBER.fullmatch(text):
        return float(text.replace(".", "").replace(",", "."))
    raise ValueError(f"{text!r} is not a number; give the fte as a number such as 12,5 or 12.5")


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
            f"{_as_text(value)!r} is not 1 January; the peildatum is 1 January of the year"
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
        raise ValueError(f"{text!r} is not a year or date; write 2023 or 1-1-2023") from None
