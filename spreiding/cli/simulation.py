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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from spreiding.cli.common import SYNTHETIC_NOTE, PlainTable, console, emit_json, open_store
from spreiding.cli.common import randstad as configured_randstad
from spreiding.core.dutch import date_text, number, percentage, points
from spreiding.core.errors import InvalidInput
from spreiding.simulation.montecarlo import (
    MAX_REPLICATIONS,
    MAX_WORKERS,
    MAX_YEARS,
    check_run,
    project,
)
from spreiding.simulation.targets import parse_targets

if TYPE_CHECKING:
    from spreiding.simulation.backtest import BacktestRow
    from spreiding.simulation.baseline import Baseline
    from spreiding.simulation.montecarlo import BatchSpec, Projection
    from spreiding.simulation.parameters import Scenario
    from spreiding.simulation.quantiles import Effect, Headline
    from spreiding.simulation.sensitivity import Sensitivity
    from spreiding.simulation.targets import TargetResult

DEFAULT_SEED = 20240508
"""The default seed (the date of the letter to parliament): runs are reproducible by default."""


# The options that simulate and backtest share.
SeedOption = Annotated[int, typer.Option(help="Seed: the same seed gives the same result.")]
WorkersOption = Annotated[
    int | None,
    typer.Option(help=f"Worker processes (1 to {MAX_WORKERS}); default: every core.", min=1),
]


def register(app: typer.Typer) -> None:
    """Add ``simulate`` and the ``scenario`` sub-app (``list``, ``show``) to ``app``."""
    app.command("simulate")(simulate)
    app.command("backtest")(backtest)
    app.command("sensitivity")(sensitivity)
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
    seed: SeedOption = DEFAULT_SEED,
    workers: WorkersOption = None,
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
    start: Annotated[
        int | None,
        typer.Option(
            help="Start from 1 January of this year: a complete peildatum in the store "
            "(default: the newest complete one).",
            show_default=False,
        ),
    ] = None,
    chance_only: Annotated[
        bool,
        typer.Option(
            "--chance-only",
            help="Fix every assumption at its value: the bands then show chance alone, "
            "not the uncertainty of the parameters.",
        ),
    ] = False,
    reference: Annotated[
        list[str] | None,
        typer.Option(
            "--reference",
            help="A reference world (hoog, midden, laag, or a .toml file) to run every "
            "SCENARIO in, on common random numbers; repeatable. The effect of each variant "
            "is taken against trend in the same world.",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print the headlines, the policy effects and the targets as JSON."
        ),
    ] = False,
    pipeline: Annotated[
        bool,
        typer.Option(
            "--pipeline/--no-pipeline",
            help="Take the open and decided cases of the store as known plans, from their "
            "current state today.",
        ),
    ] = True,
) -> None:
    """Project fte per province N years ahead under each SCENARIO (Monte Carlo, SimPy)."""
    from spreiding.flows.start import load_start, with_pipeline
    from spreiding.simulation.outputs import check_out
    from spreiding.simulation.parameters import load_scenario
    from spreiding.simulation.references import combine, load_reference

    targets = list(target or [])
    references = list(reference or [])
    workers = workers if workers is not None else min(_cores(), MAX_WORKERS)
    loaded = [load_scenario(s) for s in scenarios]  # refuse bad input before any work
    loaded = combine(loaded, [load_reference(r) for r in references])
    if chance_only:
        loaded = [s.without_uncertainty() for s in loaded]
    parse_targets(targets)
    check_run(replications=replications, years=years, seed=seed, workers=workers)
    folder = check_out(out) if out is not None else None
    engine = open_store()
    baseline = load_start(engine, randstad=configured_randstad(), year=start)
    if pipeline:
        baseline = with_pipeline(engine, baseline)
    projection = _run_with_progress(loaded, baseline, replications, years, seed, workers, targets)
    command = _command(scenarios, replications, years, seed, folder, targets, start, references)
    if chance_only:
        command += " --chance-only"
    if not pipeline:
        command += " --no-pipeline"
    _report(projection, folder, command, as_json=as_json)


