"""The fan chart of the share outside the Randstad, the maps of the median change, and the
tornado chart of a sensitivity analysis.

Drawn on a bare :class:`matplotlib.figure.Figure` (no pyplot, so no global state and no GUI
backend) in matplotlib's default style. The SVG is deterministic: ``svg.hashsalt`` is fixed
and the ``Date`` metadata left out, so the same projection gives the same bytes. Labels are
Dutch, numbers written the Dutch way (``45,2%``), targets in words.

Honest by construction: the fan chart draws the observed peildata of the store beside the
projection; every chart carries :data:`ILLUSTRATIVE_MARK` while an assumption drives the
result (see :func:`.parameters.assumed`); all maps of one run share one colour scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.style
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from spreiding.core.dutch import date_text, number, percentage
from spreiding.core.synthetic import SYNTHETIC_MARK
from spreiding.geography.maps import draw_map
from spreiding.simulation.montecarlo import Projection
from spreiding.simulation.parameters import ILLUSTRATIVE_MARK, illustrative
from spreiding.simulation.quantiles import comparisons, median_change, randstad_share
from spreiding.simulation.targets import TargetResult, parse_target

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from spreiding.simulation.sensitivity import Sensitivity

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#7f7f7f")
"""The colour of each scenario in the fan chart, in the order of the scenarios."""

_RC = {"svg.hashsalt": "spreiding-projectie", "svg.fonttype": "none"}
_METADATA = {"png": {}, "svg": {"Date": None}}


def draw_fan_chart(
    projection: Projection, results: Sequence[TargetResult], out: Path
) -> list[Path]:
    """Draw the fan chart of the share outside the Randstad; write ``out`` .png and .svg."""
    written = []
    with mpl.style.context("default"), mpl.rc_context(_RC):
        figure = Figure(figsize=(9, 5.6))
        axes = figure.add_axes((0.08, 0.16, 0.62, 0.72))
        _draw_fans(axes, projection)
        _draw_history(axes, projection)
        _draw_targets(axes, projection, results)
        _decorate(figure, axes, projection, results)
        for fmt in ("png", "svg"):
            path = out.with_suffix(f".{fmt}")
            figure.savefig(path, format=fmt, dpi=150, metadata=_METADATA[fmt])
            written.append(path)
    return written


def _draw_fans(axes: Axes, projection: Projection) -> None:
    years = projection.calendar_years
    for i, run in enumerate(projection.runs):
        colour = COLOURS[i % len(COLOURS)]
        outside = 1.0 - randstad_share(projection, run)
        q05, q25, q50, q75, q95 = np.quantile(outside, (0.05, 0.25, 0.5, 0.75, 0.95), axis=0)
        axes.fill_between(years, q05, q95, color=colour, alpha=0.12, linewidth=0)
        axes.fill_between(years, q25, q75, color=colour, alpha=0.28, linewidth=0)
        axes.plot(years, q50, color=colour, linewidth=2, label=f"{run.scenario.name} (mediaan)")


def _draw_history(axes: Axes, projection: Projection) -> None:
    """The observed share outside the Randstad on every complete peildatum in the store."""
    seen = projection.baseline.history
    if seen:
        years = [o.peildatum.year for o in seen]
        outside = [1.0 - o.randstad_share for o in seen]
        axes.plot(
            years, outside, marker="o", color="black", linewidth=0.8, markersize=4,
            label="waargenomen (peildata)",
        )  # fmt: skip


def _target_level(projection: Projection, target_text: str) -> tuple[int, float] | None:
    """Where a share target sits on the chart (year, share outside), or None."""
    target = parse_target(target_text)
    if not target.is_share:
        return None
    outside = target.subject == "buiten-randstad"
    if target.relative:
        start = 1.0 - projection.baseline.randstad_share
        return target.year, start + (target.value if outside else -target.value)
    return target.year, target.value if outside else 1.0 - target.value


def _draw_targets(axes: Axes, projection: Projection, results: Sequence[TargetResult]) -> None:
    for text in dict.fromkeys(r.target for r in results):
        level = _target_level(projection, text)
        if level is None:
            continue
        year, value = level
        axes.plot([year], [value], marker="D", color="black", markersize=7, linestyle="none")
        axes.annotate(
            f"doel: {parse_target(text).words}",
            (year, value),
            textcoords="offset points",
            xytext=(-8, 6),
            ha="right",  # to the left of the marker: the legend sits right of the axes
            fontsize=8,
        )


def _decorate(
    figure: Figure, axes: Axes, projection: Projection, results: Sequence[TargetResult]
) -> None:
    axes.set_title("Aandeel rijkswerkgelegenheid buiten de Randstad", loc="left", fontsize=12)
    axes.set_xlabel("peildatum (1 januari)")
    axes.set_ylabel("aandeel buiten de Randstad")
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: percentage(v, 0)))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(True, color="#dddddd", linewidth=0.6)
    handles, _labels = axes.get_legend_handles_labels()
    handles += [
        Patch(color="#888888", alpha=0.4, label="50%-interval"),
        Patch(color="#888888", alpha=0.15, label="90%-interval"),
    ]
    if any(_target_level(projection, r.target) for r in results):
        handles.append(Line2D([], [], marker="D", color="black", linestyle="none", label="doel"))
    axes.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False
    )
    figure.text(0.73, 0.50, "\n".join(_target_lines(results)), fontsize=7, va="top", wrap=True)
    randstad = ", ".join(projection.baseline.randstad)
    figure.text(
        0.08,
        0.03,
        f"Mediaan met 50%- en 90%-interval over {number(projection.replications)} replicaties "
        f"per scenario (seed {projection.seed}); Randstad: {randstad}; start op de peildatum "
        f"{date_text(projection.baseline.peildatum)}.",
        fontsize=7.5,
    )
    if illustrative(run.scenario for run in projection.runs):
        mark = ILLUSTRATIVE_MARK.replace(": ", ":\n", 1)
        figure.text(0.73, 0.2, mark, color="#c00000", fontsize=9, weight="bold", va="top")
    if projection.baseline.synthetic:
        figure.text(
            0.5, 0.955, SYNTHETIC_MARK, color="#c00000", fontsize=14, weight="bold", ha="center"
        )


def _target_lines(results: Sequence[TargetResult]) -> list[str]:
    """Per target, each scenario's probability and median year reached (a short block)."""
    by_target: dict[str, list[str]] = {}
    for r in results:
        by_target.setdefault(r.words, []).append(
            f"  {r.scenario}: kans {percentage(r.probability, 0)}, "
            + (f"gehaald vanaf {r.first_year}" if r.first_year else r.first_year_text)
        )
    lines = []
    for words, parts in by_target.items():
        lines += [f"Doel: {words}", *parts]
    return lines


