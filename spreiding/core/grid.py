"""The grid of a delivered file: CSV text or one sheet of a workbook, read in bounded memory.

One reader for every file a ministry, province or municipality delivers (the yearly fte
delivery in :mod:`spreiding.inventory.files`, the regional opportunities in
:mod:`spreiding.opportunities.store`): decode CSV text and find its delimiter, read the sheets
of a workbook, find the header row. What a row means is the caller's business.

- CSV: a byte order mark settles the encoding, else UTF-8, else Windows-1252. ``;`` or ``,``
  separates the columns, whichever splits a header line into the columns looked for.
- Workbooks: ``.xlsx``, ``.xls`` and ``.ods`` alike (ODF is on the Dutch government's list of
  mandatory open standards), read with calamine, which gives the values the spreadsheet program
  cached for formulas. calamine builds a sheet's whole rectangle in memory and aborts the
  process when that fails, so a stray value in cell XFD1048576 of a 5 KB file would take the
  host down. Before calamine sees a ``.xlsx`` or ``.ods`` file, its sheets' XML is scanned as a
  stream for the cells that hold something; a sheet whose used area exceeds
  :data:`MAX_CELLS`, or an archive that unpacks to more than :data:`MAX_UNPACKED_BYTES`, is
  refused with one line naming the file, the sheet and the area. An ``.xls`` file cannot
  exceed 65,536 rows x 256 columns (the format's own limit); calamine holds that in about a
  gigabyte (measured: a stray value in IV65536 of a 5 KB .xls, 1 GB peak, then refused), and
  it is checked after reading.
- The header is the first row holding all the columns looked for among the first
  :data:`HEADER_SEARCH_ROWS` non-blank rows; rows above it (titles) are returned to the caller.

Every refusal is one :class:`~spreiding.core.errors.InvalidSubmission` line naming the file.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import re
import zipfile
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

from python_calamine import CalamineError, CalamineWorkbook

from spreiding.core.dutch import number
from spreiding.core.errors import InvalidSubmission

CSV_SUFFIX = ".csv"
WORKBOOK_SUFFIXES = (".xlsx", ".xls", ".ods")
# Title rows above the header are few; searching further would only slow down a refusal.
HEADER_SEARCH_ROWS = 50
# 100,000 rows of 50 columns, or 1,000,000 rows of 5: far more than any delivery, and what
# calamine and the rows built from it hold in a few hundred megabytes.
MAX_CELLS = 5_000_000
# What the parts of one workbook may unpack to (a zip bomb is refused before it unpacks).
MAX_UNPACKED_BYTES = 512 * 1024 * 1024

Rows = Iterator[tuple[int, Sequence[object]]]

_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_CHUNK = 1024 * 1024


# --- CSV ------------------------------------------------------------------------------------------


def decode_csv_text(name: str, data: bytes) -> str:
    """A CSV file's bytes as text: a BOM settles the encoding, else UTF-8, else cp1252."""
    if data.startswith(_WORKBOOK_MAGIC):
        raise InvalidSubmission.at(
            name,
            1,
            "dit is een werkmap, geen CSV-tekst; "
            "lever het als .xlsx of .ods, of bewaar het als 'CSV UTF-8'",
        )
    bom, codings = _codings(data)
    for coding in codings:
        try:
            text = data[len(bom) :].decode(coding)
            break
        except UnicodeDecodeError as exc:
            error = exc
    else:
        at = len(bom) + error.start
        line = data.count(b"\n", 0, at) + 1
        tried = " of ".join(_CODING_NAMES[coding] for coding in codings)
        raise InvalidSubmission.at(
            name,
            line,
            f"byte {data[at]:#04x} is geen {tried}-tekst; bewaar het bestand als 'CSV UTF-8'",
        )
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InvalidSubmission.at(name, line, "bevat binaire gegevens; lever CSV-tekst")
    return text


