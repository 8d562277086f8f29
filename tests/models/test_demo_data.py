"""The synthetic demo set agrees with every published figure and is the same everywhere."""

import csv
import hashlib
from collections import defaultdict
from importlib.resources import files

import pytest

from spreiding.geography.reference import gazetteer
from spreiding.models.demo import ORGANISATIONS, build_demo_counts, largest_remainder

SECTOR_OF = {o.code: o.sector for o in ORGANISATIONS}
NAME_TO_CODE = {p.name: p.code for p in gazetteer().provinces.values()}


def _published():
    path = files("spreiding.geography") / "data" / "published_figures.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(rows))


@pytest.fixture(scope="module")
def cells():
    """fte per (year, area, sector) with 'totaal' rows, as the published table counts them."""
    places = gazetteer()
    out: dict[tuple[int, str, str], int] = defaultdict(int)
    for count in build_demo_counts():
        year = count.peildatum.year
        province = places.municipalities[count.municipality_code].province_code
        sector = SECTOR_OF[count.organisation_code]
        for area in ("Nederland", province):
            out[year, area, "totaal"] += count.fte
            out[year, area, sector] += count.fte
    return out


def _key(row):
    area = NAME_TO_CODE.get(row["area"], row["area"])
    return int(row["peildatum"][:4]), area, row["sector"]


@pytest.mark.parametrize(
    "row",
    [r for r in _published() if r["quality"] == "exact"],
    ids=lambda r: f"{r['peildatum']}-{r['area']}-{r['sector']}",
)
def test_exact_published_figures_are_reproduced_exactly(cells, row):
    assert cells[_key(row)] == int(row["fte"])


def test_approximate_figures_are_within_their_rounding(cells):
    # "bijna 95.000": just under 95,000; Fryslân 6,700 rounded to the hundred.
    assert 94_500 <= cells[2022, "PV28", "totaal"] < 95_000
    assert 6_650 <= cells[2022, "PV21", "totaal"] < 6_750


@pytest.mark.parametrize("year", [2021, 2022, 2023])
def test_about_sixty_percent_is_in_noord_holland_zuid_holland_and_utrecht(cells, year):
    west = sum(cells[year, p, "totaal"] for p in ("PV26", "PV27", "PV28"))
    assert 0.58 <= west / cells[year, "Nederland", "totaal"] <= 0.62


def test_every_province_and_sector_has_staff_every_year(cells):
    for year in (2021, 2022, 2023):
        for province in gazetteer().provinces:
            assert cells[year, province, "totaal"] > 0


DEMO_DIGEST = "da940fed7ac8699b847839adef2decc1400a3d97820446cc07e1f239dc4f6709"
"""SHA-256 of the canonical demo counts (:func:`canonical_digest`). A change to the demo set
changes it: pin the new value only when the change is meant (the README's figures, the
feature files and the reports quote the demo set)."""


def canonical_digest(counts) -> str:
    """SHA-256 of one ``peildatum;organisation;municipality;fte`` line per count, sorted."""
    lines = sorted(
        f"{c.peildatum.isoformat()};{c.organisation_code};{c.municipality_code};{c.fte}"
        for c in counts
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def test_the_set_is_the_same_on_every_run():
    assert canonical_digest(build_demo_counts()) == DEMO_DIGEST
    assert canonical_digest(build_demo_counts(seed=1)) != DEMO_DIGEST


def test_largest_remainder_keeps_the_total():
    assert largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(largest_remainder(336_270, [0.3, 0.2, 0.5, 1e-9])) == 336_270
    with pytest.raises(ValueError, match="negative"):
        largest_remainder(-1, [1])
