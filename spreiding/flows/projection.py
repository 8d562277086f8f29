"""The scenario projection as a Prefect flow: one task per batch of replications.

``scenario_projection`` (flow name ``scenario-projection``) loads the scenarios, checks the
output folder, reads the latest complete peildatum and the regional opportunity weights from
the store (:func:`load_start`: the simulation itself never reads the store) and, unless
``pipeline`` is off, the open and decided cases as known plans (:func:`with_pipeline`, the
reader ``spreiding simulate`` uses, so both project the same pipeline), cuts the
replications into batches (:func:`spreiding.simulation.montecarlo.plan_batches`), runs one
``simulate-batch`` task per batch, merges the results in replication order and writes the
same outputs as ``spreiding simulate --out`` (CSV files, fan chart, maps, bijsluiter). The
bijsluiter is also published as a Markdown artifact (key ``scenario-projection``).

Never one task per replication: a task costs 10-30 ms of overhead, a replication about
10 ms. A batch (default 50 replications) keeps the overhead to a few percent. Each
replication draws its random numbers from ``SeedSequence(seed, spawn_key=(i,))``, so the
result is the same, bit for bit, whatever runs the batches and in what order.

Where the batches run is the flow's task runner:

* The default (Prefect's thread pool) runs them in this process, one core at a time; fine for
  a scheduled yearly run, and what the tests use.
* On one machine with several cores, a process pool::

      from prefect.task_runners import ProcessPoolTaskRunner
      from spreiding.flows.projection import scenario_projection

      scenario_projection.with_options(task_runner=ProcessPoolTaskRunner(max_workers=8))(
          scenarios=["trend", "nieuwe-aanpak", "strikt"], replications=10_000
      )

* On a Dask cluster (prefect-dask), connect to its scheduler; every Dask worker needs the
  same version of ``spreiding`` installed (it unpickles the batch specification), but no
  database access: the flow reads the store and ships the numbers::

      from prefect_dask import DaskTaskRunner

      runner = DaskTaskRunner(address="tcp://dask-scheduler:8786")
      scenario_projection.with_options(task_runner=runner)(replications=100_000, batch_size=200)

  or let Prefect start a temporary local cluster:
  ``DaskTaskRunner(cluster_kwargs={"n_workers": 4, "threads_per_worker": 1})`` (one thread
  per worker: the model is pure Python and holds the GIL).

Calling ``scenario_projection.fn(...)`` (no Prefect runtime, e.g. in a test or notebook) runs
the batches one after another in this process with the tasks' plain functions.

See ``docs/simulation.md`` for the model itself.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated, Any

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from pydantic import Field

from spreiding.core.settings import get_settings
from spreiding.flows.runs import run_day, run_parameters
from spreiding.flows.start import (
    load_prognoses,
    load_start,
    prognosis_growth,
    with_pipeline,
    with_prognoses,
)
from spreiding.models.db import get_engine
from spreiding.simulation.backtest import FILE_NAME as BACKTEST_FILE
from spreiding.simulation.backtest import read_backtest
from spreiding.simulation.montecarlo import (
    BatchResult,
    BatchSpec,
    Projection,
    check_run,
    merge,
    plan_batches,
    simulate_batch,
)
from spreiding.simulation.outputs import check_out, target_results, write_outputs
from spreiding.simulation.parameters import SHIPPED, load_scenario
from spreiding.simulation.quantiles import headlines
from spreiding.simulation.targets import parse_targets

DEFAULT_SEED = 20240508
DEFAULT_BATCH_SIZE = 50


@task(name="simulate-batch", cache_policy=NO_CACHE)
def simulate_batch_task(spec: BatchSpec) -> BatchResult:
    """Run one batch of replications (:func:`spreiding.simulation.montecarlo.simulate_batch`)."""
    return simulate_batch(spec)


def run_batches(specs: list[BatchSpec]) -> list[BatchResult]:
    """One task per batch through the flow's task runner; results in the order of ``specs``.

    Outside a flow run (``scenario_projection.fn``) the tasks' functions run in this process.
    """
    if FlowRunContext.get() is None:
        return [simulate_batch_task.fn(spec) for spec in specs]
    futures = [simulate_batch_task.submit(spec) for spec in specs]
    return [future.result() for future in futures]


def default_out(seed: int) -> Path:
    """Where a run without ``out`` writes: ``<data dir>/projecties/<date>-seed<seed>``."""
    settings = get_settings()
    return settings.data_dir / "projecties" / f"{settings.current_date():%Y-%m-%d}-seed{seed}"


def run_name() -> str:
    """``projectie-2027-05-15-seed20240508``: the run's day and its seed."""
    seed = run_parameters().get("seed") or DEFAULT_SEED
    return f"projectie-{run_day():%Y-%m-%d}-seed{seed}"