def _codings(data: bytes) -> tuple[bytes, tuple[str, ...]]:
    """The byte order mark and the encodings to try: a BOM settles it, else UTF-8, cp1252."""
    for bom, coding in _BOMS:
        if data.startswith(bom):
            # No Windows-1252 fallback here: it would turn a UTF-8 BOM into 'ï»¿'.
            return bom, (coding,)
    return b"", ("utf-8", "cp1252")


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CODING_NAMES = {
    "utf-8": "UTF-8",
    "cp1252": "Windows-1252",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
}


def detect_delimiter(text: str, required: Collection[str]) -> str:
    """';' or ',': whichever splits a header line into the ``required`` column names."""
    lines = list(islice(io.StringIO(text, newline=""), HEADER_SEARCH_ROWS))
    for line in lines:
        for delimiter in ";,":
            try:
                cells = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])
            except csv.Error:  # e.g. a field over the csv module's size limit
                continue
            if set(required) <= {header_name(cell) for cell in cells}:
                return delimiter
    first = next((line for line in lines if line.strip()), "")
    return ";" if first.count(";") > first.count(",") else ","


def csv_rows(name: str, text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Every row with the 1-based line it starts on, as a text editor shows it."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            # A quoted value may span lines: the next row starts after the last line read.
            start = reader.line_num + 1
    except csv.Error:
        raise InvalidSubmission.at(
            name,
            start,
            "geen geldige CSV (een waarde tussen aanhalingstekens sluit niet af of is te lang); "
            "controleer de aanhalingstekens",
        ) from None


# --- the header ---------------------------------------------------------------------------------


def header_name(cell: object) -> str:
    """A header cell as compared: stripped, without a BOM, case-folded."""
    return cell.strip().lstrip("\ufeff").strip().casefold() if isinstance(cell, str) else ""


def blank(cells: Sequence[object]) -> bool:
    """Whether a row holds nothing but empty cells."""
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


@dataclass(frozen=True, slots=True)
class Header:
    """The header row found, and the non-blank rows above it (titles)."""

    line: int
    cells: Sequence[object]
    above: tuple[tuple[int, Sequence[object]], ...]


def listing(names: Sequence[str]) -> str:
    """Column names as a message lists them: ``'a', 'b' en 'c'``."""
    quoted = [repr(name) for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} en {quoted[-1]}"


def find_header(
    rows: Rows, required: Sequence[str], *, where: str, expected: Sequence[str] | None = None
) -> Header:
    """The first row holding every ``required`` name, among the first non-blank rows.

    ``rows`` is consumed up to the header, so the caller reads the data rows from it next.
    ``where`` names the file (and sheet) in a refusal; ``expected`` lists the columns a
    refusal names (default: ``required``).
    """
    wanted = listing(expected or required)
    above: list[tuple[int, Sequence[object]]] = []
    best: tuple[int, int, Sequence[object]] | None = None
    for line, cells in rows:
        if blank(cells):
            continue
        found = len(set(required) & {header_name(cell) for cell in cells})
        if found == len(required):
            return Header(line, cells, tuple(above))
        if found and (best is None or found > best[0]):
            best = (found, line, cells)
        above.append((line, cells))
        if len(above) >= HEADER_SEARCH_ROWS:
            break
    if best is not None:
        _, line, cells = best
        names = {header_name(cell) for cell in cells}
        missing = ", ".join(repr(name) for name in required if name not in names)
        found_names = ", ".join(repr(text) for cell in cells if (text := _text(cell)))
        raise InvalidSubmission.at(
            where, line, f"de kopregel mist {missing}; gevonden: {found_names}"
        )
    if not above:
        raise InvalidSubmission.at(
            where,
            1,
            f"geen kopregel gevonden, het bestand is leeg; "
            f"verwacht een kopregel met de kolommen {wanted}",
        )
    first = f"de eerste {len(above)} regels" if len(above) > 1 else "de eerste regel"
    if len(above) >= HEADER_SEARCH_ROWS:
        first = f"de eerste {HEADER_SEARCH_ROWS} niet-lege regels"
    # All the names in one cell: the columns are separated by something else (a tab).
    glued = any(
        all(name in header_name(cell) for name in required) for _, cells in above for cell in cells
    )
    hint = "; scheid de kolommen met ';' of ','" if glued else ""
    raise InvalidSubmission(
        f"{where}: geen kopregel gevonden in {first}; verwacht een regel met de kolommen "
        f"{wanted}{hint}"
    )


def _text(cell: object) -> str:
    return "" if cell is None else str(cell).strip()


# --- workbooks ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Merged:
    """A range of merged cells, 1-based and inclusive as a spreadsheet shows it."""

    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @property
    def coord(self) -> str:
        """``A3:A4``."""
        start = f"{column_letter(self.min_col - 1)}{self.min_row}"
        return f"{start}:{column_letter(self.max_col - 1)}{self.max_row}"


@dataclass(frozen=True, slots=True)
class Sheet:
    """One sheet of a workbook: its rows of values (formulas as cached) and merged ranges."""

    title: str
    cells: list[list[object]]
    merged: tuple[Merged, ...]

    def rows(self) -> Iterator[tuple[int, Sequence[object]]]:
        """Every row with its 1-based number as the user sees it."""
        return enumerate(self.cells, start=1)


def column_letter(index: int) -> str:
    """The spreadsheet letters of the column at 0-based ``index``: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_workbook(name: str, data: bytes, suffix: str) -> list[Sheet]:
    """Every sheet of the .xlsx, .xls or .ods workbook ``data``, refused when absurdly large."""
    if suffix == ".xlsx":
        areas = _xlsx_areas(name, data)
    elif suffix == ".ods":
        areas = _ods_areas(name, data)
    else:
        areas = {}  # .xls: bounded by the format (65,536 x 256); checked below
    for title, area in areas.items():
        _check_area(name, title, area.rows, area.columns)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for title in book.sheet_names:
            sheet = book.get_sheet_by_name(title)
            end = sheet.end  # the last used cell, 0-based; None for an empty sheet
            if end is not None:
                _check_area(name, title, end[0] + 1, end[1] + 1)
            ranges = sheet.merged_cell_ranges
            if ranges is None:  # .ods: calamine does not say; the scan did
                merged = areas[title].merged if title in areas else ()
            else:
                merged = tuple(Merged(a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1) for a, b in ranges)
            cells: list[list[object]] = sheet.to_python(skip_empty_area=False)  # type: ignore[assignment]
            sheets.append(Sheet(title, cells, merged))
    except CalamineError as exc:
        raise _unreadable(name, suffix, exc) from None
    return sheets


def _unreadable(name: str, suffix: str, exc: Exception | None = None) -> InvalidSubmission:
    kind = {".xlsx": "Excel", ".xls": "Excel 97-2003", ".ods": "OpenDocument"}[suffix]
    # calamine's reason (exc) is English and technical: the fix is the same whatever it says.
    return InvalidSubmission(
        f"{name}: geen leesbare {suffix}-werkmap; bewaar het opnieuw als {kind}-werkmap "
        f"({suffix}) of lever een CSV-bestand"
    )


def _check_area(name: str, title: str, rows: int, columns: int) -> None:
    if rows * columns <= MAX_CELLS:
        return
    area = f"A1:{column_letter(columns - 1)}{rows}"
    size = (
        f"{number(rows)} regels x {number(columns)} kolommen, hoogstens {number(MAX_CELLS)} cellen"
    )
    raise InvalidSubmission(
        f"{name}, werkblad {title!r}: het gebruikte gebied {area} is te groot ({size}); wis de "
        "losse cellen buiten de tabel (Ctrl+End toont de laatst gebruikte cel) en bewaar het "
        "opnieuw"
    )


@dataclass(slots=True)
class _Area:
    """What the scan of one sheet found: the used rows and columns, from A1, and merges."""

    rows: int = 0
    columns: int = 0
    merged: tuple[Merged, ...] = ()


def _parts(
    name: str, data: bytes, suffix: str, wanted: re.Pattern[str]
) -> Iterator[tuple[str, Iterator[bytes]]]:
    """The archive's parts whose name matches ``wanted``, each as a stream of chunks.

    Every part is unpacked (as a stream) to check that the archive does not unpack to more than
    :data:`MAX_UNPACKED_BYTES`, whatever its directory claims.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _unreadable(name, suffix) from None
    budget = [MAX_UNPACKED_BYTES]

    def chunks(info: zipfile.ZipInfo) -> Iterator[bytes]:
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    budget[0] -= len(chunk)
                    if budget[0] < 0:
                        raise InvalidSubmission(
                            f"{name}: de werkmap pakt uit tot meer dan "
                            f"{number(MAX_UNPACKED_BYTES // 2**20)} MB; dit is geen levering"
                        )
                    yield chunk
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            raise _unreadable(name, suffix) from None

    for info in infos:
        stream = chunks(info)
        if wanted.fullmatch(info.filename):
            yield info.filename, stream
        else:
            for _ in stream:
                pass


def _tags(
    chunks: Iterator[bytes],
    pattern: re.Pattern[bytes],
    plain: tuple[re.Pattern[bytes], tuple[bytes, ...]] | None = None,
) -> Iterator[re.Match[bytes]]:
    """The matches of ``pattern`` (a tag) in a stream, never cut at a chunk boundary.

    ``plain`` is the same pattern without namespace prefixes and the bytes that betray a
    prefixed tag: a chunk holding none of them is matched with the (three times faster) plain
    pattern.
    """
    tail = b""
    for chunk in chunks:
        buffer = tail + chunk
        cut = buffer.rfind(b"<")
        if cut < 0:
            tail = b""
            continue
        use = pattern
        if plain is not None and not any(mark in buffer for mark in plain[1]):
            use = plain[0]
        yield from use.finditer(buffer, 0, cut)
        tail = buffer[cut:]
    yield from pattern.finditer(tail)


# An XML start tag with its attributes (quoted values may hold '>'), and whether it closes itself.
_ATTRS = rb"""((?:[^>"']|"[^"]*"|'[^']*')*?)(/?)>"""
_XLSX_TAG = re.compile(rb"<(?:\w+:)?(row|c|mergeCell)(?=[\s/>])" + _ATTRS)
_XLSX_PLAIN = (re.compile(rb"<(row|c|mergeCell)(?=[\s/>])" + _ATTRS), (b":c", b":row", b":merge"))
_XLSX_CELL_REF = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]{0,3})(\d+)["']""")
_XLSX_MERGE_REF = re.compile(rb"""\sref\s*=\s*["']([A-Z]+)(\d+):([A-Z]+)(\d+)["']""")
_XLSX_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
_XLSX_SHEET_NAME = re.compile(
    rb'<(?:\w+:)?sheet\b[^>]*?\sname="([^"]*)"[^>]*?\s(?:\w+:)?id="([^"]*)"'
)
_XLSX_REL = re.compile(rb'<Relationship\b[^>]*?\sId="([^"]*)"[^>]*?\sTarget="([^"]*)"')
_XLSX_REL2 = re.compile(rb'<Relationship\b[^>]*?\sTarget="([^"]*)"[^>]*?\sId="([^"]*)"')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _xlsx_areas(name: str, data: bytes) -> dict[str, _Area]:
    """Each sheet's used area, from a streamed scan of its XML (cells that hold something)."""
    areas: dict[str, _Area] = {}
    small: dict[str, bytes] = {}
    wanted = re.compile(rf"{_XLSX_SHEET.pattern}|xl/workbook\.xml|xl/_rels/workbook\.xml\.rels")
    for part, chunks in _parts(name, data, ".xlsx", wanted):
        if not _XLSX_SHEET.fullmatch(part):
            small[part] = b"".join(chunks)
            continue
        areas[part] = _xlsx_area(chunks)
    titles = _xlsx_titles(small)
    return {titles.get(part, part): area for part, area in areas.items()}