def backtest(
    scenarios: Annotated[
        list[str] | None,
        typer.Argument(help="Scenarios to test (default: every shipped one).", show_default=False),
    ] = None,
    replications: Annotated[
        int, typer.Option(help=f"Replications per scenario and start (1 to {MAX_REPLICATIONS}).")
    ] = 200,
    seed: SeedOption = DEFAULT_SEED,
    workers: WorkersOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False,
) -> None:
    """Project from every complete peildatum to every later one and compare with the store.

    Rows per scenario, start and year, for the total and the Randstad share: the median and
    90% interval of the projection, the observed value, the error and whether the interval
    covers it. Stored in the data folder (backtest.json) for the bijsluiter of later runs.
    """
    from spreiding.core.settings import get_settings
    from spreiding.flows.start import load_history, load_start
    from spreiding.simulation.backtest import FILE_NAME, backtest_starts, write_backtest
    from spreiding.simulation.backtest import backtest as run_backtest
    from spreiding.simulation.parameters import SHIPPED, load_scenario

    names = list(scenarios or SHIPPED)
    loaded = [load_scenario(s) for s in names]
    workers = workers if workers is not None else min(_cores(), MAX_WORKERS)
    check_run(replications=replications, years=1, seed=seed, workers=workers)
    engine, randstad = open_store(), configured_randstad()
    history = load_history(engine, randstad=randstad)
    years = backtest_starts([o.peildatum.year for o in history])
    starts = [load_start(engine, randstad=randstad, year=y) for y in years]
    total = replications * len(loaded) * len(starts)
    with _progress(total) as advance:
        rows = run_backtest(
            loaded, starts, replications=replications, seed=seed, workers=workers, on_done=advance
        )
    settings = get_settings()
    about = {
        "made_on": settings.current_date().isoformat(),
        "command": shlex.join(
            [
                "spreiding",
                "backtest",
                *names,
                "--replications",
                str(replications),
                "--seed",
                str(seed),
            ]
        ),
        "seed": seed,
        "replications": replications,
        "synthetic": starts[-1].synthetic,
        "data_hash": starts[-1].data_hash,
        "scenarios": {s.name: s.hash for s in loaded},
    }
    path = write_backtest(settings.data_dir / FILE_NAME, rows, about)
    if as_json:
        emit_json([row.to_json() for row in rows])
        return

    console.print(_backtest_table(rows))
    covered = sum(r.covered for r in rows)
    console.print(
        f"Binnen het 90%-interval: {covered} van {len(rows)}. Opgeslagen in "
        f"{path} (voor de bijsluiter van volgende projecties)."
    )
    if starts[-1].synthetic:
        console.print(SYNTHETIC_NOTE)


