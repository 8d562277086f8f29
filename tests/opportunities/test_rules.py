"""The rules of an opportunity and of a CSV file of them, without a database."""

from __future__ import annotations

import pytest

from spreiding.core.errors import InvalidInput, InvalidSubmission, NotFound
from spreiding.opportunities.store import (
    DEMO_FILE,
    SubmitterKind,
    demo_file_bytes,
    parse_kind,
    parse_opportunities,
    read_opportunities,
    resolve_region,
    resolve_submitter,
    weights_from_counts,
)

from .conftest import GOOD_ROWS, HEADER, csv_text

MINISTRIES = {"ez": "EZ", "economische zaken": "EZ"}


def ministry(text: str) -> str | None:
    return MINISTRIES.get(text.strip().casefold())


def parse(text: str, name: str = "kansen.csv", year: int = 2025, encoding: str = "utf-8"):
    return parse_opportunities(name, text.encode(encoding), year=year, resolve_ministry=ministry)


@pytest.mark.parametrize(
    ("text", "level", "code"),
    [
        ("Fryslân", "province", "PV21"),
        ("friesland", "province", "PV21"),
        ("pv21", "province", "PV21"),
        ("Provincie Noord-Brabant", "province", "PV30"),
        ("Twente", "corop", "CR12"),
        ("cr12", "corop", "CR12"),
        ("arnhem/nijmegen", "corop", "CR15"),
        ("Agglomeratie 's-Gravenhage", "corop", "CR26"),
        # A COROP region with a province's name covers that province: the province is meant.
        ("Utrecht", "province", "PV26"),
        ("Flevoland", "province", "PV24"),
        ("CR40", "corop", "CR40"),
    ],
)
def test_a_region_is_found_by_name_or_code(text, level, code):
    region = resolve_region(text)
    assert (region.level, region.code) == (level, code)


def test_an_unknown_region_is_refused_with_examples():
    with pytest.raises(NotFound, match=r"'Atlantis' is geen provincie of COROP-gebied.*Twente"):
        resolve_region("Atlantis")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("provincie", SubmitterKind.PROVINCE),
        ("Gemeente", SubmitterKind.MUNICIPALITY),
        ("ministry", SubmitterKind.MINISTRY),
    ],
)
def test_kinds_of_submitter_in_dutch_or_english(text, kind):
    assert parse_kind(text) is kind


def test_an_unknown_kind_of_submitter_is_refused():
    with pytest.raises(InvalidInput, match="'waterschap' is geen soort indiener"):
        parse_kind("waterschap")


def test_a_municipality_speaks_for_its_corop_region_and_province_only():
    twente, overijssel, zeeland = (resolve_region(r) for r in ("Twente", "Overijssel", "Zeeland"))
    kind = SubmitterKind.MUNICIPALITY
    assert resolve_submitter(kind, "gemeente enschede", twente, None) == "Enschede"
    assert resolve_submitter(kind, "GM0153", overijssel, None) == "Enschede"
    with pytest.raises(InvalidInput, match="Zeeland ligt buiten gemeente Enschede"):
        resolve_submitter(kind, "Enschede", zeeland, None)
    with pytest.raises(InvalidInput, match="ligt buiten gemeente Zwolle"):
        resolve_submitter(kind, "Zwolle", twente, None)  # Zwolle is in Noord-Overijssel


def test_a_province_speaks_for_its_own_regions_and_a_ministry_for_any():
    twente = resolve_region("Twente")
    assert resolve_submitter(SubmitterKind.PROVINCE, "PV23", twente, None) == "Overijssel"
    with pytest.raises(InvalidInput, match=r"Twente \(Overijssel\) ligt buiten provincie"):
        resolve_submitter(SubmitterKind.PROVINCE, "Gelderland", twente, None)
    assert resolve_submitter(SubmitterKind.MINISTRY, "Economische Zaken", twente, ministry) == "EZ"
    with pytest.raises(NotFound, match="'XYZ' is geen geregistreerd ministerie"):
        resolve_submitter(SubmitterKind.MINISTRY, "XYZ", twente, ministry)


