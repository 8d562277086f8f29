"""What a projection writes: quantile tables (CSV), the fan chart, maps and the bijsluiter.

:func:`write_outputs` writes into one folder:

* ``summary.csv`` — ``scenario, year, quantile, total_fte, randstad_share``: per scenario and
  peildatum year (1 January; the start year included) the quantiles 0.05, 0.25, 0.5, 0.75 and
  0.95 over the replications; each column is its own quantile;
* ``provinces.csv`` — ``scenario, year, quantile, province_code, fte, share``;
* ``targets.csv`` — ``scenario, target, words, year, probability, first_year_holding``
  (the target as given and in Dutch words; the chance it holds in its year; the median first
  year from which it holds to the end of the projection, or "niet bereikt");
* ``effects.csv`` — ``world, variant, scenario, versus, year, median, low, high``: the policy
  effect on the share outside the Randstad, per scenario against ``trend`` in the same
  reference world (or the first scenario), as the paired difference per replication with its
  median and 90% interval (fractions: 0.012 = 1.2 percentage points);
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
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from spreiding.core.errors import InvalidInput
from spreiding.simulation.bijsluiter import write_bijsluiter
from spreiding.simulation.charts import draw_fan_chart, draw_maps
from spreiding.simulation.montecarlo import QUANTILES, Projection
from spreiding.simulation.quantiles import effects, quantiles, randstad_share
from spreiding.simulation.targets import TargetResult, evaluate

SUMMARY_COLUMNS = ("scenario", "year", "quantile", "total_fte", "randstad_share")
PROVINCE_COLUMNS = ("scenario", "year", "quantile", "province_code", "fte", "share")
EFFECT_COLUMNS = ("world", "variant", "scenario", "versus", "year", "median", "low", "high")
TARGET_COLUMNS = ("scenario", "target", "words", "year", "probability", "first_year_holding")
FAN_CHART = "waaier-buiten-randstad"


# -- numbers -------------------------------------------------------------------------------------


def summary_rows(projection: Projection) -> list[tuple[Any, ...]]:
    """The rows of summary.csv."""
    rows = []
    for run in projection.runs:
        totals = quantiles(run.provinces.sum(axis=2))
        shares = quantiles(randstad_share(projection, run))
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
        fte = quantiles(run.provinces)
        share = quantiles(run.provinces / run.provinces.sum(axis=2, keepdims=True))
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


def effect_rows(projection: Projection) -> list[tuple[Any, ...]]:
    """The rows of effects.csv: every year of the projection after the start."""
    years = projection.calendar_years[1:]
    return [
        (
            e.world,
            e.variant,
            e.scenario,
            e.reference,
            e.year,
            f"{e.median:.6f}",
            f"{e.low:.6f}",
            f"{e.high:.6f}",
        )
        for e in effects(projection, years)
    ]


def target_results(projection: Projection) -> list[TargetResult]:
    """Every target of every scenario: probability and median year first reached."""
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
        (r.scenario, r.target, r.words, r.year, f"{r.probability:.4f}", r.first_year_text)
        for r in results
    ]


# -- files ------------------------------------------------------------------------------------


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """Write a CSV file with ``\\n`` line ends (the same bytes on every platform)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def check_out(text: str | Path) -> Path:
    """The output folder ``text`` as a path, refused before any work if it cannot be written.

    Refused: an empty name, a path that is a file (or lies under one), and a folder (or the
    nearest existing folder above a new one) that this process may not write in.
    """
    if not str(text).strip():
        raise InvalidInput("de uitvoermap is leeg; noem een map, bijvoorbeeld var/projectie")
    out = Path(text)
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"uitvoermap {out}: is een bestand, geen map")
    existing = next(p for p in (out, *out.absolute().parents) if p.exists())
    if not existing.is_dir():
        raise InvalidInput(f"uitvoermap {out}: {existing} is een bestand, geen map")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InvalidInput(f"uitvoermap {out}: in {existing} mag niets worden geschreven")
    return out


def write_outputs(
    projection: Projection,
    out: Path,
    *,
    command: str | None = None,
    maps: bool = True,
    backtest: dict[str, Any] | None = None,
    sensitivity: dict[str, dict[str, Any]] | None = None,
) -> list[Path]:
    """Write every output of ``projection`` into the folder ``out``; return the paths.

    ``backtest`` is the latest stored backtest (:func:`.backtest.read_backtest`) and
    ``sensitivity`` the stored sensitivity analyses (:func:`.sensitivity.read_results`),
    shown in the bijsluiter; neither is computed here.
    """
    out.mkdir(parents=True, exist_ok=True)
    results = target_results(projection)
    written = [
        write_csv(out / "summary.csv", SUMMARY_COLUMNS, summary_rows(projection)),
        write_csv(out / "provinces.csv", PROVINCE_COLUMNS, province_rows(projection)),
        write_csv(out / "targets.csv", TARGET_COLUMNS, target_rows(results)),
    ]
    if len(projection.runs) > 1:
        written.append(write_csv(out / "effects.csv", EFFECT_COLUMNS, effect_rows(projection)))
    written += draw_fan_chart(projection, results, out / FAN_CHART)
    if maps:
        written += draw_maps(projection, out)
    written += write_bijsluiter(
        projection,
        results,
        out,
        command=command,
        files=written,
        backtest=backtest,
        sensitivity=sensitivity,
    )
    return written
