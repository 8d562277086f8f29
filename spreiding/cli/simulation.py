"""The command line of the projection: ``spreiding simulate`` and ``spreiding scenario``.

:func:`register` adds the commands to the main Typer app. The modules that import numpy,
simpy and matplotlib are imported inside the commands, so that ``spreiding --help`` and every
other command start fast; Prefect is never imported here (the Prefect flow lives in
:mod:`spreiding.flows.projection`).

Whoever runs the simulation reads the store: :func:`load_start` reads the start counts and the
regional opportunity weights and hands them to the simulation as plain numbers. The output
folder and the bounds of the run (``--replications`` at most
:data:`~spreiding.simulation.montecarlo.MAX_REPLICATIONS`, ``--years`` at most
:data:`~spreiding.simulation.montecarlo.MAX_YEARS`, ``--workers`` at most
:data:`~spreiding.simulation.montecarlo.MAX_WORKERS`) are checked before any work.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from spreiding.cli.common import SYNTHETIC_NOTE, PlainTable, console, open_store
from spreiding.cli.common import randstad as configured_randstad
from spreiding.core.dutch import percentage, whole
from spreiding.simulation.montecarlo import (
    MAX_REPLICATIONS,
    MAX_WORKERS,
    MAX_YEARS,
    check_run,
    project,
)
from spreiding.simulation.targets import parse_targets

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy import Engine

    from spreiding.simulation.baseline import Baseline
    from spreiding.simulation.montecarlo import Projection
    from spreiding.simulation.parameters import Scenario
    from spreiding.simulation.quantiles import Headline
    from spreiding.simulation.targets import TargetResult

DEFAULT_SEED = 20240508
"""The default seed (the date of the letter to parliament): runs are reproducible by default."""


def register(app: typer.Typer) -> None:
    """Add ``simulate`` and the ``scenario`` sub-app (``list``, ``show``) to ``app``."""
    app.command("simulate")(simulate)
    scenario_app = typer.Typer(
        help="Scenarios of the projection: the shipped ones and how to write your own.",
        no_args_is_help=True,
    )
    scenario_app.command("list")(scenario_list)
    scenario_app.command("show")(scenario_show)
    app.add_typer(scenario_app, name="scenario")


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def simulate(
    scenarios: Annotated[
        list[str],
        typer.Argument(
            help="Shipped scenario names (trend, nieuwe-aanpak, strikt) or paths to .toml files.",
            show_default=False,
        ),
    ],
    replications: Annotated[
        int, typer.Option(help=f"Replications per scenario (1 to {MAX_REPLICATIONS}).")
    ] = 1000,
    years: Annotated[
        int, typer.Option(help=f"Years to project from the latest peildatum (1 to {MAX_YEARS}).")
    ] = 10,
    seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same result.")] = (
        DEFAULT_SEED
    ),
    workers: Annotated[
        int | None,
        typer.Option(help=f"Worker processes (1 to {MAX_WORKERS}); default: every core.", min=1),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            help="Folder for CSV files, charts, maps and the bijsluiter (checked before the run).",
            show_default=False,
        ),
    ] = None,
    target: Annotated[
        list[str] | None,
        typer.Option(
            "--target",
            help='A target, e.g. "buiten-randstad>=0.45@2030" or "PV22>=+1500@2030"; repeatable.',
        ),
    ] = None,
) -> None:
    """Project fte per province N years ahead under each SCENARIO (Monte Carlo, SimPy)."""
    from spreiding.simulation.outputs import check_out
    from spreiding.simulation.parameters import load_scenario

    targets = list(target or [])
    workers = workers if workers is not None else min(_cores(), MAX_WORKERS)
    loaded = [load_scenario(s) for s in scenarios]  # refuse bad input before any work
    parse_targets(targets)
    check_run(replications=replications, years=years, seed=seed, workers=workers)
    folder = check_out(out) if out is not None else None
    baseline = load_start(open_store(), randstad=configured_randstad())
    projection = _run_with_progress(loaded, baseline, replications, years, seed, workers, targets)
    _report(projection, folder, _command(scenarios, replications, years, seed, folder, targets))


def load_start(engine: Engine, *, randstad: Sequence[str]) -> Baseline:
    """Read where a projection starts from the store and hand it over as plain numbers.

    The counts come from :func:`spreiding.models.figures.start_counts`, the weights of the
    regional opportunities from :func:`spreiding.opportunities.store.regional_weights`.
    """
    from spreiding.models.db import session_scope
    from spreiding.models.figures import start_counts
    from spreiding.opportunities.store import regional_weights
    from spreiding.simulation.baseline import Baseline

    with session_scope(engine) as session:
        start = start_counts(session)
        weights = regional_weights(session, randstad)
    return Baseline.from_cells(
        start.cells,
        peildatum=start.peildatum,
        randstad=randstad,
        synthetic=start.synthetic,
        source=start.source,
        opportunities=weights,
    )


def _run_with_progress(
    loaded: list[Scenario],
    baseline: Baseline,
    replications: int,
    years: int,
    seed: int,
    workers: int,
    targets: list[str],
) -> Projection:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("replicaties", total=replications * len(loaded))
        return project(
            loaded,
            baseline,
            replications=replications,
            years=years,
            seed=seed,
            workers=workers,
            targets=targets,
            on_done=lambda spec: progress.advance(task, spec.size),
        )


def _command(
    scenarios: list[str],
    replications: int,
    years: int,
    seed: int,
    out: Path | None,
    targets: list[str],
) -> str:
    """The command line that computes the same result again."""
    words = ["spreiding", "simulate", *scenarios]
    words += ["--replications", str(replications), "--years", str(years), "--seed", str(seed)]
    for text in targets:
        words += ["--target", text]
    if out is not None:
        words += ["--out", str(out)]
    return shlex.join(words)


def _report(projection: Projection, out: Path | None, command: str) -> None:
    from spreiding.simulation.outputs import target_results, write_outputs
    from spreiding.simulation.quantiles import headlines

    results = target_results(projection)
    console.print(_headline_table(projection, headlines(projection)))
    if results:
        console.print(_target_table(results))
    if projection.baseline.synthetic:
        console.print(SYNTHETIC_NOTE)
    if out is not None:
        written = write_outputs(projection, out, command=command)
        console.print(f"Written to {out}: {len(written)} files, see bijsluiter.md.")


def _headline_table(projection: Projection, lines: list[Headline]) -> PlainTable:
    baseline = projection.baseline
    table = PlainTable(
        "scenario",
        "jaar",
        "buiten Randstad (mediaan)",
        "90%-interval",
        "totaal fte (mediaan)",
        title=(
            f"Projectie vanaf peildatum {baseline.peildatum:%d-%m-%Y}: "
            f"{projection.replications} replicaties, seed {projection.seed}"
        ),
    )
    for line in lines:
        table.add_row(
            line.scenario,
            str(line.year),
            percentage(line.median),
            f"{percentage(line.low)} - {percentage(line.high)}",
            whole(line.total_fte),
        )
    return table


def _target_table(results: list[TargetResult]) -> PlainTable:
    table = PlainTable("scenario", "doel", "jaar", "kans", "mediaan jaar bereikt", title="Doelen")
    for r in results:
        table.add_row(
            r.scenario,
            r.target,
            str(r.year),
            percentage(r.probability, 0),
            r.median_year_text,
        )
    return table


def scenario_list() -> None:
    """List the shipped scenarios."""
    from spreiding.simulation.parameters import SHIPPED, load_scenario, shipped_path

    table = PlainTable("naam", "omschrijving", "bestand", title="Meegeleverde scenario's")
    for name in SHIPPED:
        scenario = load_scenario(name)
        table.add_row(name, scenario.description, str(shipped_path(name)))
    console.print(table)


def scenario_show(
    name: Annotated[str, typer.Argument(help="A shipped scenario name or a path to a .toml file.")],
) -> None:
    """Print a scenario as TOML with every key documented (copy it to make your own)."""
    from spreiding.simulation.parameters import load_scenario, render_toml

    sys.stdout.write(render_toml(load_scenario(name)))