def test_a_good_file_gives_one_opportunity_per_row():
    parsed = parse(csv_text(GOOD_ROWS))
    assert [(o.line, o.region.code, o.submitted_by) for o in parsed.opportunities] == [
        (2, "PV21", "Fryslân"),
        (3, "CR12", "Enschede"),
        (4, "PV31", "EZ"),
    ]
    assert parsed.opportunities[1].contact is None  # an empty contact is no contact


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ";"), ("utf-8-sig", ","), ("cp1252", ";"), ("cp1252", ",")],
)
def test_delimiter_and_encoding_are_recognised(encoding, delimiter):
    text = csv_text(GOOD_ROWS, delimiter=delimiter)
    parsed = parse(text, encoding=encoding)
    assert parsed.opportunities[0].region.name == "Fryslân"


def test_header_names_are_case_insensitive_other_columns_ignored_and_titles_skipped():
    header = ("  REGIO ", "Ingediend_Door_Soort", "INGEDIEND_DOOR", "Thema", "Omschrijving", "x")
    text = "# Inventarisatie 2025\r\n" + csv_text(GOOD_ROWS[:1], header=header)
    parsed = parse(text)
    assert len(parsed.opportunities) == 1
    assert parsed.opportunities[0].contact is None  # no contact column


def test_spaces_are_tidied():
    row = ("  Fryslân ", "provincie", "Fryslân", "  Water  ", "Veel   ruimte\nvoor water.", "")
    item = parse(csv_text([row])).opportunities[0]
    assert (item.theme, item.description) == ("Water", "Veel ruimte voor water.")


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            ("Atlantis", "provincie", "Fryslân", "Water", "Tekst.", ""),
            "kansen.csv, regel 3, kolom 'regio': 'Atlantis' is geen provincie of COROP-gebied",
        ),
        (
            ("Fryslân", "waterschap", "Fryslân", "Water", "Tekst.", ""),
            "kansen.csv, regel 3, kolom 'ingediend_door_soort': 'waterschap' is geen soort",
        ),
        (
            ("Fryslân", "gemeente", "Nergenshuizen", "Water", "Tekst.", ""),
            "kansen.csv, regel 3, kolom 'ingediend_door': 'Nergenshuizen' is geen bekende gemeente",
        ),
        (
            ("Zeeland", "gemeente", "Enschede", "Water", "Tekst.", ""),
            "kansen.csv, regel 3, kolom 'ingediend_door': 'Enschede': Zeeland ligt buiten",
        ),
        (
            ("Zeeland", "ministerie", "Ministerie van Toverij", "Water", "Tekst.", ""),
            "kansen.csv, regel 3, kolom 'ingediend_door': 'Ministerie van Toverij' is geen "
            "geregistreerd ministerie",
        ),
        (
            ("Zeeland", "provincie", "Zeeland", " ", "Tekst.", ""),
            "kansen.csv, regel 3, kolom 'thema': leeg; geef het thema",
        ),
        (
            ("Zeeland", "provincie", "Zeeland", "Water", "", ""),
            "kansen.csv, regel 3, kolom 'omschrijving': leeg",
        ),
    ],
)
def test_a_bad_row_is_refused_naming_file_row_column_and_value(row, expected):
    with pytest.raises(InvalidSubmission) as refused:
        parse(csv_text([GOOD_ROWS[0], row]))
    assert str(refused.value).startswith(expected)
    assert "\n" not in str(refused.value)


def test_every_bad_row_is_named_and_the_line_counts_the_others():
    rows = [
        GOOD_ROWS[0],
        ("Atlantis", "provincie", "Fryslân", "Water", "Tekst.", ""),
        GOOD_ROWS[1],
        ("Fryslân", "provincie", "Fryslân", "", "Tekst.", ""),
        ("Fryslân", "bedrijf", "Fryslân", "Water", "Tekst.", ""),
    ]
    with pytest.raises(InvalidSubmission) as refused:
        parse(csv_text(rows))
    message = str(refused.value)
    assert message.startswith("kansen.csv, regel 3, kolom 'regio': 'Atlantis'")
    assert message.endswith("(en 2 andere fouten)")
    assert "\n" not in message
    problems = refused.value.problems
    assert [(p.row, p.column, p.value) for p in problems] == [
        (3, "regio", "Atlantis"),
        (5, "thema", ""),
        (6, "ingediend_door_soort", "bedrijf"),
    ]


def test_an_unquoted_separator_in_a_description_is_refused():
    text = csv_text([]) + "Fryslân;provincie;Fryslân;Water;Water; en land;x@y.nl\r\n"
    with pytest.raises(InvalidSubmission, match=r"regel 2, kolom 7: onverwachte waarde"):
        parse(text)


