"""Maps of the Netherlands per province or COROP region, drawn with matplotlib alone.

The boundaries come from the two TopoJSON files in the package data (CBS 2025, WGS84,
quantised; see ``geography/data/GEO-README.md``). They are decoded here, without geopandas or
shapely: delta-encoded arcs are summed and scaled, a negative arc index ``~i`` means arc ``i``
walked backwards, and the arcs of a ring are joined at their shared end points.

:func:`province_shapes` and :func:`corop_shapes` give every region as a list of closed rings of
``(lon, lat)`` points. Exterior rings run counter-clockwise and holes clockwise (the GeoJSON
convention of RFC 7946), so the signed shoelace areas of a region's rings add up to its area and
a non-zero fill leaves the holes empty.

:func:`draw_map` draws a choropleth and writes it as PNG and/or SVG. Text on the map is Dutch,
numbers included: ``1,234.5`` is shown as ``1.234,5``. The SVG is byte-for-byte the same for the
same input, so a generated map can be kept under version control without noise.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from functools import cache
from importlib.resources import files
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

import matplotlib as mpl
import matplotlib.style
import numpy as np
from matplotlib.colors import Colormap, Normalize, TwoSlopeNorm, to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.ticker import MaxNLocator

from spreiding.core.dutch import dutch_number
from spreiding.core.errors import InvalidInput

Level = Literal["province", "corop"]
Point = tuple[float, float]
Ring = tuple[Point, ...]
Polygon = tuple[Ring, ...]  # the exterior ring first, then its holes

DATA = files("spreiding.geography") / "data"
_SOURCES: dict[str, str] = {"province": "provincie_2025", "corop": "coropgebied_2025"}

NO_DATA_COLOUR = "#d9d9d9"
NO_DATA_LABEL = "geen gegevens"
# One degree of longitude at 52°N is this much shorter than one degree of latitude.
ASPECT = 1 / math.cos(math.radians(52))
FORMATS = ("png", "svg", "pdf")
# Fixed so that two runs write identical SVG (element ids are hashes salted with this) and PDF.
_RC = {"svg.hashsalt": "spreiding-geo", "svg.fonttype": "none", "pdf.fonttype": 42}
_METADATA: dict[str, dict[str, Any]] = {
    "png": {},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None, "ModDate": None},
}


# --- decoding TopoJSON ---------------------------------------------------------------------------


def _decode_arcs(topology: Mapping[str, Any]) -> list[list[Point]]:
    """Turn quantised, delta-encoded arcs into absolute ``(lon, lat)`` points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            # Rounded to 1e-6 degree (about 0.1 m): far below the data's own resolution.
            points.append((round(tx + x * sx, 6), round(ty + y * sy, 6)))
        arcs.append(points)
    return arcs


def _stitch(indices: Sequence[int], arcs: Sequence[Sequence[Point]]) -> list[Point]:
    """Join the arcs of one ring; each arc starts where the previous one ended."""
    ring: list[Point] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def _signed_area(ring: Sequence[Point]) -> float:
    """Shoelace area in square degrees: positive when the ring runs counter-clockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring)) / 2


def _orient(ring: list[Point], *, counter_clockwise: bool) -> Ring:
    if (_signed_area(ring) > 0) != counter_clockwise:
        ring = ring[::-1]
    return tuple(ring)


def _polygon(rings: Sequence[Sequence[int]], arcs: Sequence[Sequence[Point]]) -> Polygon:
    """One polygon with its exterior counter-clockwise and its holes clockwise."""
    stitched = [_stitch(ring, arcs) for ring in rings]
    return tuple(
        _orient(ring, counter_clockwise=(number == 0)) for number, ring in enumerate(stitched)
    )


@cache
def _regions(level: Level) -> dict[str, tuple[Polygon, ...]]:
    """The polygons of every region of ``level``, keyed by CBS code (decoded once)."""
    name = _SOURCES[level]
    topology = json.loads((DATA / f"{name}.topojson").read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    regions: dict[str, tuple[Polygon, ...]] = {}
    for geometry in topology["objects"][name]["geometries"]:
        parts = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        regions[geometry["properties"]["statcode"]] = tuple(_polygon(p, arcs) for p in parts)
    return dict(sorted(regions.items()))


def _shapes(level: Level) -> dict[str, list[list[Point]]]:
    # A fresh copy each call: a caller that edits its rings cannot spoil the cache.
    return {
        code: [list(ring) for polygon in polygons for ring in polygon]
        for code, polygons in _regions(level).items()
    }


def province_shapes() -> dict[str, list[list[tuple[float, float]]]]:
    """The 12 provinces (PV20..PV31) as closed rings of ``(lon, lat)`` points."""
    return _shapes("province")


def corop_shapes() -> dict[str, list[list[tuple[float, float]]]]:
    """The 40 COROP regions (CR01..CR40) as closed rings of ``(lon, lat)`` points."""
    return _shapes("corop")


def _centroid(ring: Sequence[Point]) -> Point:
    """The centroid of the area a ring encloses (not the mean of its points)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in pairwise(ring):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return cx / (3 * area), cy / (3 * area)


