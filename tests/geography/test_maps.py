"""Maps of the Netherlands: the decoded boundaries, and the choropleth files draw_map writes."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path

import matplotlib.image
import pytest
from matplotlib.colors import to_rgb

from spreiding.core.errors import InvalidInput
from spreiding.geography.maps import corop_shapes, draw_map, province_shapes

Rings = list[list[tuple[float, float]]]
SVG = "{http://www.w3.org/2000/svg}"

PROVINCES = [f"PV{n}" for n in range(20, 32)]
COROPS = [f"CR{n:02d}" for n in range(1, 41)]


def area_km2(rings: Rings) -> float:
    """Net area: exteriors run counter-clockwise and holes clockwise, so holes subtract."""
    total = 0.0
    for ring in rings:
        mean_lat = sum(lat for _, lat in ring) / len(ring)
        signed = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring)) / 2
        total += signed * 111.32**2 * math.cos(math.radians(mean_lat))
    return total


def contains(rings: Rings, lon: float, lat: float) -> bool:
    """Even-odd ray casting over all rings, so a point in a hole is outside."""
    inside = False
    for ring in rings:
        for (x0, y0), (x1, y1) in pairwise(ring):
            if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def centroid(rings: Rings) -> tuple[float, float]:
    points = [point for ring in rings for point in ring]
    return sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points)


# --- the boundaries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shapes", "codes"), [(province_shapes, PROVINCES), (corop_shapes, COROPS)], ids=["pv", "cr"]
)
def test_every_region_is_closed_rings_within_the_netherlands(shapes, codes):
    regions = shapes()
    assert sorted(regions) == codes
    for code, rings in regions.items():
        assert rings, code
        for ring in rings:
            assert len(ring) >= 4, code
            assert ring[0] == ring[-1], f"{code} has an open ring"
            for lon, lat in ring:
                assert 3.3 <= lon <= 7.3 and 50.7 <= lat <= 53.6, (code, lon, lat)
        assert area_km2(rings) > 0, f"{code} has a non-positive area"


def test_provinces_and_corop_regions_cover_the_same_country():
    provinces = sum(area_km2(rings) for rings in province_shapes().values())
    corops = sum(area_km2(rings) for rings in corop_shapes().values())
    assert corops == pytest.approx(provinces, rel=0.01)
    # About the land area of the Netherlands (33,700 km²) plus some inland water, not the
    # 41,500 km² with the sea arms and lakes.
    assert 33_000 < provinces < 37_500


@pytest.mark.parametrize(
    ("place", "lon", "lat", "province", "corop"),
    [
        ("Utrecht", 5.12, 52.09, "PV26", "CR17"),
        ("Maastricht", 5.69, 50.85, "PV31", "CR39"),
        ("Amsterdam", 4.90, 52.37, "PV27", "CR23"),
        ("Groningen", 6.57, 53.22, "PV20", "CR03"),
        ("Den Haag", 4.30, 52.08, "PV28", "CR26"),
        ("Leeuwarden", 5.80, 53.20, "PV21", "CR04"),
        ("Middelburg", 3.61, 51.50, "PV29", "CR32"),
    ],
)
def test_a_city_lies_in_its_own_province_and_corop_region_only(place, lon, lat, province, corop):
    for shapes, expected in ((province_shapes(), province), (corop_shapes(), corop)):
        found = [code for code, rings in shapes.items() if contains(rings, lon, lat)]
        assert found == [expected], place


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(3.80, 51.645), (4.14, 51.47)],
    ids=["near the storm surge barrier", "off Yerseke"],
)
def test_oosterschelde_water_that_is_a_hole_in_zeeland_is_in_no_province(lon, lat):
    provinces = province_shapes()
    assert [code for code, rings in provinces.items() if contains(rings, lon, lat)] == []
    assert contains(provinces["PV29"], 3.90, 51.48)  # Zuid-Beveland, between the two


def test_limburg_lies_south_and_a_little_west_of_groningen():
    # Not south-east, as one might guess: Groningen reaches further east than Limburg.
    provinces = province_shapes()
    limburg_lon, limburg_lat = centroid(provinces["PV31"])
    groningen_lon, groningen_lat = centroid(provinces["PV20"])
    assert limburg_lat < groningen_lat - 1.5
    assert groningen_lon - 1.5 < limburg_lon < groningen_lon
    zeeland_lon, _ = centroid(provinces["PV29"])
    assert zeeland_lon < min(limburg_lon, groningen_lon) - 1.5


def test_changing_returned_shapes_does_not_change_the_next_call():
    province_shapes()["PV26"].clear()
    assert province_shapes()["PV26"]


# --- the map -------------------------------------------------------------------------------------


def all_provinces(value: float = 1000.0) -> dict[str, float]:
    return dict.fromkeys(PROVINCES, value)


def svg_root(path: Path) -> ET.Element:
    return ET.parse(path).getroot()  # parsing is itself the check that it is valid XML


def svg_texts(path: Path) -> list[str]:
    return [element.text or "" for element in svg_root(path).iter(f"{SVG}text")]


def fill_of(path: Path, code: str) -> tuple[float, float, float]:
    """The fill colour of a region's shape in the SVG (each region's group carries its code)."""
    group = next(g for g in svg_root(path).iter(f"{SVG}g") if g.get("id") == code)
    style = next(group.iter(f"{SVG}path")).get("style", "")
    fill = dict(part.strip().split(": ") for part in style.split(";") if part.strip())["fill"]
    return to_rgb(fill)


def luminance(rgb: tuple[float, float, float]) -> float:
    return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]


def test_draw_map_writes_a_png_and_an_svg_with_title_and_dutch_numbers(tmp_path):
    values = {code: 1000.0 * n for n, code in enumerate(PROVINCES, start=1)}
    values["PV27"] = 12345.6
    paths = draw_map(
        values,
        title="Rijkswerkgelegenheid per provincie",
        legend="fte",
        out=tmp_path / "kaart",
        note="SYNTHETISCHE DEMODATA",
    )
    png, svg = tmp_path / "kaart.png", tmp_path / "kaart.svg"
    assert paths == [png, svg]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert matplotlib.image.imread(png).shape == (1050, 900, 4)  # 7 x 6 inches at 150 dpi
    texts = svg_texts(svg)
    assert "Rijkswerkgelegenheid per provincie" in texts
    assert "SYNTHETISCHE DEMODATA" in texts
    assert "fte" in texts
    assert "12.346" in texts  # Noord-Holland's label, with a Dutch thousands separator
    assert "geen gegevens" not in texts  # every province has a value


def test_draw_map_writes_only_the_formats_asked_for(tmp_path):
    paths = draw_map(
        all_provinces(), title="t", legend="fte", out=tmp_path / "k.png", formats=["svg"]
    )
    assert paths == [tmp_path / "k.svg"]
    assert not (tmp_path / "k.png").exists()


def test_the_same_map_gives_the_same_svg_bytes(tmp_path):
    def draw(name: str) -> bytes:
        (svg,) = draw_map(
            {"PV26": 10.0, "PV28": 25.0},
            title="Zelfde kaart",
            legend="fte",
            out=tmp_path / name / "kaart",
            formats=["svg"],
        )
        return svg.read_bytes()

    assert draw("eerste") == draw("tweede")


def test_a_region_without_a_value_is_grey_and_named_in_the_legend(tmp_path):
    values = all_provinces()
    del values["PV26"]
    (svg,) = draw_map(values, title="t", legend="fte", out=tmp_path / "kaart", formats=["svg"])
    assert fill_of(svg, "PV26") == to_rgb("#d9d9d9")
    assert fill_of(svg, "PV28") != to_rgb("#d9d9d9")
    assert "geen gegevens" in svg_texts(svg)


def test_more_is_darker_on_a_count_map(tmp_path):
    (svg,) = draw_map(
        {"PV20": 100.0, "PV31": 5000.0},
        title="t",
        legend="fte",
        out=tmp_path / "k",
        formats=["svg"],
    )
    assert luminance(fill_of(svg, "PV31")) < luminance(fill_of(svg, "PV20"))


def test_a_diverging_map_shows_growth_blue_and_decline_red(tmp_path):
    (svg,) = draw_map(
        {"PV20": 40.0, "PV31": -40.0, "PV26": 0.0},
        title="Verandering",
        legend="verandering (fte)",
        out=tmp_path / "k",
        formats=["svg"],
        diverging=True,
        value_format="{:+,.0f}",
    )
    red, _, blue = fill_of(svg, "PV20")
    assert blue > red
    red, _, blue = fill_of(svg, "PV31")
    assert red > blue
    assert luminance(fill_of(svg, "PV26")) > 0.9  # no change: the pale middle of the scale
    assert {"+40", "-40", "+0"} <= set(svg_texts(svg))


def test_a_corop_map_without_labels(tmp_path):
    values = dict.fromkeys(COROPS, 777.0)
    (svg,) = draw_map(
        values,
        level="corop",
        title="Per COROP-gebied",
        legend="fte",
        out=tmp_path / "k",
        formats=["svg"],
        labels=False,
    )
    assert fill_of(svg, "CR23") == fill_of(svg, "CR01")
    assert "777" not in svg_texts(svg)


def test_an_unknown_code_is_refused_by_name(tmp_path):
    with pytest.raises(InvalidInput, match="PV99"):
        draw_map({"PV26": 1.0, "PV99": 2.0}, title="t", legend="fte", out=tmp_path / "k")
    with pytest.raises(InvalidInput, match="CR23"):
        draw_map({"CR23": 1.0}, title="t", legend="fte", out=tmp_path / "k")  # not a province
    assert not list(tmp_path.iterdir())


def test_a_value_that_is_not_a_number_is_refused(tmp_path):
    with pytest.raises(InvalidInput, match="PV26"):
        draw_map({"PV26": math.nan}, title="t", legend="fte", out=tmp_path / "k")


def test_an_unknown_format_is_refused(tmp_path):
    with pytest.raises(InvalidInput, match="jpg"):
        draw_map(all_provinces(), title="t", legend="fte", out=tmp_path / "k", formats=["jpg"])


def test_a_count_map_has_whole_ticks_and_draws_zero_as_zero(tmp_path):
    """Counts 0..2: ticks 0, 1, 2 (never 0,5 or 1,5), and a 0 is a 0, not "geen gegevens"."""
    values = {code: n % 3 for n, code in enumerate(PROVINCES)}
    draw_map(
        values,
        title="Kansen",
        legend="aantal kansen",
        out=tmp_path / "kansen",
        formats=("svg",),
        value_format="{:g}",
    )
    texts = svg_texts(tmp_path / "kansen.svg")
    assert "geen gegevens" not in texts
    assert texts.count("0") >= 4  # the four provinces with 0 are labelled 0
    assert not any("," in t for t in texts if t[:1].isdigit())  # no 0,5 or 1,5 on the bar