def test_the_same_opportunity_twice_in_one_file_is_refused():
    repeat = (
        "fryslân",
        "Provincie",
        "FRYSLÂN",
        "water",
        "watertechnologie en  waterkwaliteit.",
        "",
    )
    with pytest.raises(InvalidSubmission, match=r"regel 3, kolom 'omschrijving'.*herhaalt regel 2"):
        parse(csv_text([GOOD_ROWS[0], repeat]))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "kansen.csv, regel 1: geen kopregel gevonden"),
        ("regio;thema\r\nFryslân;Water\r\n", "regel 1: de kopregel mist 'ingediend_door_soort'"),
        (csv_text([]), "kansen.csv, regel 2: geen kansen onder de kopregel"),
        (
            "regio;regio;ingediend_door_soort;ingediend_door;thema;omschrijving\r\n",
            "kolom 'regio': de kolom staat er twee keer in",
        ),
    ],
)
def test_a_file_without_a_usable_header_or_rows_is_refused(text, expected):
    with pytest.raises(InvalidSubmission, match=expected.replace("(", r"\(").replace(")", r"\)")):
        parse(text)


def test_text_that_is_no_csv_is_refused(tmp_path):
    with pytest.raises(InvalidSubmission, match=r"byte 0x81 is geen UTF-8 of Windows-1252"):
        parse_opportunities("k.csv", b"regio\x81", year=2025)
    with pytest.raises(InvalidSubmission, match="lever een CSV-bestand"):
        parse_opportunities("kansen.xlsx", b"PK", year=2025)
    with pytest.raises(InvalidSubmission, match=r"weg\.csv: het bestand kan niet worden gelezen"):
        read_opportunities(tmp_path / "weg.csv", year=2025)
    with pytest.raises(InvalidInput, match="het jaar ligt tussen 2000 en 2100, niet 25"):
        parse(csv_text(GOOD_ROWS), year=25)


def test_the_demo_set_is_labelled_synthetic_and_follows_the_rules():
    data = demo_file_bytes()
    assert data.decode("utf-8").startswith("# SYNTHETISCHE DEMODATA")
    parsed = parse_opportunities(DEMO_FILE, data, year=2024)  # ministries taken as written
    items = parsed.opportunities
    assert 20 <= len(items) <= 30
    assert len({o.region.province_code for o in items}) >= 10
    assert {o.region.level for o in items} == {"province", "corop"}
    assert {o.submitted_by_kind for o in items} == {"province", "municipality", "ministry"}
    assert {
        "Energietransitie",
        "Agrifood",
        "Logistiek",
        "Zorg",
        "Digitale veiligheid",
        "Water",
    } <= {o.theme for o in items}
    assert set(HEADER) <= set(data.decode("utf-8").splitlines()[1].split(";"))


def test_weights_are_shares_of_the_opportunities():
    weights = weights_from_counts({"PV20": 3, "PV21": 1, "PV22": 0})
    assert weights == {"PV20": 0.75, "PV21": 0.25}
    assert weights_from_counts({}) == {}
    assert weights_from_counts({"PV20": 0}) == {}


def test_every_refusal_of_a_row_is_in_dutch():
    bad_rows = [
        ("Atlantis", "provincie", "Fryslân", "Water", "Tekst.", ""),
        ("Fryslân", "waterschap", "Fryslân", "Water", "Tekst.", ""),
        ("Fryslân", "gemeente", "Nergenshuizen", "Water", "Tekst.", ""),
        ("Zeeland", "gemeente", "Enschede", "Water", "Tekst.", ""),
        ("Zeeland", "provincie", "Atlantis", "Water", "Tekst.", ""),
        ("Zeeland", "ministerie", "Ministerie van Toverij", "Water", "Tekst.", ""),
        ("Zeeland", "provincie", "Zeeland", " ", "Tekst.", ""),
        ("", "", "", "Water", "", ""),
    ]
    with pytest.raises(InvalidSubmission) as refused:
        parse(csv_text([GOOD_ROWS[0], *bad_rows]))
    problems = refused.value.problems
    assert len(problems) == len(bad_rows)
    for problem in problems:
        for english in (" the ", " must ", " not ", "unknown", " is not a "):
            assert english not in f" {problem.message} ", problem.message
