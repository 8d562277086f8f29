"""The steps of ``features/regionale-kansen.feature``, on a real database."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when
from sqlalchemy import func, select

from spreiding.core.errors import SpreidingError
from spreiding.geography.reference import gazetteer
from spreiding.models import RegionalOpportunity
from spreiding.models.db import session_scope
from spreiding.models.tables import CoropRegion, Ministry, Province
from spreiding.opportunities.store import (
    add_opportunity,
    import_opportunities,
    list_opportunities,
    load_demo_opportunities,
    opportunity_weights,
)

from .conftest import csv_text

# Relative to this module's folder (pytest-bdd 9 without bdd_features_base_dir).
scenarios("../../features/regionale-kansen.feature")

# The column names policy staff read in the feature, and those of the file.
FILE_COLUMNS = {
    "regio": "regio",
    "soort indiener": "ingediend_door_soort",
    "indiener": "ingediend_door",
    "thema": "thema",
    "omschrijving": "omschrijving",
}


# Autouse, so that every scenario asks for the database when it is collected: steps request
# fixtures only while running, too late for the SQLite/PostgreSQL parametrisation.
@pytest.fixture(autouse=True)
def world(demo_db, tmp_path: Path) -> dict[str, Any]:
    """What the steps of one scenario share: the database, files and outcomes."""
    return {"db": demo_db, "folder": tmp_path, "refusal": None}


def _count(world: dict[str, Any], year: int) -> int:
    with session_scope(world["db"].engine()) as session:
        query = select(func.count()).where(RegionalOpportunity.year == year)
        return session.scalar(query)


def _attempt(world: dict[str, Any], action) -> None:
    try:
        with session_scope(world["db"].engine()) as session:
            action(session)
    except SpreidingError as exc:
        world["refusal"] = str(exc)


MINISTRY_CODES = {
    "AZ",
    "BZ",
    "BZK",
    "DEF",
    "EZ",
    "FIN",
    "IENW",
    "JENV",
    "LVVN",
    "OCW",
    "SZW",
    "VWS",
}
"""The twelve ministries of the Rijksoverheid, by the codes the reference data gives them."""


@given("de ministeries en de regio's van Nederland zijn bekend")
def reference_known(world: dict[str, Any]) -> None:
    """The store holds the twelve ministries, 12 provinces and 40 COROP regions of CBS."""
    with session_scope(world["db"].engine()) as session:
        ministries = set(session.scalars(select(Ministry.code)))
        provinces = set(session.scalars(select(Province.code)))
        corop = dict(session.execute(select(CoropRegion.code, CoropRegion.province_code)).all())
    assert ministries == MINISTRY_CODES
    assert provinces == {f"PV{n}" for n in range(20, 32)}  # CBS: PV20 Groningen .. PV31 Limburg
    assert len(corop) == 40 and set(corop.values()) == provinces


@given(parsers.parse("er zijn nog geen regionale kansen voor {year:d}"))
def no_opportunities(world: dict[str, Any], year: int) -> None:
    assert _count(world, year) == 0


@when(
    parsers.re(
        r"(?:de|het) (?P<kind>gemeente|provincie|ministerie) (?P<who>.+) voor (?P<region>.+) "
        r'een kans aandraagt met het thema "(?P<theme>[^"]+)"'
    )
)
def put_forward(world: dict[str, Any], kind: str, who: str, region: str, theme: str) -> None:
    _attempt(
        world,
        lambda session: add_opportunity(
            session,
            year=2025,
            region=region,
            submitted_by_kind=kind,
            submitted_by=who,
            theme=theme,
            description=f"Een kans voor {region} op het gebied van {theme.lower()}.",
        ),
    )


@then(
    parsers.re(r"(?:staat|staan) er (?P<n>\d+) kans(?:en)? voor (?P<year>\d+) in de inventarisatie")
)
def count_is(world: dict[str, Any], n: str, year: str) -> None:
    assert _count(world, int(year)) == int(n)


@then(parsers.parse("hoort die kans bij {region} in de provincie {province}"))
def belongs_to(world: dict[str, Any], region: str, province: str) -> None:
    with session_scope(world["db"].engine()) as session:
        [row] = list_opportunities(session, year=2025)
    assert row.region_code == next(
        c.code for c in gazetteer().corop_regions.values() if c.name == region
    )
    assert gazetteer().corop_regions[row.region_code].province_code == (
        gazetteer().province(province).code
    )


@then(
    parsers.parse(
        "wordt de kans geweigerd met de melding dat {region} buiten de gemeente {who} ligt"
    )
)
def refused_outside(world: dict[str, Any], region: str, who: str) -> None:
    assert world["refusal"] is not None
    assert f"{region} ligt buiten gemeente {who}" in world["refusal"]


@given(parsers.parse('een bestand "{name}" met deze kansen:'))
def a_file(world: dict[str, Any], name: str, datatable: list[list[str]]) -> None:
    header = [FILE_COLUMNS[cell.strip()] for cell in datatable[0]]
    path = world["folder"] / name
    path.write_text(csv_text(datatable[1:], header=header), encoding="utf-8")
    world["file"] = path


@when(parsers.re(r"het bestand (?:nog een keer )?wordt ingelezen voor (?P<year>\d+)"))
def read_file(world: dict[str, Any], year: str) -> None:
    _attempt(world, lambda session: import_opportunities(session, world["file"], year=int(year)))


@then(
    parsers.parse(
        'wordt het bestand geweigerd met een melding over regel {row:d}, kolom "{column}" '
        'en de waarde "{value}"'
    )
)
def file_refused(world: dict[str, Any], row: int, column: str, value: str) -> None:
    message = world["refusal"]
    assert message is not None
    assert message.startswith(f"{world['file'].name}, regel {row}, kolom {column!r}: {value!r}")
    assert "\n" not in message


@given(parsers.parse("de voorbeeldkansen zijn ingelezen voor {year:d}"))
def demo_loaded(world: dict[str, Any], year: int) -> None:
    with session_scope(world["db"].engine()) as session:
        assert load_demo_opportunities(session, year) > 0


@when(parsers.parse("het overzicht van {year:d} wordt opgesteld"))
def overview_made(world: dict[str, Any], year: int) -> None:
    from spreiding.opportunities.overview import compile_overview, write_overview

    with session_scope(world["db"].engine()) as session:
        overview = compile_overview(session, year)
    world["written"] = write_overview(overview, world["folder"] / "overzicht")
    world["markdown"] = world["written"]["markdown"].read_text(encoding="utf-8")


@then(
    parsers.parse(
        "noemt het overzicht {total:d} kansen voor de provincie {name}, "
        "waarvan {corop:d} voor een COROP-gebied"
    )
)
def province_counted(world: dict[str, Any], total: int, name: str, corop: int) -> None:
    assert f"| {name} | {total} | {corop} |" in world["markdown"]


@then(parsers.parse("noemt het overzicht dat {name} nog geen kansen heeft"))
def province_empty(world: dict[str, Any], name: str) -> None:
    gazetteer().province(name)  # a province the reference data knows
    pattern = rf"## {re.escape(name)}: 0 kansen\n\nNog geen kansen aangedragen\."
    assert re.search(pattern, world["markdown"])


@then("is er een kaart met het aantal kansen per provincie")
def province_map(world: dict[str, Any]) -> None:
    picture = world["written"]["map-province-png"]
    assert picture.read_bytes().startswith(b"\x89PNG")
    assert f"]({picture.name})" in world["markdown"]


@then("staat er in het overzicht dat het om synthetische demodata gaat")
def labelled_synthetic(world: dict[str, Any]) -> None:
    assert "SYNTHETISCHE DEMODATA" in world["markdown"]
    assert "SYNTHETISCHE DEMODATA" in world["written"]["html"].read_text(encoding="utf-8")


def _weights(world: dict[str, Any]) -> dict[str, float]:
    with session_scope(world["db"].engine()) as session:
        return opportunity_weights(session, 2025)


@then(parsers.parse("weegt {heavier} zwaarder dan {lighter}"))
def weighs_more(world: dict[str, Any], heavier: str, lighter: str) -> None:
    weights = _weights(world)
    places = gazetteer()
    assert weights[places.province(heavier).code] > weights[places.province(lighter).code]


@then(parsers.parse("weegt {name} niet mee"))
def weighs_nothing(world: dict[str, Any], name: str) -> None:
    assert gazetteer().province(name).code not in _weights(world)


@then("tellen de gewichten samen op tot 1")
def weights_sum_to_one(world: dict[str, Any]) -> None:
    assert sum(_weights(world).values()) == pytest.approx(1.0)