@flow(name="scenario-projection", flow_run_name=run_name, log_prints=False)
def scenario_projection(
    scenarios: list[str] | None = None,
    replications: Annotated[int, Field(ge=1)] = 1000,
    years: Annotated[int, Field(ge=1, le=50)] = 10,
    seed: Annotated[int, Field(ge=0)] = DEFAULT_SEED,
    batch_size: Annotated[int, Field(ge=1)] = DEFAULT_BATCH_SIZE,
    targets: list[str] | None = None,
    out: str | None = None,
    maps: bool = True,
    start: int | None = None,
    pipeline: bool = True,
    prognoses: bool = False,
) -> dict[str, Any]:
    """Project fte per province under each scenario; write the outputs; return a summary.

    The store is the configured one (``SPREIDING_DATABASE_URL``): no URL is a run parameter.

    Args:
        scenarios: Namen van meegeleverde scenario's of paden naar TOML-bestanden. Leeg:
            alle meegeleverde scenario's.
        replications: Aantal herhalingen (trekkingen) per scenario.
        years: Aantal jaren vooruit vanaf de laatste volledige peildatum.
        seed: Startgetal van het toeval; dezelfde seed geeft dezelfde uitkomst.
        batch_size: Herhalingen per taak (een taak kost wat overhead; niet te klein).
        targets: Doelen om de kans op te berekenen, bijv. buiten-randstad>=0.45@2033.
        out: Map voor de uitkomsten. Leeg: <datamap>/projecties/<datum>-seed<seed>.
        maps: Ook de kaarten per scenario tekenen (het traagste deel).
        start: Jaar van de volledige peildatum waarvan de projectie vertrekt. Leeg: de
            nieuwste.
        pipeline: De open en besloten casussen in de registratie meenemen als bekende
            plannen, vanuit hun toestand van vandaag (zoals spreiding simulate).
        prognoses: Elk scenario laten groeien zoals de prognoses van de ministeries bij hun
            opgave voor de startpeildatum (per sector; scenarionaam <naam>-prognoses).
    """
    names = list(scenarios or SHIPPED)
    wanted = list(targets or [])
    loaded = [load_scenario(name) for name in names]
    parse_targets(wanted)
    check_run(replications=replications, years=years, seed=seed, workers=1)
    folder = check_out(out) if out is not None else default_out(seed)
    engine = get_engine()
    baseline = load_start(engine, randstad=get_settings().randstad, year=start)
    if pipeline:
        baseline = with_pipeline(engine, baseline)
    if prognoses:
        rates = prognosis_growth(baseline, load_prognoses(engine, baseline.peildatum.year))
        loaded = [with_prognoses(scenario, rates) for scenario in loaded]
    specs = plan_batches(
        loaded,
        baseline,
        replications=replications,
        years=years,
        seed=seed,
        batch_size=batch_size,
    )
    projection = merge(
        loaded,
        baseline,
        run_batches(specs),
        years=years,
        seed=seed,
        replications=replications,
        targets=wanted,
    )
    return _publish(projection, folder, names, wanted, maps=maps, pipeline=pipeline)


def _command(
    projection: Projection, names: list[str], targets: list[str], out: Path, *, pipeline: bool
) -> str:
    words = ["spreiding", "simulate", *names, "--replications", str(projection.replications)]
    words += ["--years", str(projection.years), "--seed", str(projection.seed)]
    words += ["--start", str(projection.baseline.peildatum.year)]
    for text in targets:
        words += ["--target", text]
    if not pipeline:
        words.append("--no-pipeline")
    return shlex.join([*words, "--out", str(out)])


def _publish(
    projection: Projection,
    folder: Path,
    names: list[str],
    targets: list[str],
    *,
    maps: bool,
    pipeline: bool,
) -> dict[str, Any]:
    command = _command(projection, names, targets, folder, pipeline=pipeline)
    backtest = read_backtest(get_settings().data_dir / BACKTEST_FILE)
    written = write_outputs(projection, folder, command=command, maps=maps, backtest=backtest)
    if FlowRunContext.get() is not None:
        create_markdown_artifact(
            markdown=(folder / "bijsluiter.md").read_text(encoding="utf-8"),
            key="scenario-projection",
            description="Bijsluiter bij de projectie van rijkswerkgelegenheid",
        )
    return {
        "out": str(folder),
        "files": [p.name for p in written],
        "synthetic": projection.baseline.synthetic,
        "known_cases": [plan.case for plan in projection.baseline.pipeline],
        "headlines": [
            {"scenario": h.scenario, "year": h.year, "median_outside_share": round(h.median, 6)}
            for h in headlines(projection)
        ],
        "targets": [
            {
                "scenario": r.scenario,
                "target": r.target,
                "probability": round(r.probability, 4),
                "words": r.words,
                "first_year_holding": r.first_year_text,
            }
            for r in target_results(projection)
        ],
    }
