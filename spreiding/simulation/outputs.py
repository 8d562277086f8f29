"""What a projection writes: quantile tables (CSV), the fan chart, maps and the bijsluiter.

:func:`write_outputs` writes into one folder:

* ``summary.csv`` — ``scenario, year, quantile, total_fte, randstad_share``: per scenario and
  peildatum year (1 January; the start year included) the quantiles 0.05, 0.25, 0.5, 0.75 and
  0.95 over the replications; each column is its own quantile;
* ``provinces.csv`` — ``scenario, year, quantile, province_code, fte, share``;
* ``targets.csv`` — ``scenario, target, year, probability, median_year_reached``;
* ``waaier-buiten-randstad.png``/``.svg`` — the share outside the Randstad per scenario,
  median with 50% and 90% bands, targets as markers;
* ``kaart-<scenario>.png``/``.svg`` — the median change per province, start to last year;
* ``bijsluiter.md``/``.html`` — parameters and their hash, seed, data source, assumptions and
  what the model does not cover, in Dutch.

The CSV files and the SVG files are byte-for-byte the same for the same seed and parameters.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spreiding.core.synthetic import SYNTHETIC_MARK as SYNTHETIC_LABEL  # noqa: F401 (re-exported)
from spreiding.simulation.montecarlo import QUANTILES, Projection, ScenarioRun

if TYPE_CHECKING:
    import numpy as np

    from spreiding.simulation.targets import TargetResult

SUMMARY_COLUMNS = ("scenario", "year", "quantile", "total_fte", "randstad_share")
PROVINCE_COLUMNS = ("scenario", "year", "quantile", "province_code", "fte", "share")
TARGET_COLUMNS = ("scenario", "target", "year", "probability", "median_year_reached")
FAN_CHART = "waaier-buiten-randstad"
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#7f7f7f")


# -- numbers -----------------------------------------------------------------------------------


def randstad_mask(projection: Projection) -> np.ndarray:
    """True for each province (in baseline order) that counts as Randstad."""
    import numpy as np

    baseline = projection.baseline
    return np.array([p in baseline.randstad for p in baseline.provinces])


def randstad_share(projection: Projection, run: ScenarioRun) -> np.ndarray:
    """The Randstad share per replication and year (NaN where no fte are left at all)."""
    import numpy as np

    mask = randstad_mask(projection)
    with np.errstate(invalid="ignore", divide="ignore"):
        return run.provinces[:, :, mask].sum(axis=2) / run.provinces.sum(axis=2)


def _quantiles(values: np.ndarray) -> np.ndarray:
    """Quantiles over the replications (axis 0): QUANTILES x the remaining axes."""
    import numpy as np

    return np.quantile(values, QUANTILES, axis=0)


def summary_rows(projection: Projection) -> list[tuple[Any, ...]]:
    """The rows of summary.csv."""
    rows = []
    for run in projection.runs:
        totals = _quantiles(run.provinces.sum(axis=2))
        shares = _quantiles(randstad_share(projection, run))
        for y, year in enumerate(projection.calendar_years):
            for q, quantile in enumerate(QUANTILES):
                rows.append(
                    (
                        run.scenario.name,
                        year,
                        f"{quantile:.2f}",
                        f"{totals[q, y]:.1f}",
                        f"{shares[q, y]:.6f}",
                    )
                )
    return rows


def province_rows(projection: Projection) -> list[tuple[Any, ...]]:
    """The rows of provinces.csv."""
    codes = projection.baseline.provinces
    rows = []
    for run in projection.runs:
        fte = _quantiles(run.provinces)
        share = _quantiles(run.provinces / run.provinces.sum(axis=2, keepdims=True))
        for y, year in enumerate(projection.calendar_years):
            for q, quantile in enumerate(QUANTILES):
                for p, code in enumerate(codes):
                    rows.append(
                        (
                            run.scenario.name,
                            year,
                            f"{quantile:.2f}",
                            code,
                            f"{fte[q, y, p]:.1f}",
                            f"{share[q, y, p]:.6f}",
                        )
                    )
    return rows


def target_results(projection: Projection) -> list[TargetResult]:
    """Every target of every scenario: probability and median year first reached."""
    from spreiding.simulation.targets import evaluate

    baseline = projection.baseline
    return [
        evaluate(
            target,
            run.scenario.name,
            run.provinces,
            baseline.provinces,
            baseline.randstad,
            baseline.peildatum.year,
        )
        for run in projection.runs
        for target in run.targets
    ]


def target_rows(results: Iterable[TargetResult]) -> list[tuple[Any, ...]]:
    """The rows of targets.csv."""
    return [
        (r.scenario, r.target, r.year, f"{r.probability:.4f}", r.median_year_text) for r in results
    ]


def median_change(projection: Projection, run: ScenarioRun) -> dict[str, float]:
    """Per province, the median over replications of (last year - start year) fte."""
    import numpy as np

    change = np.median(run.provinces[:, -1] - run.provinces[:, 0], axis=0)
    return {code: float(v) for code, v in zip(projection.baseline.provinces, change, strict=True)}


@dataclass(frozen=True)
class Headline:
    """The share outside the Randstad for one scenario and year: median and 90% interval."""

    scenario: str
    year: int
    median: float
    low: float
    high: float
    total_fte: float


def headlines(projection: Projection, years: Sequence[int] | None = None) -> list[Headline]:
    """Median share outside the Randstad (5-95% interval) per scenario for ``years``."""
    import numpy as np

    calendar = projection.calendar_years
    wanted = years or [calendar[0], calendar[min(5, len(calendar) - 1)], calendar[-1]]
    lines = []
    for run in projection.runs:
        outside = 1.0 - randstad_share(projection, run)
        totals = run.provinces.sum(axis=2)
        for year in dict.fromkeys(wanted):
            y = calendar.index(year)
            low, mid, high = np.quantile(outside[:, y], (0.05, 0.5, 0.95))
            lines.append(
                Headline(run.scenario.name, year, mid, low, high, float(np.median(totals[:, y])))
            )
    return lines


# -- files ------------------------------------------------------------------------------------


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """Write a CSV file with ``\\n`` line ends (the same bytes on every platform)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def write_outputs(
    projection: Projection, out: Path, *, command: str | None = None, maps: bool = True
) -> list[Path]:
    """Write every output of ``projection`` into the folder ``out``; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    results = target_results(projection)
    written = [
        write_csv(out / "summary.csv", SUMMARY_COLUMNS, summary_rows(projection)),
        write_csv(out / "provinces.csv", PROVINCE_COLUMNS, province_rows(projection)),
        write_csv(out / "targets.csv", TARGET_COLUMNS, target_rows(results)),
    ]
    from spreiding.simulation.charts import draw_fan_chart, draw_maps

    written += draw_fan_chart(projection, results, out / FAN_CHART)
    if maps:
        written += draw_maps(projection, out)
    from spreiding.simulation.bijsluiter import write_bijsluiter

    written += write_bijsluiter(projection, results, out, command=command, files=written)
    return written
