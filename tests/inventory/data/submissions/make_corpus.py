"""Generate the corpus of delivered files under good/ and bad/ (run once; commit the output).

    .venv/bin/python tests/data/submissions/make_corpus.py [OUT_DIR]

CSV files are written byte for byte as listed (encoding, BOM and line endings included). The
.xlsx workbooks are built with openpyxl and then made reproducible: fixed zip timestamps and
document dates. openpyxl cannot store the value Excel caches for a formula, so for
``good/formule-met-waarde.xlsx`` the cached value is put into the sheet XML afterwards, exactly
where Excel writes it (``<f>10+2.5</f><v>12.5</v>``).

The .ods and .xls files listed in :data:`LIBREOFFICE` are saved by LibreOffice itself, not
written by a library: they are converted from the .xlsx workbooks here with Debian's
``libreoffice-calc-nogui`` and committed, so that CI needs no LibreOffice::

    apt-get install -y libreoffice-calc-nogui
    .venv/bin/python tests/inventory/data/submissions/make_corpus.py --libreoffice

which runs ``soffice --headless --convert-to ods`` (filter calc8) and ``--convert-to xls``
(filter "MS Excel 97") on each source (LibreOffice 7.4 made the committed ones).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

HERE = Path(__file__).resolve().parent
ZIP_TIME = (2024, 1, 1, 0, 0, 0)

# name -> (text, encoding); "\r\n" where a file has Windows line endings.
TEXT_FILES: dict[str, tuple[str, str]] = {
    # ---- good -------------------------------------------------------------------------------
    "good/bzk-2023.csv": (
        "organisatie,gemeente,fte,opmerking\r\n"
        "BZK,GM0518,1200.5,hoofdkantoor\r\n"
        'BZK,Groningen,"12,5",\r\n'
        "RWS,Utrecht,300,\r\n"
        "RWS,Den Haag,80.25,\r\n"
        "\r\n"
        "DJI,GM0193,45,\r\n",
        "utf-8",
    ),
    "good/puntkomma-decimaalkomma.csv": (
        "Organisatie;Gemeente;FTE\n"
        "Belastingdienst;Apeldoorn;1.234,5\n"
        "Belastingdienst;'s-Hertogenbosch;12,5\n"
        "DJI;Zwolle;0,8\n"
        "DJI;Heerlen;7\n",
        "utf-8",
    ),
    "good/windows-1252-fryslan.csv": (
        "organisatie;gemeente;fte\r\n"
        "Koninklijke Marechaussée;Súdwest-Fryslân;14,5\r\n"
        "Dienst Justitiële Inrichtingen;Noardeast-Fryslân;30\r\n"
        "Rijkswaterstaat;Leeuwarden;22\r\n",
        "cp1252",
    ),
    "good/utf8-bom.csv": (
        "organisatie,gemeente,fte\n"
        "Koninklijke Marechaussée,Súdwest-Fryslân,3.5\n"
        "BZK,'s-Gravenhage,10\n",
        "utf-8-sig",
    ),
    "good/kopregel-hoofdletters-spaties.csv": (
        " ORGANISATIE ; Gemeente ;  fte  \nBZK;Den Haag;5\nRWS;Den Bosch;2,25\n",
        "utf-8",
    ),
    "good/peildatum-kolom-2023.csv": (
        "organisatie;gemeente;fte;peildatum\n"
        "BZK;Den Haag;10;2023\n"
        "BZK;Utrecht;20;1-1-2023\n"
        "RWS;Utrecht;30;2023-01-01\n"
        "RWS;Zwolle;40;01-01-2023\n"
        "DJI;Zwolle;50;\n",
        "utf-8",
    ),
    # ---- bad --------------------------------------------------------------------------------
    "bad/onbekende-organisatie.csv": (
        "organisatie,gemeente,fte\nBZK,Den Haag,10\nMinisterie van Onbekende Zaken,Utrecht,5\n",
        "utf-8",
    ),
    "bad/onbekende-gemeente.csv": (
        "organisatie;gemeente;fte\nBZK;Den Haag;10\nBZK;Utrecht;5\nRWS;Atlantis;3\n",
        "utf-8",
    ),
    "bad/dubbelzinnige-gemeente.csv": ("organisatie;gemeente;fte\nDJI;Bergen;12\n", "utf-8"),
    "bad/lege-organisatie.csv": ("organisatie;gemeente;fte\n;Den Haag;12\n", "utf-8"),
    "bad/negatieve-fte.csv": (
        "organisatie;gemeente;fte\n"
        "BZK;Den Haag;10\n"
        "BZK;Utrecht;5\n"
        "RWS;Utrecht;7\n"
        "RWS;Zwolle;1\n"
        "DJI;Zwolle;2\n"
        "DJI;Heerlen;-3\n",
        "utf-8",
    ),
    "bad/lege-fte.csv": ("organisatie;gemeente;fte\nBZK;Den Haag;10\nBZK;Utrecht;\n", "utf-8"),
    "bad/geen-getal-fte.csv": ("organisatie;gemeente;fte\nBZK;Den Haag;twaalf\n", "utf-8"),
    "bad/dubbelzinnig-getal.csv": (
        "organisatie;gemeente;fte\nBZK;Den Haag;10\nBZK;Utrecht;1.234\n",
        "utf-8",
    ),
    "bad/decimaalkomma-zonder-aanhalingstekens.csv": (
        'organisatie,gemeente,fte\nBZK,Den Haag,"12,5"\nBZK,Utrecht,12,5\n',
        "utf-8",
    ),
    "bad/dubbele-regel.csv": (
        "organisatie;gemeente;fte\nBZK;Den Haag;10\nRWS;Utrecht;4\nRWS;Zwolle;2\nBZK;GM0518;3\n",
        "utf-8",
    ),
    "bad/ontbrekende-kolom.csv": (
        "organisatie,gemeente,aantal\nBZK,Den Haag,10\n",
        "utf-8",
    ),
    "bad/tab-gescheiden.csv": ("organisatie\tgemeente\tfte\nBZK\tDen Haag\t10\n", "utf-8"),
    "bad/dubbele-kolom.csv": ("organisatie;fte;gemeente;fte\nBZK;1;Den Haag;10\n", "utf-8"),
    "bad/leeg.csv": ("", "utf-8"),
    "bad/alleen-kopregel.csv": ("organisatie;gemeente;fte\n\n", "utf-8"),
    "bad/bzk-2022.csv": ("organisatie;gemeente;fte\nBZK;Den Haag;10\n", "utf-8"),
    "bad/peildatum-ander-jaar.csv": (
        "organisatie;gemeente;fte;peildatum\n"
        "BZK;Den Haag;10;1-1-2023\n"
        "BZK;Utrecht;5;1-1-2023\n"
        "RWS;Utrecht;5;1-1-2022\n",
        "utf-8",
    ),
    "bad/peildatum-geen-1-januari.csv": (
        "organisatie;gemeente;fte;peildatum\nBZK;Den Haag;10;2023-03-01\n",
        "utf-8",
    ),
    "bad/levering.txt": ("organisatie;gemeente;fte\nBZK;Den Haag;10\n", "utf-8"),
}

# Bytes that are neither UTF-8 nor Windows-1252 (0x81 is undefined in Windows-1252).
BINARY_FILES: dict[str, bytes] = {
    "bad/onleesbare-tekst.csv": b"organisatie;gemeente;fte\nBZK;Den Haag;10\nBZK;Utr\x81cht;5\n",
    # The start of an old binary Excel (.xls) file: the extension alone refuses it.
    "bad/levering.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(56),
    "bad/geen-werkmap.xlsx": b"organisatie;gemeente;fte\nBZK;Den Haag;10\n",
}


def _append(sheet: Worksheet, *rows: tuple[object, ...]) -> None:
    for row in rows:
        sheet.append(row)


def good_title_merged() -> Workbook:
    """Two merged title rows, a blank row, the header on row 4, a notes sheet after it."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Levering"
    sheet["A1"] = "Rijkswerkgelegenheid Ministerie van BZK"
    sheet.merge_cells("A1:D1")
    sheet["A2"] = "Peildatum 1 januari 2023"
    sheet.merge_cells("A2:D2")
    sheet.append([])
    _append(
        sheet,
        ("Organisatie", "Gemeente", "FTE", "Opmerking"),
        ("BZK", "Den Haag", 1200.5, "hoofdkantoor"),
        ("BZK", "GM0014", "12,5", None),
        ("RWS", "Utrecht", 300, None),
        ("DJI", "Súdwest-Fryslân", 10.25, None),
    )
    sheet.merge_cells("D6:D7")  # a merged note in a column that is not read
    notes = book.create_sheet("Toelichting")
    notes["A1"] = "Aangeleverd op 15 maart 2024 door de directie Bedrijfsvoering."
    return book