def _segments(polygon: Polygon) -> tuple[np.ndarray, np.ndarray]:
    """Start and end points of every edge of a polygon, holes included."""
    starts = np.concatenate([np.asarray(ring[:-1]) for ring in polygon])
    ends = np.concatenate([np.asarray(ring[1:]) for ring in polygon])
    return starts, ends


def _inside(points: np.ndarray, polygon: Polygon) -> np.ndarray:
    """Which of ``points`` (n x 2) lie inside the polygon and not in a hole (even-odd rule)."""
    (ax, ay), (bx, by) = (a.T[:, None, :] for a in _segments(polygon))
    px, py = points[:, 0:1], points[:, 1:2]
    straddles = (ay > py) != (by > py)
    with np.errstate(divide="ignore", invalid="ignore"):
        crossing_x = ax + (py - ay) * (bx - ax) / (by - ay)
    return (np.count_nonzero(straddles & (px < crossing_x), axis=1) % 2) == 1


def _edge_distance(points: np.ndarray, polygon: Polygon) -> np.ndarray:
    """Distance of each point to the nearest edge, in degrees of latitude."""
    squash = np.array([1 / ASPECT, 1.0])  # east-west degrees are shorter at 52°N
    starts, ends = (a * squash for a in _segments(polygon))
    p = (points * squash)[:, None, :]
    edge = ends - starts
    length2 = np.maximum((edge**2).sum(axis=1), 1e-18)
    t = np.clip(((p - starts) * edge).sum(axis=2) / length2, 0.0, 1.0)
    nearest = starts + t[..., None] * edge
    return np.sqrt(((p - nearest) ** 2).sum(axis=2)).min(axis=1)


def _deepest_point(polygon: Polygon, steps: int = 60) -> Point:
    """The inside point farthest from any edge (on a grid): where a label fits best."""
    xs, ys = np.asarray(polygon[0]).T
    grid = np.stack(
        np.meshgrid(np.linspace(xs.min(), xs.max(), steps), np.linspace(ys.min(), ys.max(), steps)),
        axis=-1,
    ).reshape(-1, 2)
    candidates = grid[_inside(grid, polygon)]
    best = candidates[np.argmax(_edge_distance(candidates, polygon))]
    return float(best[0]), float(best[1])


def label_point(polygons: Sequence[Polygon]) -> Point:
    """Where a region's label goes: the centroid of its largest polygon's exterior ring.

    The largest polygon keeps the label of Fryslân off the Wadden islands. A centroid that falls
    outside the land, as Zeeland's does (in the Oosterschelde), is replaced by the point of that
    polygon farthest from its coast and borders.
    """
    largest = max(polygons, key=lambda polygon: abs(_signed_area(polygon[0])))
    centroid = _centroid(largest[0])
    if _inside(np.array([centroid]), largest)[0]:
        return centroid
    return _deepest_point(largest)


# --- drawing -------------------------------------------------------------------------------------


def _check(
    values: Mapping[str, float], level: str, formats: Sequence[str]
) -> dict[str, tuple[Polygon, ...]]:
    """Refuse bad input before anything is drawn; return the regions of ``level``."""
    if level not in _SOURCES:
        raise InvalidInput(f"map level must be 'province' or 'corop', got {level!r}")
    regions = _regions(level)  # type: ignore[arg-type]
    unknown = sorted(set(values) - set(regions))
    if unknown:
        raise InvalidInput(
            f"unknown {level} code {unknown[0]!r} in map values "
            f"(known: {min(regions)}..{max(regions)})"
        )
    for code, value in values.items():
        if not math.isfinite(value):
            raise InvalidInput(f"map value for {code} is {value}: leave the code out instead")
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise InvalidInput(f"map format must be one of {', '.join(FORMATS)}, got {bad or 'none'}")
    return regions


def _scale(
    values: Mapping[str, float], *, diverging: bool, limit: float | None = None
) -> tuple[Normalize, Colormap]:
    """The colour scale: from 0 for counts, or symmetric around 0 for changes.

    ``limit`` fixes the end of the scale (several maps on one scale); by default it is the
    largest value (or absolute value, for changes) of this map.
    """
    numbers = list(values.values()) or [0.0]
    if diverging:
        # Symmetric, so that +10 and -10 get equally strong colours.
        limit = limit or max(abs(v) for v in numbers) or 1.0
        return TwoSlopeNorm(0.0, -limit, limit), mpl.colormaps["RdBu"]
    low, high = min(0.0, *numbers), max(0.0, *numbers)
    if limit:
        high = max(high, limit)
    return Normalize(low, high if high > low else low + 1), mpl.colormaps["Blues"]


def _region_path(polygons: Sequence[Polygon]) -> MplPath:
    vertices: list[Point] = []
    codes: list[int] = []
    for ring in (ring for polygon in polygons for ring in polygon):
        vertices.extend(ring)
        codes.extend([MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 2) + [MplPath.CLOSEPOLY])
    return MplPath(vertices, codes)


def _text_colour(fill: tuple[float, float, float, float]) -> str:
    red, green, blue, _ = fill
    return "white" if 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.5 else "black"