def draw_maps(projection: Projection, out: Path) -> list[Path]:
    """Maps of the median change per province, start to last year, all on one colour scale.

    One map per scenario (``kaart-<scenario>``) and, beside a reference scenario (``trend``
    when it runs, else the first), one per other scenario of the median difference with the
    reference (``kaart-verschil-<scenario>``; the scenarios share their random numbers, so
    the difference is the effect of their rules), those on a scale of their own.
    """
    first, last = projection.calendar_years[0], projection.calendar_years[-1]
    marks = [SYNTHETIC_MARK] if projection.baseline.synthetic else []
    if illustrative(run.scenario for run in projection.runs):
        marks.append(ILLUSTRATIVE_MARK)
    note = " · ".join(marks) or None
    changes = {run.scenario.name: median_change(projection, run) for run in projection.runs}
    limit = max((abs(v) for change in changes.values() for v in change.values()), default=0.0)
    reps = number(projection.replications)
    written: list[Path] = []
    for run in projection.runs:
        written += draw_map(
            changes[run.scenario.name],
            level="province",
            title=f"Mediane verandering {first}–{last}, scenario {run.scenario.name}",
            legend=f"verandering in fte ({reps} replicaties; één schaal voor alle kaarten)",
            out=out / f"kaart-{_file_name(run.scenario.name)}",
            diverging=True,
            value_format="{:+,.0f}",
            note=note,
            limit=limit or None,
        )
    pairs = comparisons(projection)
    if not pairs:
        return written
    against = {run.scenario.name: reference.scenario.name for run, reference in pairs}
    differences = {
        run.scenario.name: dict(
            zip(
                projection.baseline.provinces,
                np.median(run.provinces[:, -1] - reference.provinces[:, -1], axis=0).tolist(),
                strict=True,
            )
        )
        for run, reference in pairs
    }
    others = [run for run, _reference in pairs]
    limit = max((abs(v) for d in differences.values() for v in d.values()), default=0.0)
    for run in others:
        written += draw_map(
            differences[run.scenario.name],
            level="province",
            title=(
                f"Verschil met {against[run.scenario.name]} in {last}, "
                f"scenario {run.scenario.name} (mediaan)"
            ),
            legend=f"verschil in fte ({reps} replicaties; één schaal voor de verschilkaarten)",
            out=out / f"kaart-verschil-{_file_name(run.scenario.name)}",
            diverging=True,
            value_format="{:+,.0f}",
            note=note,
            limit=limit or None,
        )
    return written


