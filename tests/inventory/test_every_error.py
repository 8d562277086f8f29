"""A delivered file with several mistakes is refused with every one of them, in Dutch.

The reader goes on after a bad cell: the ministry gets the whole list (row, column, value,
what to fix) at once instead of one error per upload. A file that cannot be read at all
(no header, the wrong encoding) is refused at once with that one reason.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spreiding.core.errors import MAX_PROBLEMS, InvalidSubmission
from tests.inventory.test_files import BAD, BAD_FILES, read

THREE_ERRORS = (
    "organisatie;gemeente;fte\n"
    "BZK;Den Haag;10\n"
    "BZK;Groningen;abc\n"  # row 3: not a number
    "Onbekend;Utrecht;5\n"  # row 4: unknown organisation
    "RWS;Atlantis;2\n"  # row 5: unknown municipality
    "RWS;Zwolle;1\n"
)
# What a Dutch reader would never see in a message of ours.
ENGLISH = (" the ", " must ", " not ", "unknown", " is not a ")


def refusal(path: Path, year: int = 2023) -> InvalidSubmission:
    with pytest.raises(InvalidSubmission) as refused:
        read(path, year)
    return refused.value


def test_three_errors_in_three_rows_are_all_reported_with_row_column_and_value(
    tmp_path: Path,
) -> None:
    path = tmp_path / "levering.csv"
    path.write_text(THREE_ERRORS, encoding="utf-8")
    refused = refusal(path)
    where = [(p.file, p.row, p.column, p.value) for p in refused.problems]
    assert where == [
        ("levering.csv", 3, "fte", "abc"),
        ("levering.csv", 4, "organisatie", "Onbekend"),
        ("levering.csv", 5, "gemeente", "Atlantis"),
    ]
    assert "'abc' is geen getal" in refused.problems[0].message
    assert "komma of punt als decimaalteken" in refused.problems[0].message
    assert str(refused) == (f"{refused.problems[0]} (en 2 andere fouten)"), (
        "one line: the first error and how many others"
    )
    assert "\n" not in str(refused)


def test_two_mistakes_in_one_row_are_both_reported(tmp_path: Path) -> None:
    path = tmp_path / "levering.csv"
    path.write_text("organisatie;gemeente;fte\nOnbekend;Atlantis;-1\n", encoding="utf-8")
    problems = refusal(path).problems
    assert [(p.row, p.column) for p in problems] == [
        (2, "organisatie"),
        (2, "gemeente"),
        (2, "fte"),
    ]


def test_a_file_with_very_many_errors_lists_the_first_ones_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    path = tmp_path / "levering.csv"
    rows = "".join(f"BZK;GM{n:04d};fout\n" for n in range(1, 301))
    path.write_text("organisatie;gemeente;fte\n" + rows, encoding="utf-8")
    refused = refusal(path)
    total = len(refused.problems) + refused.more
    assert len(refused.problems) == MAX_PROBLEMS
    assert total > MAX_PROBLEMS
    assert refused.problems[0].row == 2
    assert str(refused).endswith(f"(en {total - 1} andere fouten)")


def test_a_file_that_cannot_be_read_stops_at_once_with_one_reason() -> None:
    refused = refusal(BAD / "ontbrekende-kolom.csv")
    assert len(refused.problems) == 1 and refused.more == 0
    assert "de kopregel mist 'fte'" in str(refused)


def test_a_workbook_names_the_cell_of_each_problem(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (("organisatie", "gemeente", "fte"), ("BZK", "Den Haag", -3), ("X", "Utrecht", 1)):
        sheet.append(row)
    path = tmp_path / "levering.xlsx"
    book.save(path)
    problems = refusal(path).problems
    assert [(p.row, p.column, p.cell, p.value) for p in problems] == [
        (2, "fte", "C2", "-3"),
        (3, "organisatie", "A3", "X"),
    ]
    assert str(problems[0]).startswith("levering.xlsx, regel 2, kolom 'fte' (cel C2): ")


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_every_refusal_of_the_corpus_is_in_dutch(name: str) -> None:
    refused = refusal(BAD / name)
    for problem in refused.problems:
        text = f" {problem.message} "
        for word in ENGLISH:
            assert word not in text, f"{name}: {problem.message}"


def test_the_refusals_of_numbers_and_years_are_in_dutch(tmp_path: Path) -> None:
    path = tmp_path / "levering.csv"
    path.write_text(
        "organisatie;gemeente;fte;peildatum;prognose_2030\n"
        "BZK;Den Haag;1.234;1-3-2023;5\n"
        "BZK;Utrecht;1e300;kwart;\n"
        "RWS;Bergen;inf;2022;\n"
        "RWS;Zwolle;;;\n"
        "BZK;Den Haag;100001;;\n",
        encoding="utf-8",
    )
    refused = refusal(path)
    assert len(refused.problems) == 11, [str(p) for p in refused.problems]
    for problem in refused.problems:
        text = f" {problem.message} "
        for word in ENGLISH:
            assert word not in text, problem.message