def _draw_regions(
    ax: Any,
    regions: Mapping[str, tuple[Polygon, ...]],
    values: Mapping[str, float],
    scale: tuple[Normalize, Colormap],
    *,
    label_format: str | None,
) -> None:
    norm, cmap = scale
    thin = 0.3 if len(regions) > 12 else 0.5
    for code, polygons in regions.items():
        value = values.get(code)
        fill = cmap(norm(value)) if value is not None else to_rgba(NO_DATA_COLOUR)
        patch = PathPatch(_region_path(polygons), facecolor=fill, edgecolor="white", lw=thin)
        patch.set_gid(code)  # the SVG element of a region carries its CBS code as id
        ax.add_patch(patch)
        if label_format is not None and value is not None:
            x, y = label_point(polygons)
            text = dutch_number(label_format.format(value))
            # A chip in the region's own colour: invisible on the region, but it keeps the
            # label readable where it sticks out over water or a neighbour (Limburg, Zeeland).
            chip = {"boxstyle": "round,pad=0.2", "facecolor": fill, "edgecolor": "none"}
            ax.text(
                x,
                y,
                text,
                ha="center",
                va="center",
                fontsize=7.5,
                color=_text_colour(fill),
                bbox=chip,
            )


def _draw_province_borders(ax: Any) -> None:
    """Province borders over a COROP map, so readers can find their way."""
    for polygons in _regions("province").values():
        ax.add_patch(PathPatch(_region_path(polygons), fill=False, edgecolor="#404040", lw=0.6))


def _figure(
    regions: Mapping[str, tuple[Polygon, ...]],
    values: Mapping[str, float],
    *,
    title: str,
    legend: str,
    note: str | None,
    diverging: bool,
    value_format: str,
    labels: bool,
    limit: float | None = None,
) -> Figure:
    figure = Figure(figsize=(6, 7), layout="constrained")
    ax = figure.add_subplot()
    scale = _scale(values, diverging=diverging, limit=limit)
    _draw_regions(ax, regions, values, scale, label_format=value_format if labels else None)
    if len(regions) > 12:
        _draw_province_borders(ax)
    ax.set_xlim(3.3, 7.3)
    ax.set_ylim(50.7, 53.6)
    ax.set_aspect(ASPECT)
    ax.set_axis_off()
    figure.suptitle(title, fontsize=13)
    if values:
        colorbar = figure.colorbar(
            mpl.cm.ScalarMappable(*scale), ax=ax, orientation="horizontal", shrink=0.7, aspect=30
        )
        colorbar.set_label(legend)
        if all(isinstance(v, int) for v in values.values()):  # counts: whole ticks only
            colorbar.ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        colorbar.ax.xaxis.set_major_formatter(lambda v, _: dutch_number(value_format.format(v)))
    if len(values) < len(regions):
        ax.legend(
            handles=[Patch(facecolor=NO_DATA_COLOUR, edgecolor="white", label=NO_DATA_LABEL)],
            loc="upper left",
            frameon=False,
        )
    if note:
        figure.get_layout_engine().set(rect=(0, 0.04, 1, 0.96))  # room for the note below
        figure.text(0.5, 0.01, note, ha="center", va="bottom", fontsize=7, color="#404040")
    return figure


def draw_map(
    values: Mapping[str, float],
    *,
    level: Level = "province",
    title: str,
    legend: str,
    out: Path,
    formats: Sequence[str] = ("png", "svg"),
    note: str | None = None,
    diverging: bool = False,
    value_format: str = "{:,.0f}",
    labels: bool = True,
    limit: float | None = None,
) -> list[Path]:
    """Draw a choropleth of ``values`` (CBS code -> number) and write it in each format.

    ``limit`` puts several maps on one colour scale: it is the end of the scale (for
    ``diverging``, the scale runs from ``-limit`` to ``+limit``).

    Regions without a value are light grey, "geen gegevens" in the legend; a 0 is a value,
    drawn and labelled as 0. Whole numbers (``int`` values: counts) get whole-number ticks.
    ``diverging`` gives a red-blue scale centred on 0 for changes; otherwise the blues run
    from 0 for counts.
    ``value_format`` formats the labels and colour-bar ticks; separators are then shown the
    Dutch way. Writes ``out.with_suffix(".png")`` etc. and returns those paths.

    Raises InvalidInput for a code that is not a region of ``level``, a value that is not a
    finite number, or an unknown format.
    """
    regions = _check(values, level, formats)
    out.parent.mkdir(parents=True, exist_ok=True)
    written = []
    # The default style, not the machine's matplotlibrc, so every machine draws the same map.
    with mpl.style.context("default"), mpl.rc_context(_RC):
        figure = _figure(
            regions,
            values,
            title=title,
            legend=legend,
            note=note,
            diverging=diverging,
            value_format=value_format,
            labels=labels,
            limit=limit,
        )
        for fmt in formats:
            path = out.with_suffix(f".{fmt}")
            figure.savefig(path, format=fmt, dpi=150, metadata=_METADATA[fmt])
            written.append(path)
    return written
