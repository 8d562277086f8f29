"""The command line of the projection: ``spreiding simulate`` and ``spreiding scenario``.

:func:`register` adds the commands to the main Typer app. Imports of numpy, simpy and
matplotlib happen inside the commands, so that ``spreiding --help`` and every other command
start fast; Prefect is never imported here (the Prefect flow lives in
:mod:`spreiding.flows.projection`).
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from spreiding.cli.common import SYNTHETIC_NOTE
from spreiding.core.dutch import percentage, whole

if TYPE_CHECKING:
    from spreiding.simulation.baseline import Baseline
    from spreiding.simulation.montecarlo import Projection
    from spreiding.simulation.outputs import Headline
    from spreiding.simulation.parameters import Scenario
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
    replications: Annotated[int, typer.Option(help="Replications per scenario.")] = 1000,
    years: Annotated[int, typer.Option(help="Years to project from the latest peildatum.")] = 10,
    seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same result.")] = (
        DEFAULT_SEED
    ),
    workers: Annotated[
        int | None, typer.Option(help="Worker processes; default: every core.", min=1)
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Folder for CSV files, charts, maps and the bijsluiter.")
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
    from spreiding.simulation.montecarlo import check_run
    from spreiding.simulation.parameters import load_scenario
    from spreiding.simulation.targets import parse_targets

    targets = list(target or [])
    workers = workers if workers is not None else _cores()
    loaded = [load_scenario(s) for s in scenarios]  # refuse bad input before any work
    parse_targets(targets)
    check_run(replications=replications, years=years, seed=seed, workers=workers)
    baseline = _baseline()
    projection = _run_with_progress(loaded, baseline, replications, years, seed, workers, targets)
    _report(projection, out, _command(scenarios, replications, years, seed, out, targets))


def _baseline() -> Baseline:
    from spreiding.core.errors import NotFound
    from spreiding.models.db import current_revision, get_engine
    from spreiding.simulation.baseline import load_baseline

    engine = get_engine()
    if current_revision(engine) is None:
        raise NotFound("the database is empty: run 'spreiding init' (or 'spreiding init --demo')")
    return load_baseline(engine)


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

    from spreiding.simulation.montecarlo import project

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
    from spreiding.simulation.outputs import headlines, target_results, write_outputs

    console = Console(soft_wrap=True)
    results = target_results(projection)
    console.print(_headline_table(projection, headlines(projection)))
    if results:
        console.print(_target_table(results))
    if projection.baseline.synthetic:
        console.print(SYNTHETIC_NOTE)
    if out is not None:
        written = write_outputs(projection, out, command=command)
        console.print(f"Written to {escape(str(out))}: {len(written)} files, see bijsluiter.md.")


def _headline_table(projection: Projection, lines: list[Headline]) -> Table:
    baseline = projection.baseline
    table = Table(
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
            escape(line.scenario),
            str(line.year),
            percentage(line.median),
            f"{percentage(line.low)} - {percentage(line.high)}",
            whole(line.total_fte),
        )
    return table


def _target_table(results: list[TargetResult]) -> Table:
    table = Table("scenario", "doel", "jaar", "kans", "mediaan jaar bereikt", title="Doelen")
    for r in results:
        table.add_row(
            escape(r.scenario),
            escape(r.target),
            str(r.year),
            percentage(r.probability, 0),
            r.median_year_text,
        )
    return table


def scenario_list() -> None:
    """List the shipped scenarios."""
    from spreiding.simulation.parameters import SHIPPED, load_scenario, shipped_path

    table = Table("naam", "omschrijving", "bestand", title="Meegeleverde scenario's")
    for name in SHIPPED:
        scenario = load_scenario(name)
        table.add_row(name, escape(scenario.description), escape(str(shipped_path(name))))
    Console(soft_wrap=True).print(table)


def scenario_show(
    name: Annotated[str, typer.Argument(help="A shipped scenario name or a path to a .toml file.")],
) -> None:
    """Print a scenario as TOML with every key documented (copy it to make your own)."""
    from spreiding.simulation.parameters import load_scenario, render_toml

    sys.stdout.write(render_toml(load_scenario(name)))