def sensitivity(
    scenario: Annotated[
        str, typer.Argument(help="A shipped scenario name or a path to a .toml file.")
    ],
    method: Annotated[
        str, typer.Option(help="morris (screening, default) or sobol (variance shares).")
    ] = "morris",
    out: Annotated[
        str | None,
        typer.Option(
            help="Folder for the tornado chart, sensitivity.csv and .json (checked first).",
            show_default=False,
        ),
    ] = None,
    trajectories: Annotated[
        int,
        typer.Option(
            help="Morris: trajectories (points = trajectories x (assumptions + 1)); "
            "Sobol: base samples, rounded up to a power of two."
        ),
    ] = 8,
    replications: Annotated[
        int, typer.Option(help="Replications per point (the same seed at every point).")
    ] = 10,
    years: Annotated[int, typer.Option(help=f"Years to project (1 to {MAX_YEARS}).")] = 10,
    seed: SeedOption = DEFAULT_SEED,
    workers: WorkersOption = None,
    target: Annotated[
        list[str] | None,
        typer.Option("--target", help="A target whose chance is an output; repeatable."),
    ] = None,
    reference: Annotated[
        str | None,
        typer.Option(help="A reference world to analyse the scenario in (hoog, midden, laag)."),
    ] = None,
    start: Annotated[
        int | None,
        typer.Option(help="Start from 1 January of this complete peildatum.", show_default=False),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Which assumptions drive the headline outputs of SCENARIO (SALib: Morris or Sobol).

    Outputs: the share outside the Randstad in the last year, the policy effect against the
    same scenario without the principles, and the chance of each target. Stored in the data
    folder (sensitivity.json) for the bijsluiter of later projections.
    """
    from spreiding.core.settings import get_settings
    from spreiding.flows.start import load_start, with_pipeline
    from spreiding.simulation.outputs import check_out
    from spreiding.simulation.parameters import load_scenario
    from spreiding.simulation.references import combine, load_reference
    from spreiding.simulation.sensitivity import FILE_NAME, METHODS, analyse, store_result
    from spreiding.simulation.sensitivity import write_outputs as write_sensitivity

    if method not in METHODS:
        raise InvalidInput(f"--method {method!r}: use one of {', '.join(METHODS)}")
    loaded = load_scenario(scenario)
    if reference is not None:
        loaded = combine([loaded], [load_reference(reference)])[0]
    targets = list(target or [])
    parse_targets(targets)
    workers = workers if workers is not None else min(_cores(), MAX_WORKERS)
    check_run(replications=replications, years=years, seed=seed, workers=workers)
    folder = check_out(out) if out is not None else None
    engine = open_store()
    baseline = with_pipeline(engine, load_start(engine, randstad=configured_randstad(), year=start))
    with _progress(None) as advance:
        result = analyse(
            loaded,
            baseline,
            method=method,
            trajectories=trajectories,
            replications=replications,
            years=years,
            seed=seed,
            workers=workers,
            targets=targets,
            on_done=advance,
        )
    words = ["spreiding", "sensitivity", scenario, "--method", method]
    words += ["--trajectories", str(trajectories), "--replications", str(replications)]
    words += ["--years", str(years), "--seed", str(seed)]
    if reference is not None:
        words += ["--reference", reference]
    if start is not None:
        words += ["--start", str(start)]
    for text in targets:
        words += ["--target", text]
    settings = get_settings()
    about = {
        "made_on": settings.current_date().isoformat(),
        "command": shlex.join(words),
        "synthetic": baseline.synthetic,
        "data_hash": baseline.data_hash,
    }
    store_result(settings.data_dir / FILE_NAME, result, about)
    written = write_sensitivity(result, folder, synthetic=baseline.synthetic) if folder else []
    if as_json:
        emit_json({**about, **result.to_json()})
        return
    console.print(_sensitivity_table(result))
    if baseline.synthetic:
        console.print(SYNTHETIC_NOTE)
    if folder is not None:
        console.print(f"Written to {folder}: {len(written)} files (tornado.png, sensitivity.csv).")


def _sensitivity_table(result: Sensitivity) -> PlainTable:
    from spreiding.simulation.parameters import registry

    labels = {k: p.label for k, p in registry(result.scenario.graph).items()}
    morris = result.method == "morris"
    table = PlainTable(
        "uitkomst",
        "aanname",
        "mu* (procentpunt)" if morris else "ST",
        "sigma" if morris else "S1",
        "richting" if morris else "",
        title=(
            f"Gevoeligheid van {result.scenario.name} ({'Morris' if morris else 'Sobol'}, "
            f"{number(result.points)} punten x {number(result.replications)} replicaties)"
        ),
    )
    for output in result.outputs:
        for rank, key in enumerate(result.ranked(output.key)[:8]):
            i = result.indices[output.key][key]
            table.add_row(
                output.words if rank == 0 else "",
                labels[key],
                number(i["mu_star"] if morris else i["ST"], 2),
                number(i["sigma"] if morris else i["S1"], 2),
                ("hoger" if i["mu"] >= 0 else "lager") if morris else "",
            )
    return table


def _backtest_table(rows: Sequence[BacktestRow]) -> PlainTable:
    table = PlainTable(
        "scenario",
        "grootheid",
        "vanaf",
        "jaar",
        "mediaan",
        "90%-interval",
        "waargenomen",
        "fout",
        "binnen interval",
        title="Terugrekening (backtest)",
    )
    for r in rows:
        if r.measure == "totaal":
            show = number
            error = percentage(r.error, 1)
        else:
            show = percentage
            error = f"{number(r.error * 100, 1)} procentpunt"
        table.add_row(
            r.scenario,
            "totaal fte" if r.measure == "totaal" else "aandeel Randstad",
            str(r.start),
            str(r.year),
            show(r.median),
            f"{show(r.low)} - {show(r.high)}",
            show(r.observed),
            error,
            "ja" if r.covered else "nee",
        )
    return table


def _run_with_progress(
    loaded: list[Scenario],
    baseline: Baseline,
    replications: int,
    years: int,
    seed: int,
    workers: int,
    targets: list[str],
) -> Projection:
    with _progress(replications * len(loaded)) as advance:
        return project(
            loaded,
            baseline,
            replications=replications,
            years=years,
            seed=seed,
            workers=workers,
            targets=targets,
            on_done=advance,
        )


@contextmanager
def _progress(total: int | None) -> Iterator[Callable[[BatchSpec], None]]:
    """A progress bar of replications on stderr; yields the callback per finished batch."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("replicaties", total=total)
        yield lambda spec: progress.advance(task, spec.size)


def _command(
    scenarios: list[str],
    replications: int,
    years: int,
    seed: int,
    out: Path | None,
    targets: list[str],
    start: int | None = None,
    references: Sequence[str] = (),
) -> str:
    """The command line that computes the same result again."""
    words = ["spreiding", "simulate", *scenarios]
    words += ["--replications", str(replications), "--years", str(years), "--seed", str(seed)]
    if start is not None:
        words += ["--start", str(start)]
    for name in references:
        words += ["--reference", name]
    for text in targets:
        words += ["--target", text]
    if out is not None:
        words += ["--out", str(out)]
    return shlex.join(words)


def _report(
    projection: Projection, out: Path | None, command: str, *, as_json: bool = False
) -> None:
    from spreiding.core.settings import get_settings
    from spreiding.simulation.backtest import FILE_NAME as BACKTEST_FILE
    from spreiding.simulation.backtest import read_backtest
    from spreiding.simulation.outputs import target_results, write_outputs
    from spreiding.simulation.quantiles import effects, headlines
    from spreiding.simulation.sensitivity import FILE_NAME as SENSITIVITY_FILE
    from spreiding.simulation.sensitivity import read_results

    results = target_results(projection)
    lines, differences = headlines(projection), effects(projection)
    written: list[Path] = []
    if out is not None:
        data_dir = get_settings().data_dir
        backtest = read_backtest(data_dir / BACKTEST_FILE)
        analyses = read_results(data_dir / SENSITIVITY_FILE)
        written = write_outputs(
            projection, out, command=command, backtest=backtest, sensitivity=analyses
        )
    if as_json:
        emit_json(_projection_json(projection, lines, differences, results, command))
        return
    console.print(_headline_table(projection, lines))
    if differences:
        console.print(_effect_table(differences))
    if results:
        console.print(_target_table(results))
    if projection.baseline.synthetic:
        console.print(SYNTHETIC_NOTE)
    if out is not None:
        console.print(f"Written to {out}: {len(written)} files, see bijsluiter.md.")


def _projection_json(
    projection: Projection,
    lines: list[Headline],
    differences: list[Effect],
    results: list[TargetResult],
    command: str,
) -> dict[str, object]:
    baseline = projection.baseline
    return {
        "command": command,
        "peildatum": baseline.peildatum.isoformat(),
        "seed": projection.seed,
        "replications": projection.replications,
        "synthetic": baseline.synthetic,
        "data_hash": baseline.data_hash,
        "scenarios": {
            run.scenario.name: {
                "variant": run.scenario.variant,
                "reference": run.scenario.reference,
                "hash": run.scenario.hash,
            }
            for run in projection.runs
        },
        "headlines": [
            {
                "scenario": h.scenario,
                "year": h.year,
                "outside_randstad": {
                    "median": round(float(h.median), 6),
                    "low": round(float(h.low), 6),
                    "high": round(float(h.high), 6),
                },
                "total_fte": round(float(h.total_fte), 1),
            }
            for h in lines
        ],
        "effects": [e.to_json() for e in differences],
        "targets": [
            {
                "scenario": r.scenario,
                "target": r.target,
                "words": r.words,
                "year": r.year,
                "probability": round(float(r.probability), 4),
                "first_year_holding": r.first_year_text,
            }
            for r in results
        ],
    }


def _effect_table(differences: list[Effect]) -> PlainTable:
    worlds = any(e.world for e in differences)
    columns = ["referentie"] if worlds else []
    table = PlainTable(
        *columns,
        "scenario",
        "t.o.v.",
        "jaar",
        "effect buiten Randstad (mediaan)",
        "90%-interval",
        title="Effect van het beleid (gepaard verschil, zelfde toevalsgetallen)",
    )
    for e in differences:
        table.add_row(
            *([e.world] if worlds else []),
            e.scenario,
            e.reference,
            str(e.year),
            points(e.median),
            f"{points(e.low)} - {points(e.high)}",
        )
    return table


def _pct(value: float) -> str:
    return percentage(value, 1)


def _headline_table(projection: Projection, lines: list[Headline]) -> PlainTable:
    baseline = projection.baseline
    table = PlainTable(
        "scenario",
        "jaar",
        "buiten Randstad (mediaan)",
        "90%-interval",
        "totaal fte (mediaan)",
        title=(
            f"Projectie vanaf peildatum {date_text(baseline.peildatum)}: "
            f"{number(projection.replications)} replicaties, seed {projection.seed}"
        ),
    )
    for line in lines:
        table.add_row(
            line.scenario,
            str(line.year),
            _pct(line.median),
            f"{_pct(line.low)} - {_pct(line.high)}",
            number(line.total_fte),
        )
    return table


def _target_table(results: list[TargetResult]) -> PlainTable:
    table = PlainTable("scenario", "doel", "kans in dat jaar", "gehaald vanaf", title="Doelen")
    for r in results:
        table.add_row(
            r.scenario,
            r.words,
            percentage(r.probability, 0),
            r.first_year_text,
        )
    return table


def scenario_list() -> None:
    """List the shipped scenarios and reference worlds."""
    from spreiding.simulation.parameters import SHIPPED, load_scenario, shipped_path
    from spreiding.simulation.references import (
        SHIPPED_REFERENCES,
        load_reference,
        reference_path,
    )

    table = PlainTable("naam", "omschrijving", "bestand", title="Meegeleverde scenario's")
    for name in SHIPPED:
        scenario = load_scenario(name)
        table.add_row(name, scenario.description, str(shipped_path(name)))
    console.print(table)
    worlds = PlainTable(
        "naam", "omschrijving", "bestand", title="Referentiewerelden (simulate --reference)"
    )
    for name in SHIPPED_REFERENCES:
        worlds.add_row(name, load_reference(name).description, str(reference_path(name)))
    console.print(worlds)


def scenario_show(
    name: Annotated[str, typer.Argument(help="A shipped scenario name or a path to a .toml file.")],
) -> None:
    """Print a scenario as TOML with every key documented (copy it to make your own)."""
    from spreiding.simulation.parameters import load_scenario, render_toml

    sys.stdout.write(render_toml(load_scenario(name)))
