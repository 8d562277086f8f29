"""Monte Carlo: replications in batches, on one or more worker processes, merged in order.

:func:`project` runs N replications of each scenario. The replications are cut into batches
(:func:`plan_batches`); a batch is a plain, picklable :class:`BatchSpec` that
:func:`simulate_batch` runs anywhere: in this process, in a ``ProcessPoolExecutor`` worker
(:func:`execute`), or in a Prefect task on a Dask cluster (:mod:`spreiding.flows.projection`).
Results are merged in replication order (:func:`merge`).

Reproducibility: replication ``i`` draws its random numbers from
``SeedSequence(seed, spawn_key=(i,))`` — the same child that ``SeedSequence(seed).spawn``
would give as its i-th — never from the worker or the order in which batches finish. The same
seed and parameters therefore give the same numbers, bit for bit, with any number of workers
and any batch size.

The command line reads this module's bounds (:data:`MAX_REPLICATIONS`, :data:`MAX_YEARS`,
:data:`MAX_WORKERS`) for its ``--help`` when it starts, so numpy, SimPy and the model are
imported here on first use, not at the top.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spreiding.core.errors import InvalidInput
from spreiding.simulation.targets import check_years, parse_targets

if TYPE_CHECKING:
    import numpy as np

    from spreiding.simulation.baseline import Baseline
    from spreiding.simulation.lifecycle import Walk
    from spreiding.simulation.parameters import Distribution, Scenario
    from spreiding.simulation.targets import Target

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
MAX_YEARS = 50
"""The longest horizon of a run (``--years``)."""
MAX_REPLICATIONS = 100_000
"""The most replications per scenario (``--replications``): about a quarter of an hour of CPU
per scenario on one core, and the results of one scenario at 10 years fit in about 100 MB."""
MAX_WORKERS = 256
"""The most worker processes (``--workers``): each one is a process of its own."""


@dataclass(frozen=True, eq=False)
class BatchSpec:
    """Replications ``start..stop-1`` of one scenario: everything a worker needs."""

    scenario_index: int
    values: dict[str, Any]
    baseline: Baseline
    walk: Walk
    years: int
    seed: int
    start: int
    stop: int
    uncertainty: dict[str, Distribution] = field(default_factory=dict)
    order: tuple[str, ...] = ()  # every scenario key, in the registry's order

    @property
    def size(self) -> int:
        """The number of replications in this batch."""
        return self.stop - self.start


@dataclass(frozen=True, eq=False)
class BatchResult:
    """The results of one batch, one row per replication in order."""

    scenario_index: int
    start: int
    provinces: np.ndarray  # replications x (years + 1) x provinces
    housed: np.ndarray  # replications x (years + 1)
    stats: np.ndarray  # replications x len(model.STATS)
    events: int
    drawn: np.ndarray  # replications x uncertain keys: the values drawn (in sorted key order)


def walk_for(scenario: Scenario) -> Walk:
    """Compile the case walk for ``scenario`` from the lifecycle chart (once per run)."""
    from spreiding.simulation.lifecycle import compile_walk

    weights = {e: scenario[f"lifecycle.branch.{e}"] for e in scenario.graph.events}
    days = {s: scenario[f"lifecycle.days.{s}"] for s in scenario.graph.waiting_states}
    return compile_walk(scenario.graph, weights, days)


def plan_batches(
    scenarios: Sequence[Scenario],
    baseline: Baseline,
    *,
    replications: int,
    years: int,
    seed: int,
    batch_size: int,
) -> list[BatchSpec]:
    """Cut the replications of every scenario into batches of at most ``batch_size``."""
    check_run(replications=replications, years=years, seed=seed, workers=1)
    if batch_size < 1:
        raise InvalidInput(f"batch size must be at least 1, got {batch_size}")
    specs = []
    for index, scenario in enumerate(scenarios):
        walk = walk_for(scenario)
        order = tuple(scenario.graph_keys())
        for start in range(0, replications, batch_size):
            stop = min(start + batch_size, replications)
            specs.append(
                BatchSpec(
                    index,
                    scenario.values,
                    baseline,
                    walk,
                    years,
                    seed,
                    start,
                    stop,
                    dict(scenario.uncertainty),
                    order,
                )
            )
    return specs


def default_batch_size(replications: int, workers: int) -> int:
    """About four batches per worker, at most 100 replications each."""
    return max(1, min(100, math.ceil(replications / (4 * max(workers, 1)))))


def check_run(*, replications: int, years: int, seed: int, workers: int) -> None:
    """Refuse run settings the model cannot use, naming the option."""
    if replications < 1:
        raise InvalidInput(f"--replications must be at least 1, got {replications}")
    if replications > MAX_REPLICATIONS:
        raise InvalidInput(f"--replications must be at most {MAX_REPLICATIONS}, got {replications}")
    if not 1 <= years <= MAX_YEARS:
        raise InvalidInput(f"--years must be between 1 and {MAX_YEARS}, got {years}")
    if seed < 0:
        raise InvalidInput(f"--seed must be 0 or more, got {seed}")
    if not 1 <= workers <= MAX_WORKERS:
        raise InvalidInput(f"--workers must be between 1 and {MAX_WORKERS}, got {workers}")


def simulate_batch(spec: BatchSpec) -> BatchResult:
    """Run the replications of one batch (in whatever process receives it)."""
    import numpy as np

    from spreiding.simulation.model import ModelConfig, run_replication
    from spreiding.simulation.parameters import draw_values

    config = ModelConfig.build(spec.values, spec.baseline, spec.walk, spec.years)
    keys = sorted(spec.uncertainty)
    walked = any(k.startswith("lifecycle.") for k in keys)  # the case walk is drawn too
    runs, drawn = [], []
    for i in range(spec.start, spec.stop):
        if keys:  # the assumptions of this replication, from its own stream
            values = draw_values(
                spec.values, spec.uncertainty, parameter_draws(spec, i), spec.order
            )
            drawn.append([float(values[k]) for k in keys])
            own = config.with_values(values, walk=walk_with(spec.walk, values) if walked else None)
            runs.append(run_replication(own, spec.seed, i))
        else:
            runs.append(run_replication(config, spec.seed, i))
    return BatchResult(
        scenario_index=spec.scenario_index,
        start=spec.start,
        provinces=np.stack([r.provinces for r in runs]),
        housed=np.stack([r.housed for r in runs]),
        stats=np.stack([r.stats for r in runs]),
        events=sum(r.events for r in runs),
        drawn=np.array(drawn).reshape(len(runs), len(keys)),
    )


def walk_with(walk: Walk, values: dict[str, Any]) -> Walk:
    """``walk`` with the branch weights and days of ``values`` (one replication's draws)."""
    branch, days = "lifecycle.branch.", "lifecycle.days."
    weights = {k.removeprefix(branch): v for k, v in values.items() if k.startswith(branch)}
    mean_days = {k.removeprefix(days): v for k, v in values.items() if k.startswith(days)}
    return walk.reweighted(weights, mean_days)


def parameter_draws(spec: BatchSpec, replication: int) -> np.ndarray:
    """Uniform draws for the assumptions of one replication: the third child of its seed.

    ``SeedSequence(seed, spawn_key=(i, 2))`` is the third child of the replication's own
    sequence (the first two are its growth and its plans), one draw per scenario key.
    """
    import numpy as np

    sequence = np.random.SeedSequence(spec.seed, spawn_key=(replication, 2))
    return np.random.Generator(np.random.PCG64(sequence)).random(len(spec.order))


def execute(
    specs: Sequence[BatchSpec],
    *,
    workers: int = 1,
    on_done: Callable[[BatchSpec], None] | None = None,
) -> list[BatchResult]:
    """Run every batch, on ``workers`` processes; results in the order of ``specs``."""
    if workers <= 1 or len(specs) <= 1:
        results = []
        for spec in specs:
            results.append(simulate_batch(spec))
            if on_done:
                on_done(spec)
        return results
    return _in_pool(specs, min(workers, len(specs)), on_done)


def _in_pool(
    specs: Sequence[BatchSpec], workers: int, on_done: Callable[[BatchSpec], None] | None
) -> list[BatchResult]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # forkserver: workers start from a clean process, not a fork of one that may run threads
    # (the progress bar, a Prefect client). The server loads the model's modules once and
    # forks the workers from it, so they start with numpy and SimPy already imported.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["spreiding.simulation.model"])
    results: list[BatchResult | None] = [None] * len(specs)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {pool.submit(simulate_batch, spec): i for i, spec in enumerate(specs)}
        for future in as_completed(futures):
            index = futures[future]
            results[index] = future.result()
            if on_done:
                on_done(specs[index])
    return [r for r in results if r is not None]


# -- the merged projection ---------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ScenarioRun:
    """All replications of one scenario, in replication order."""

    scenario: Scenario
    provinces: np.ndarray  # replications x (years + 1) x provinces
    housed: np.ndarray
    stats: np.ndarray
    targets: tuple[Target, ...] = ()
    drawn: np.ndarray | None = None  # replications x sorted(scenario.uncertainty)


@dataclass(frozen=True, eq=False)
class Projection:
    """The result of a run: every scenario's replications and how the run was set up."""

    baseline: Baseline
    runs: tuple[ScenarioRun, ...]
    years: int
    seed: int
    replications: int
    events: int = 0
    workers: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def calendar_years(self) -> list[int]:
        """The peildatum years from the start year to the last simulated year."""
        first = self.baseline.peildatum.year
        return list(range(first, first + self.years + 1))


def merge(
    scenarios: Sequence[Scenario],
    baseline: Baseline,
    results: Sequence[BatchResult],
    *,
    years: int,
    seed: int,
    replications: int,
    targets: Sequence[str] = (),
    workers: int = 1,
) -> Projection:
    """Put batch results together per scenario, in replication order, with their targets."""
    import numpy as np

    runs = []
    for index, scenario in enumerate(scenarios):
        own = sorted((r for r in results if r.scenario_index == index), key=lambda r: r.start)
        if sum(len(r.provinces) for r in own) != replications:
            raise RuntimeError(f"scenario {scenario.name}: replications missing from the merge")
        parsed = parse_targets([*targets, *scenario.targets])
        first = baseline.peildatum.year
        check_years(parsed, first, first + years)
        runs.append(
            ScenarioRun(
                scenario,
                np.concatenate([r.provinces for r in own]),
                np.concatenate([r.housed for r in own]),
                np.concatenate([r.stats for r in own]),
                tuple(parsed),
                np.concatenate([r.drawn for r in own]),
            )
        )
    return Projection(
        baseline, tuple(runs), years, seed, replications, sum(r.events for r in results), workers
    )


def project(
    scenarios: Sequence[Scenario],
    baseline: Baseline,
    *,
    replications: int = 1000,
    years: int = 10,
    seed: int = 0,
    workers: int = 1,
    batch_size: int | None = None,
    targets: Sequence[str] = (),
    on_done: Callable[[BatchSpec], None] | None = None,
) -> Projection:
    """Run ``replications`` of each scenario from ``baseline`` and merge them."""
    check_run(replications=replications, years=years, seed=seed, workers=workers)
    _check_names(scenarios)
    first = baseline.peildatum.year
    for scenario in scenarios:  # refuse bad targets before the work, not after it
        check_years(parse_targets([*targets, *scenario.targets]), first, first + years)
    size = batch_size or default_batch_size(replications, workers)
    specs = plan_batches(
        scenarios, baseline, replications=replications, years=years, seed=seed, batch_size=size
    )
    results = execute(specs, workers=workers, on_done=on_done)
    return merge(
        scenarios,
        baseline,
        results,
        years=years,
        seed=seed,
        replications=replications,
        targets=targets,
        workers=workers,
    )


def _check_names(scenarios: Sequence[Scenario]) -> None:
    if not scenarios:
        raise InvalidInput("name at least one scenario, e.g. trend nieuwe-aanpak strikt")
    seen: dict[str, str] = {}
    for scenario in scenarios:
        if scenario.name in seen:
            raise InvalidInput(
                f"two scenarios are named {scenario.name!r} ({seen[scenario.name]} and "
                f"{scenario.source}); rename one of the files"
            )
        seen[scenario.name] = scenario.source
