"""Deliveries made to hurt: absurd workbook areas, huge or foreign numbers, a header too low.

Each is refused with one line naming the file (and the row, column and value where there is
one), in bounded memory and time; an honest 100,000-row workbook still loads.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from spreiding.core.errors import InvalidSubmission
from spreiding.inventory.files import MAX_DELIVERED_FTE, ParsedSubmission, read_submission

YEAR = 2023


def read(path: Path) -> ParsedSubmission:
    return read_submission(path, year=YEAR, resolve_organisation=lambda text: text.upper() or None)


def refusal(path: Path) -> str:
    with pytest.raises(InvalidSubmission) as refused:
        read(path)
    message = str(refused.value)
    assert "\n" not in message and message.startswith(path.name)
    return message


def _xlsx(path: Path, stray: str | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Levering"
    sheet.append(("organisatie", "gemeente", "fte"))
    sheet.append(("BZK", "Den Haag", 10))
    if stray:
        sheet[stray] = "x"
    book.save(path)
    return path


@pytest.mark.parametrize("stray", ["XFD1048576", "XFD500", "Z1000000"])
def test_a_stray_cell_far_away_is_refused_naming_file_sheet_and_area(
    tmp_path: Path, stray: str
) -> None:
    path = _xlsx(tmp_path / "bzk.xlsx", stray)
    assert path.stat().st_size < 10_000  # a small file that would unpack to billions of cells
    message = refusal(path)
    assert f"werkblad 'Levering': het gebruikte gebied A1:{stray}" in message
    assert "wis de losse cellen" in message


def _ods(path: Path, rows: str) -> Path:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Levering">'
        f"{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
        ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry'
        ' manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _cell(value: str, repeat: int = 1) -> str:
    kind = "float" if value[0].isdigit() else "string"
    number = f' office:value="{value}"' if kind == "float" else ""
    times = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (
        f'<table:table-cell office:value-type="{kind}"{number}{times}>'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


HEADER = (
    f"<table:table-row>{_cell('organisatie')}{_cell('gemeente')}{_cell('fte')}</table:table-row>"
)


def test_an_ods_row_repeated_a_million_times_with_a_value_is_refused(tmp_path: Path) -> None:
    repeated = (
        f'<table:table-row table:number-rows-repeated="1048575">{_cell("BZK")}'
        f"{_cell('Den Haag')}{_cell('1', 16381)}</table:table-row>"
    )
    message = refusal(_ods(tmp_path / "bzk.ods", HEADER + repeated))
    assert "werkblad 'Levering': het gebruikte gebied A1:XFC1048576 is te groot" in message
    assert "(1.048.576 regels x 16.383 kolommen, hoogstens 5.000.000 cellen)" in message


def test_an_ods_written_by_hand_is_read_like_libreoffices(tmp_path: Path) -> None:
    row = f"<table:table-row>{_cell('BZK')}{_cell('Den Haag')}{_cell('12.5')}</table:table-row>"
    empty = (
        '<table:table-row table:number-rows-repeated="1048574">'
        "<table:table-cell/></table:table-row>"
    )
    parsed = read(_ods(tmp_path / "bzk.ods", HEADER + row + empty))
    assert [(r.line, r.organisation, r.municipality, r.fte) for r in parsed.rows] == [
        (2, "BZK", "GM0518", 12.5)
    ]


def test_a_workbook_that_unpacks_to_a_bomb_is_refused(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "bzk.xlsx")
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/bom.bin", "w") as part,
    ):
        block = bytes(64 * 1024 * 1024)
        for _ in range(9):  # 576 MB of zeros, about 600 KB packed
            part.write(block)
    assert path.stat().st_size < 5_000_000
    assert "pakt uit tot meer dan 512 MB" in refusal(path)


def _inline(text: str) -> str:
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def test_a_100000_row_workbook_still_loads(tmp_path: Path) -> None:
    # openpyxl takes long to write 100,000 rows: the sheet's XML is written here directly.
    rows = "".join(
        f'<row r="{n + 2}">{_inline(f"ORG{n // 300}")}{_inline(f"GM{n % 300:04d}")}'
        f"<c><v>1.5</v></c></row>"
        for n in range(100_000)
    )
    header = "".join(_inline(name) for name in ("organisatie", "gemeente", "fte"))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
        '"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1">{header}</row>{rows}</sheetData></worksheet>'
    )
    source = _xlsx(tmp_path / "klein.xlsx")
    path = tmp_path / "groot.xlsx"
    with zipfile.ZipFile(source) as small, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as big:
        for info in small.infolist():
            data = sheet.encode() if info.filename == "xl/worksheets/sheet1.xml" else None
            big.writestr(info.filename, data or small.read(info.filename))
    parsed = read_submission(path, year=YEAR, resolve_organisation=str, resolve_municipality=str)
    assert len(parsed.rows) == 100_000
    assert parsed.rows[-1].line == 100_001
    assert parsed.total_fte == 150_000.0


def _csv(tmp_path: Path, *fte: str, name: str = "bzk.csv") -> Path:
    places = ("Den Haag", "Utrecht", "Zwolle")
    lines = ["organisatie;gemeente;fte"]
    lines += [f"BZK;{place};{value}" for place, value in zip(places, fte, strict=False)]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("value", ["100000,5", "250.000,0", "1.000.000", "1" + "0" * 300])
def test_an_implausible_fte_is_refused_naming_row_column_and_value(
    tmp_path: Path, value: str
) -> None:
    message = refusal(_csv(tmp_path, "10", value, value))
    assert "regel 3, kolom 'fte'" in message
    assert "meer dan 100.000 fte voor één organisatie in één gemeente" in message


def test_huge_numbers_in_a_workbook_are_refused_too(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(("organisatie", "gemeente", "fte"))
    book.active.append(("BZK", "Den Haag", 1.7e308))
    book.active.append(("BZK", "Utrecht", 1.7e308))
    book.save(tmp_path / "bzk.xlsx")
    message = refusal(tmp_path / "bzk.xlsx")
    assert "regel 2, kolom 'fte' (cel C2): '1.7e+308' is meer dan 100.000 fte" in message


def test_the_largest_plausible_fte_is_accepted(tmp_path: Path) -> None:
    parsed = read(_csv(tmp_path, "100000", "0"))
    assert [row.fte for row in parsed.rows] == [MAX_DELIVERED_FTE, 0.0]


@pytest.mark.parametrize("value", ["inf", "nan", "-inf", "Infinity"])
def test_a_non_finite_fte_is_refused(tmp_path: Path, value: str) -> None:
    message = refusal(_csv(tmp_path, value))
    assert f"regel 2, kolom 'fte': {value!r} is geen getal" in message


@pytest.mark.parametrize("value", ["１２３", "١٢", "12,５"])
def test_digits_of_other_scripts_are_refused(tmp_path: Path, value: str) -> None:
    message = refusal(_csv(tmp_path, value))
    assert f"regel 2, kolom 'fte': {value!r} is geen getal" in message


def test_a_header_below_the_first_50_rows_is_reported_as_not_found(tmp_path: Path) -> None:
    lines = [f"toelichting regel {n}" for n in range(1, 61)]
    lines += ["organisatie;gemeente;fte", "BZK;Den Haag;10"]
    path = tmp_path / "bzk.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = refusal(path)
    assert message == (
        "bzk.csv: geen kopregel gevonden in de eerste 50 niet-lege regels; verwacht een regel met "
        "de kolommen 'organisatie', 'gemeente' en 'fte'"
    )


def test_a_stray_cell_hidden_behind_a_namespace_prefix_is_seen_too(tmp_path: Path) -> None:
    source = _xlsx(tmp_path / "klein.xlsx")
    path = tmp_path / "bzk.xlsx"
    stray = b'<row r="1048576"><x:c r="XFD1048576" t="n"><x:v>1</x:v></x:c></row></sheetData>'
    with zipfile.ZipFile(source) as small, zipfile.ZipFile(path, "w") as out:
        for info in small.infolist():
            data = small.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", stray)
            out.writestr(info, data)
    assert "het gebruikte gebied A1:XFD1048576 is te groot" in refusal(path)
