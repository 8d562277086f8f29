"""The demo ministries' deliveries for 2023 as files, for the annual inventory in ``make demo``.

:func:`write_demo_files` writes one file per demo ministry with the synthetic counts of
:func:`spreiding.models.demo.build_demo_counts` for the year, as a ministry would deliver them:
most as CSV, Defensie and Justitie en Veiligheid as Excel workbooks, some with codes and some
with names, with ``;`` or ``,``. Every file opens with a title row that says it is synthetic
demo data and states the peildatum (which the reader checks against the year).

Loading them all (``annual-inventory`` for 2023 on the folder) supersedes each ministry's
synthetic demo submission for 2023 with the delivered file and reproduces the published
total of 336,270 fte. The bytes are the same on every run (the workbooks get fixed zip and
document timestamps), so writing and loading them again changes nothing.

    spreiding inventory demo [--year 2023] [--folder FOLDER]

writes into FOLDER, by default the inbox folder for the year (``<inbox>/2023``).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from spreiding.geography.reference import gazetteer
from spreiding.models.demo import (
    MINISTRIES,
    ORGANISATIONS,
    SYNTHETIC_LABEL,
    DemoCount,
    build_demo_counts,
)

DEMO_YEAR = 2023
EXCEL = ("DEF", "JENV")  # delivered as .xlsx
BY_NAME = ("FIN", "OCW", "SZW", "JENV")  # organisations and municipalities by name, not code
COMMA = ("EZ", "IENW")  # comma-separated instead of ';'
ZIP_TIME = (2024, 3, 1, 0, 0, 0)
HEADER = ("organisatie", "gemeente", "fte")

Row = tuple[str, str, int]


def _rows(ministry: str, counts: Sequence[DemoCount]) -> list[Row]:
    """The data rows of one ministry's file, sorted by organisation and municipality."""
    names = {o.code: o.name for o in ORGANISATIONS}
    places = gazetteer().municipalities
    by_name = ministry in BY_NAME
    rows = [
        (
            names[c.organisation_code] if by_name else c.organisation_code,
            places[c.municipality_code].name if by_name else c.municipality_code,
            c.fte,
        )
        for c in counts
    ]
    return sorted(rows)


def _title(ministry_name: str, year: int) -> str:
    return f"{SYNTHETIC_LABEL} | {ministry_name} | peildatum 1 januari {year}"


def csv_bytes(title: str, rows: Sequence[Row], *, delimiter: str = ";") -> bytes:
    """A delivery as CSV text: a title row, the header and the rows (UTF-8, CRLF)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([title])
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(title: str, rows: Sequence[Row]) -> bytes:
    """A delivery as an Excel workbook, byte for byte the same for the same rows."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Levering"
    sheet.append([title])
    sheet.append(list(HEADER))
    for row in rows:
        sheet.append(list(row))
    raw = io.BytesIO()
    book.save(raw)
    return _reproducible(raw.getvalue())


def _reproducible(data: bytes) -> bytes:
    """The workbook with fixed zip entry times and document dates (openpyxl writes 'now')."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-03-01T00:00:00Z", content
                )
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            target.writestr(entry, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def demo_deliveries(year: int = DEMO_YEAR) -> dict[str, bytes]:
    """Every demo ministry's delivery for ``year``: file name -> bytes."""
    ministry_of = {o.code: o.ministry_code for o in ORGANISATIONS}
    per_ministry: dict[str, list[DemoCount]] = defaultdict(list)
    for count in build_demo_counts():
        if count.peildatum.year == year:
            per_ministry[ministry_of[count.organisation_code]].append(count)
    files = {}
    for code, name in MINISTRIES:
        if code not in per_ministry:
            continue
        rows = _rows(code, per_ministry[code])
        title = _title(name, year)
        if code in EXCEL:
            files[f"{code.lower()}-{year}.xlsx"] = xlsx_bytes(title, rows)
        else:
            delimiter = "," if code in COMMA else ";"
            files[f"{code.lower()}-{year}.csv"] = csv_bytes(title, rows, delimiter=delimiter)
    return files


def write_demo_files(folder: Path, *, year: int = DEMO_YEAR) -> list[Path]:
    """Write the demo deliveries for ``year`` into ``folder`` (created when missing)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in sorted(demo_deliveries(year).items()):
        path = folder / name
        path.write_bytes(data)
        written.append(path)
    return written
