"""The one grid reader: CSV text, the sheets of a workbook, the header row."""

from __future__ import annotations

from pathlib import Path

import pytest

from spreiding.core.errors import InvalidSubmission
from spreiding.core.grid import (
    HEADER_SEARCH_ROWS,
    column_letter,
    csv_rows,
    decode_csv_text,
    detect_delimiter,
    find_header,
    read_workbook,
)

CORPUS = Path(__file__).parents[1] / "inventory" / "data" / "submissions"
REQUIRED = ("organisatie", "gemeente", "fte")


def rows(text: str) -> list[tuple[int, list[str]]]:
    return list(csv_rows("x.csv", text, detect_delimiter(text, REQUIRED)))


def test_column_letters_as_a_spreadsheet_shows_them() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 701, 702, 16383)] == [
        "A", "Z", "AA", "ZZ", "AAA", "XFD"
    ]  # fmt: skip


def test_decoding_a_bom_utf8_and_windows_1252() -> None:
    assert decode_csv_text("x.csv", "\ufeffé".encode()) == "é"
    assert decode_csv_text("x.csv", "é".encode("cp1252")) == "é"


def test_the_header_is_found_below_titles_and_the_rows_go_on_after_it() -> None:
    text = "Levering 2023\n\norganisatie;gemeente;fte\nBZK;Den Haag;1\n"
    stream = iter(rows(text))
    header = find_header(stream, REQUIRED, where="x.csv")
    assert (header.line, [line for line, _ in header.above]) == (3, [1])
    assert next(stream) == (4, ["BZK", "Den Haag", "1"])


def test_no_header_in_the_first_rows_names_the_columns_looked_for() -> None:
    text = (
        "".join(f"noot {n}\n" for n in range(HEADER_SEARCH_ROWS + 5)) + "organisatie;gemeente;fte\n"
    )
    with pytest.raises(InvalidSubmission) as refused:
        find_header(iter(rows(text)), REQUIRED, where="x.csv", expected=(*REQUIRED, "peildatum"))
    assert str(refused.value) == (
        "x.csv: geen kopregel gevonden in de eerste 50 niet-lege regels; verwacht een regel met "
        "de kolommen 'organisatie', 'gemeente', 'fte' en 'peildatum'"
    )


def test_a_partial_header_names_the_missing_columns() -> None:
    with pytest.raises(InvalidSubmission, match=r"x.csv, regel 1: de kopregel mist 'fte'"):
        find_header(iter(rows("organisatie;gemeente\nBZK;Den Haag\n")), REQUIRED, where="x.csv")


@pytest.mark.parametrize("kind", ["xlsx", "ods", "xls"])
def test_the_three_workbook_formats_read_alike(kind: str) -> None:
    data = (CORPUS / "good" / f"titel-samengevoegd.{kind}").read_bytes()
    sheets = read_workbook(f"titel-samengevoegd.{kind}", data, f".{kind}")
    assert [sheet.title for sheet in sheets] == ["Levering", "Toelichting"]
    first = sheets[0]
    assert first.cells[3][:3] == ["Organisatie", "Gemeente", "FTE"]
    assert first.cells[4][:3] == ["BZK", "Den Haag", 1200.5]
    assert sorted(merged.coord for merged in first.merged) == ["A1:D1", "A2:D2", "D6:D7"]