def _file_name(name: str) -> str:
    return name.replace(".", "_")


TORNADO = "tornado"
"""The file name (without suffix) of the sensitivity chart."""


def draw_tornado(
    result: Sensitivity, out: Path, *, synthetic: bool = False, top: int = 12
) -> list[Path]:
    """The tornado chart of a sensitivity analysis: per headline output a panel of bars.

    Per assumption (its Dutch label), the most important ``top`` first: Morris ``mu*`` (the
    mean absolute change of the output over the assumption's whole distribution, with its
    95% interval as a whisker), blue where raising the assumption raises the output on
    average (``mu`` > 0), red where it lowers it; Sobol: the total index ``ST`` with ``S1``
    inside. Written as ``out`` .png and .svg, marked illustrative (assumptions drive it).
    """
    from spreiding.simulation.parameters import registry

    labels = {k: p.label for k, p in registry(result.scenario.graph).items()}
    panels = result.outputs
    rows = min(top, len(result.keys))
    written = []
    with mpl.style.context("default"), mpl.rc_context(_RC):
        figure = Figure(figsize=(6.2 * len(panels), 0.32 * rows + 2.4))
        grid = figure.add_gridspec(
            1, len(panels), left=2.7 / (6.2 * len(panels)), right=0.98, top=0.80, bottom=0.14,
            wspace=0.9,
        )  # fmt: skip
        for j, output in enumerate(panels):
            axes = figure.add_subplot(grid[0, j])
            keys = result.ranked(output.key)[:rows][::-1]  # the largest on top
            indices = result.indices[output.key]
            y = np.arange(len(keys))
            if result.method == "morris":
                size = [indices[k]["mu_star"] for k in keys]
                colour = ["#1f77b4" if indices[k]["mu"] >= 0 else "#d62728" for k in keys]
                axes.barh(y, size, color=colour, xerr=[indices[k]["conf"] for k in keys],
                          error_kw={"elinewidth": 0.8, "ecolor": "#555555"})  # fmt: skip
                axes.set_xlabel(f"mu* ({output.unit} over de hele verdeling)", fontsize=8)
            else:
                axes.barh(y, [indices[k]["ST"] for k in keys], color="#9ecae1", label="ST")
                axes.barh(y, [indices[k]["S1"] for k in keys], height=0.4, color="#1f77b4",
                          label="S1")  # fmt: skip
                axes.set_xlabel("aandeel van de variantie", fontsize=8)
                axes.legend(fontsize=7, frameon=False, loc="lower right")
            axes.set_yticks(y, [labels.get(k, k) for k in keys])  # each panel its own order
            axes.tick_params(labelsize=7.5)
            axes.set_title(output.words, fontsize=9, loc="left", wrap=True)
            axes.grid(True, axis="x", color="#dddddd", linewidth=0.6)
            axes.set_xlim(left=0)
            axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: number(v, 1)))
        method = "Morris (elementaire effecten)" if result.method == "morris" else "Sobol"
        figure.text(
            0.02, 0.95, f"Gevoeligheid voor de aannames: scenario {result.scenario.name}",
            fontsize=12, weight="bold",
        )  # fmt: skip
        figure.text(
            0.02,
            0.03,
            f"{method}: {number(result.points)} punten x {number(result.replications)} "
            f"replicaties, seed {result.seed}. Blauw: een hogere aanname verhoogt de uitkomst; "
            "rood: verlaagt haar.",
            fontsize=7.5,
        )
        marks = [ILLUSTRATIVE_MARK] + ([SYNTHETIC_MARK] if synthetic else [])
        figure.text(0.98, 0.95, " · ".join(marks), color="#c00000", fontsize=9, weight="bold",
                    ha="right")  # fmt: skip
        for fmt in ("png", "svg"):
            path = out.with_suffix(f".{fmt}")
            figure.savefig(path, format=fmt, dpi=150, metadata=_METADATA[fmt])
            written.append(path)
    return written