def good_formula_cached() -> Workbook:
    """C2 holds =10+2.5; its cached value 12.5 is added by _finish (see module docstring)."""
    book = Workbook()
    _append(
        book.active,
        ("organisatie", "gemeente", "fte"),
        ("BZK", "Den Haag", "=10+2.5"),
        ("RWS", "Utrecht", 7),
    )
    return book


def good_peildatum_date() -> Workbook:
    """A peildatum column with real Excel dates (1 January 2023)."""
    book = Workbook()
    _append(
        book.active,
        ("organisatie", "gemeente", "fte", "peildatum"),
        ("BZK", "Den Haag", 10, datetime(2023, 1, 1)),
        ("RWS", "Zwolle", 2.5, datetime(2023, 1, 1)),
    )
    return book


def bad_title_other_year() -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "Peildatum 1 januari 2022"
    sheet.merge_cells("A1:C1")
    _append(sheet, ("organisatie", "gemeente", "fte"), ("BZK", "Den Haag", 10))
    return book


def bad_year_column_other_year() -> Workbook:
    book = Workbook()
    _append(
        book.active,
        ("organisatie", "gemeente", "fte", "jaar"),
        ("BZK", "Den Haag", 10, 2023),
        ("RWS", "Utrecht", 5, 2022),
    )
    return book


