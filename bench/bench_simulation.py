"""Benchmark of the projection: the national model, 10 years, 1,000 replications.

Run ``.venv/bin/python bench/bench_simulation.py [--runs 3] [--replications 1000]``. It builds
the synthetic demo database in a temporary folder (the national model: every organisation in
every province on 1 January 2023), then times, as the median of ``--runs`` runs:

* the projection of scenario ``nieuwe-aanpak`` on 1 worker and on 2 workers (process pool),
  the whole of :func:`spreiding.simulation.montecarlo.project`, pool start-up included;
* a bare SimPy loop with the same number of events per replication (processes that only
  wait), to give the model's overhead per event.

The three are interleaved run by run, so that on a shared machine they see about the same load.

It prints the numbers as a Markdown section for ``BENCHMARKS.md``. Wall time is not a test:
the target (under 20 s on 2 cores) is checked here, by a person, not by pytest.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import simpy

    from spreiding.simulation.baseline import Baseline
    from spreiding.simulation.montecarlo import Projection

T = TypeVar("T")
YEARS = 10
SEED = 20240508
SCENARIO = "nieuwe-aanpak"


def demo_baseline(folder: Path) -> Baseline:
    """The national demo set, loaded into a fresh SQLite file in ``folder``."""
    from spreiding.cli.simulation import load_start
    from spreiding.core.settings import DEFAULT_RANDSTAD
    from spreiding.models.db import make_engine
    from spreiding.models.loading import init_database

    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    init_database(engine, with_demo=True)
    baseline = load_start(engine, randstad=DEFAULT_RANDSTAD)
    engine.dispose()
    return baseline


def timed(times: list[float], cpu: dict[str, float], key: str, work: Callable[[], T]) -> T:
    """Run ``work``; append its wall time to ``times`` and add its CPU time to ``cpu[key]``."""
    wall, used = time.perf_counter(), time.process_time()
    result = work()
    times.append(time.perf_counter() - wall)
    cpu[key] = cpu.get(key, 0.0) + time.process_time() - used
    return result


def bare_simpy(replications: int, processes: int, events_per_replication: int) -> int:
    """A SimPy model that only waits: ``processes`` loops of timeouts per replication."""
    import simpy

    def wait(env: simpy.Environment, count: int, step: float) -> Iterator[simpy.Event]:
        for _ in range(count):
            yield env.timeout(step)

    # Each process schedules its start, its timeouts and its end: spread the timeouts so the
    # total matches the model's events per replication.
    timeouts = max(processes, events_per_replication - 2 * processes)
    scheduled = 0
    for _ in range(replications):
        env = simpy.Environment()
        for p in range(processes):
            count = timeouts // processes + (1 if p < timeouts % processes else 0)
            env.process(wait(env, count, 0.001 * (p + 1)))
        env.run()
        scheduled += next(env._eid)  # events scheduled: the same count the model reports
    return scheduled


def machine() -> dict[str, str]:
    """nproc, the CPU model and the Python version."""
    model = "unknown"
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in lscpu.splitlines()
                if line.startswith("Model name")
            ),
            model,
        )
    except (OSError, subprocess.CalledProcessError):
        pass
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def main() -> None:
    """Run the benchmark and print the BENCHMARKS.md section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per measurement")
    parser.add_argument("--replications", type=int, default=1000)
    args = parser.parse_args()

    from spreiding.simulation.model import STATS
    from spreiding.simulation.montecarlo import project
    from spreiding.simulation.parameters import load_scenario

    scenario = load_scenario(SCENARIO)
    with tempfile.TemporaryDirectory(prefix="spreiding-bench-") as folder:
        baseline = demo_baseline(Path(folder))

    def run(workers: int) -> Projection:
        return project(
            [scenario],
            baseline,
            replications=args.replications,
            years=YEARS,
            seed=SEED,
            workers=workers,
        )

    # Interleaved (1 worker, 2 workers, bare loop, and again): on a shared machine each
    # measurement then sees about the same load. CPU time is this process's own: all of the
    # work on 1 worker and in the bare loop, only the coordination on 2 workers.
    timings: dict[str, list[float]] = {"one": [], "two": [], "bare": []}
    cpu: dict[str, float] = {"one": 0.0, "bare": 0.0}
    projection = projection2 = None
    bare_events = 0
    for _ in range(args.runs):
        projection = timed(timings["one"], cpu, "one", lambda: run(1))
        projection2 = timed(timings["two"], cpu, "two", lambda: run(2))
        events = projection.events
        cases = projection.runs[0].stats[:, STATS.index("cases")].mean()
        per_replication = events // args.replications
        bare_events = timed(
            timings["bare"],
            cpu,
            "bare",
            partial(bare_simpy, args.replications, round(cases), per_replication),
        )
    assert (projection.runs[0].provinces == projection2.runs[0].provinces).all()
    one, two, bare = (statistics.median(timings[k]) for k in ("one", "two", "bare"))
    one_all, two_all, bare_all = timings["one"], timings["two"], timings["bare"]
    cpu_one, cpu_bare = cpu["one"] / args.runs, cpu["bare"] / args.runs
    model_rate, bare_rate = events / one, bare_events / bare
    info = machine()
    print(f"""## Simulation: national model, {YEARS} years, {args.replications} replications

Machine: nproc {info["nproc"]}, {info["cpu"]}, Python {info["python"]}
(load average at the end of the run: {info["load"]}; the machine was shared).

Command: `.venv/bin/python bench/bench_simulation.py --runs {args.runs} \
--replications {args.replications}`
(scenario `{SCENARIO}`, seed {SEED}, the synthetic demo set as the national model:
{len(baseline.units)} organisations x 12 provinces, {baseline.total_fte:,.0f} fte).

| measurement | median | runs |
|---|---|---|
| projection, 2 workers (target < 20 s) | {two:.2f} s | {", ".join(f"{t:.2f}" for t in two_all)} |
| projection, 1 worker | {one:.2f} s | {", ".join(f"{t:.2f}" for t in one_all)} |
| projection, 1 worker: CPU time (mean) | {cpu_one:.2f} s | |
| speed-up 1 -> 2 workers | {one / two:.2f}x | |
| bare SimPy loop, same events | {bare:.2f} s | {", ".join(f"{t:.2f}" for t in bare_all)} |
| bare SimPy loop: CPU time (mean) | {cpu_bare:.2f} s | |

- SimPy events: {events:,} in total, {per_replication:,} per replication \
({cases:.0f} cases per replication).
- Model: {model_rate:,.0f} events/s on 1 worker (wall), {events / cpu_one:,.0f} per CPU second.
- Bare SimPy loop: {bare_rate:,.0f} events/s (wall), {bare_events / cpu_bare:,.0f} per CPU \
second ({bare_events:,} events).
- Overhead ratio (bare over model events/s): {bare_rate / model_rate:.1f}x wall, \
{(bare_events / cpu_bare) / (events / cpu_one):.1f}x CPU: the model's own work per SimPy \
event (case walk, random draws, numpy updates of the fte matrix).
""")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