def _xlsx_area(chunks: Iterator[bytes]) -> _Area:
    area = _Area()
    row = column = 0
    for tag in _tags(chunks, _XLSX_TAG, _XLSX_PLAIN):
        kind, attrs, closed = tag.groups()
        if kind == b"row":
            found = re.search(rb"""\sr\s*=\s*["'](\d+)["']""", attrs)
            row = int(found[1]) if found else row + 1
            column = 0
        elif kind == b"c":
            found = _XLSX_CELL_REF.search(attrs)
            if found and found[1]:
                column, row = _column_number(found[1]), int(found[2]) if found[2] else row
            else:
                column += 1
            if not closed:  # <c .../> holds nothing (a style at most)
                area.rows = max(area.rows, row)
                area.columns = max(area.columns, column)
        elif (merge := _XLSX_MERGE_REF.search(attrs)) is not None:
            area.merged += (
                Merged(
                    int(merge[2]), _column_number(merge[1]), int(merge[4]), _column_number(merge[3])
                ),
            )
    return area


def _xlsx_titles(small: dict[str, bytes]) -> dict[str, str]:
    """Sheet part -> sheet title, from the workbook and its relationships."""
    rels = small.get("xl/_rels/workbook.xml.rels", b"")
    targets = {m[1]: m[2] for m in _XLSX_REL.finditer(rels)}
    targets.update({m[2]: m[1] for m in _XLSX_REL2.finditer(rels)})
    titles = {}
    for found in _XLSX_SHEET_NAME.finditer(small.get("xl/workbook.xml", b"")):
        target = targets.get(found[2], b"").decode(errors="replace").lstrip("/")
        part = target if target.startswith("xl/") else f"xl/{target}"
        titles[part] = html.unescape(found[1].decode(errors="replace"))
    return titles