def bad_merged_data_cells() -> Workbook:
    """The organisation written once for two rows: a merged cell in the data area."""
    book = Workbook()
    sheet = book.active
    _append(
        sheet,
        ("organisatie", "gemeente", "fte"),
        ("RWS", "Utrecht", 5),
        ("BZK", "Den Haag", 10),
        (None, "Utrecht", 4),
    )
    sheet.merge_cells("A3:A4")
    return book


def bad_formula_without_value() -> Workbook:
    """A formula as openpyxl (or any script) writes it: no cached value."""
    book = Workbook()
    _append(
        book.active,
        ("organisatie", "gemeente", "fte"),
        ("BZK", "Den Haag", 10),
        ("RWS", "Utrecht", "=C2*2"),
    )
    return book


def bad_negative_fte_below_title() -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "Levering rijkswerkgelegenheid"
    sheet.append([])
    _append(
        sheet,
        ("organisatie", "gemeente", "fte"),
        ("BZK", "Den Haag", 10),
        ("RWS", "Utrecht", 4),
        ("DJI", "Zwolle", -3),
    )
    return book


def bad_empty_workbook() -> Workbook:
    return Workbook()


def bad_two_sheets() -> Workbook:
    book = Workbook()
    book.active.title = "2023"
    _append(book.active, ("organisatie", "gemeente", "fte"), ("BZK", "Den Haag", 10))
    _append(book.create_sheet("Oud"), ("organisatie", "gemeente", "fte"), ("BZK", "Utrecht", 3))
    return book


def bad_ods_named() -> bytes:
    """An OpenDocument spreadsheet: refused by its extension."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        info = zipfile.ZipInfo("mimetype", date_time=ZIP_TIME)
        archive.writestr(info, "application/vnd.oasis.opendocument.spreadsheet")
    return out.getvalue()


# name -> (builder, {formula: cached value})
WORKBOOKS: dict[str, tuple[Callable[[], Workbook], dict[str, str]]] = {
    "good/titel-samengevoegd.xlsx": (good_title_merged, {}),
    "good/formule-met-waarde.xlsx": (good_formula_cached, {"10+2.5": "12.5"}),
    "good/peildatum-datum.xlsx": (good_peildatum_date, {}),
    "bad/titel-ander-jaar.xlsx": (bad_title_other_year, {}),
    "bad/jaar-kolom-ander-jaar.xlsx": (bad_year_column_other_year, {}),
    "bad/samengevoegde-cellen.xlsx": (bad_merged_data_cells, {}),
    "bad/formule-zonder-waarde.xlsx": (bad_formula_without_value, {}),
    "bad/negatieve-fte.xlsx": (bad_negative_fte_below_title, {}),
    "bad/leeg.xlsx": (bad_empty_workbook, {}),
    "bad/twee-bladen.xlsx": (bad_two_sheets, {}),
}


def _finish(book: Workbook, cached: dict[str, str]) -> bytes:
    """The workbook's bytes with fixed timestamps and the given cached formula values."""
    raw = io.BytesIO()
    book.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-01-01T00:00:00Z", data)
            for formula, value in cached.items():
                data = data.replace(
                    f"<f>{formula}</f><v />".encode(), f"<f>{formula}</f><v>{value}</v>".encode()
                )
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            target.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def corpus() -> dict[str, bytes]:
    """Every corpus file by its path relative to this folder."""
    files = {name: text.encode(coding) for name, (text, coding) in TEXT_FILES.items()}
    files.update(BINARY_FILES)
    files["bad/levering.ods"] = bad_ods_named()
    files["bad/werkmap-als-csv.csv"] = _finish(good_formula_cached(), {})
    for name, (build, cached) in WORKBOOKS.items():
        files[name] = _finish(build(), cached)
    return files


# converted file -> the corpus workbook LibreOffice converts it from
LIBREOFFICE: dict[str, str] = {
    f"{folder}/{stem}.{kind}": f"{folder}/{stem}.xlsx"
    for folder, stems in (
        ("good", ("titel-samengevoegd", "formule-met-waarde", "peildatum-datum")),
        ("bad", ("samengevoegde-cellen", "negatieve-fte", "twee-bladen")),
    )
    for stem in stems
    for kind in ("ods", "xls")
}


def convert_with_libreoffice(out: Path = HERE) -> None:
    """Save the :data:`LIBREOFFICE` files with LibreOffice from their .xlsx sources."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("soffice not found: apt-get install -y libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory() as profile:
        for target, source in sorted(LIBREOFFICE.items()):
            kind = target.rsplit(".", 1)[1]
            command = [soffice, f"-env:UserInstallation=file://{profile}", "--headless"]
            command += ["--convert-to", kind, "--outdir", str((out / target).parent)]
            subprocess.run([*command, str(out / source)], check=True, capture_output=True)


def main(out: Path = HERE) -> None:
    """Write the corpus under ``out``."""
    for name, data in corpus().items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--libreoffice"]
    folder = Path(arguments[0]) if arguments else HERE
    main(folder)
    if "--libreoffice" in sys.argv:
        convert_with_libreoffice(folder)