_ODS_TAG = re.compile(
    rb"<(/?)(?:\w+:)?(table|table-row|table-cell|covered-table-cell)(?=[\s/>])" + _ATTRS
)


def _int_attr(attrs: bytes, attr: bytes) -> int:
    found = re.search(rb"\s(?:\w+:)?" + attr + rb"""\s*=\s*["'](\d+)["']""", attrs)
    return max(1, int(found[1])) if found else 1


def _ods_areas(name: str, data: bytes) -> dict[str, _Area]:
    """Each table's used area from a streamed scan of content.xml, repeats counted."""
    scan = _OdsScan()
    for _, chunks in _parts(name, data, ".ods", re.compile(r"content\.xml")):
        for tag in _tags(chunks, _ODS_TAG):
            scan.tag(*tag.groups())
    return scan.areas


class _OdsScan:
    """Follows the tables, rows and cells of content.xml, counting repeated rows and cells."""

    def __init__(self) -> None:
        self.areas: dict[str, _Area] = {}
        self.area = _Area()
        self.row = self.column = self.used = 0
        self.repeat = 1

    def tag(self, end: bytes, kind: bytes, attrs: bytes, closed: bytes) -> None:
        if end:
            if kind == b"table-row":
                self._end_row()
        elif kind == b"table":
            found = re.search(rb'\s(?:\w+:)?name\s*=\s*"([^"]*)"', attrs)
            title = html.unescape(found[1].decode(errors="replace")) if found else ""
            self.area = self.areas.setdefault(title, _Area())
            self.row = 0
        elif kind == b"table-row":
            self.repeat, self.column, self.used = _int_attr(attrs, b"number-rows-repeated"), 0, 0
            if closed:
                self._end_row()
        else:
            self._cell(attrs, closed)

    def _cell(self, attrs: bytes, closed: bytes) -> None:
        times = _int_attr(attrs, b"number-columns-repeated")
        if not closed or b"value-type" in attrs:  # an empty cell closes itself
            self.used = self.column + times
        rows = _int_attr(attrs, b"number-rows-spanned")
        columns = _int_attr(attrs, b"number-columns-spanned")
        if rows > 1 or columns > 1:
            merged = Merged(self.row + 1, self.column + 1, self.row + rows, self.column + columns)
            self.area.merged += (merged,)
        self.column += times

    def _end_row(self) -> None:
        if self.used:
            self.area.rows = max(self.area.rows, self.row + self.repeat)
            self.area.columns = max(self.area.columns, self.used)
        self.row += self.repeat
