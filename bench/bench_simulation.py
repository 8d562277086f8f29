"""Benchmark of the projection: the national model, 10 years, 1,000 replications.

Run ``.venv/bin/python bench/bench_simulation.py [--runs 5] [--replications 1000]``. It builds
the synthetic demo database in a temporary folder (the national model: every organisation in
every province on 1 January 2023), then measures, interleaved run by run so that on a shared
machine every measurement sees about the same load, and reports the median of ``--runs``:

* the projection of scenario ``nieuwe-aanpak`` on 1 worker (CPU time of this process), with
  its assumptions drawn per replication and with chance alone, and on 2 workers (wall
  time), the whole of :func:`spreiding.simulation.montecarlo.project`;
* a bare SimPy loop with the number of events per replication the model had before it was
  made lighter (:data:`EVENTS_BEFORE`, 1,918), and one with the model's events of today:
  processes that only wait, the cost of the scheduler alone;
* the whole command ``spreiding simulate nieuwe-aanpak --replications 1000 --years 10
  --workers 1 --out DIR`` in a child process (start-up, store, charts and bijsluiter; CPU
  time of the child);
* the same stochastic model written as whole-array numpy (``bench/vectorised_model.py``):
  the limit.

``--sensitivity N`` measures instead the wall time of ``spreiding sensitivity nieuwe-aanpak
--method morris`` (every assumption with a distribution, the command's defaults: 8
trajectories x 10 replications, 10 years, 2 workers) in a child process, N times.

It prints the numbers as a Markdown section for ``BENCHMARKS.md``. Wall time is not a test:
the ratios are read here, by a person, not by pytest.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
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
EVENTS_BEFORE = 1918
"""SimPy events per replication of the model before it was made lighter (BENCHMARKS.md)."""


def demo_baseline(folder: Path) -> Baseline:
    """The national demo set, loaded into a fresh SQLite file in ``folder``."""
    from spreiding.core.settings import DEFAULT_RANDSTAD
    from spreiding.flows.start import load_start
    from spreiding.models.db import make_engine
    from spreiding.models.loading import init_database

    engine = make_engine(f"sqlite:///{folder / 'bench.db'}")
    init_database(engine, with_demo=True)
    baseline = load_start(engine, randstad=DEFAULT_RANDSTAD)
    engine.dispose()
    return baseline


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


def command_cpu(folder: Path, replications: int) -> tuple[float, float]:
    """Wall and CPU time of the whole ``spreiding simulate`` command in a child process."""
    env = {
        **os.environ,
        "SPREIDING_DATA_DIR": str(folder),
        "SPREIDING_DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
    }
    exe = Path(sys.executable).with_name("spreiding")
    words = [str(exe), "simulate", SCENARIO, "--replications", str(replications)]
    words += ["--years", str(YEARS), "--workers", "1", "--seed", str(SEED)]
    words += ["--out", str(folder / "out")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run(words, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def sensitivity_wall(folder: Path, workers: int) -> float:
    """Wall time of the whole ``spreiding sensitivity`` command (Morris) in a child process."""
    env = {
        **os.environ,
        "SPREIDING_DATA_DIR": str(folder),
        "SPREIDING_DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
    }
    exe = Path(sys.executable).with_name("spreiding")
    words = [str(exe), "sensitivity", SCENARIO, "--method", "morris", "--seed", str(SEED)]
    words += ["--workers", str(workers), "--out", str(folder / "gevoeligheid")]
    wall = time.perf_counter()
    subprocess.run(words, env=env, check=True, capture_output=True)
    return time.perf_counter() - wall


def morris_section(runs: int, workers: int) -> str:
    """Measure the Morris run ``runs`` times; the BENCHMARKS.md section."""
    from spreiding.simulation.parameters import load_scenario
    from spreiding.simulation.sensitivity import inputs

    loads = [os.getloadavg()[0]]
    walls = []
    with tempfile.TemporaryDirectory(prefix="spreiding-bench-") as name:
        folder = Path(name)
        baseline = demo_baseline(folder)
        keys = inputs(load_scenario(SCENARIO), baseline)
        for _ in range(runs):
            walls.append(sensitivity_wall(folder, workers))
            loads.append(os.getloadavg()[0])
    info = machine()
    points = 8 * (len(keys) + 1)
    median = statistics.median(walls)
    return (
        "### Sensitivity: a Morris run of every assumption\n\n"
        f"Machine: nproc {info['nproc']}, {info['cpu']}, Python {info['python']}; **shared**: "
        f"load average (1 min) {min(loads):.1f}-{max(loads):.1f} during the runs.\n\n"
        "Command (measured whole, in a child process, wall time): "
        f"`spreiding sensitivity {SCENARIO} --method morris --seed {SEED} --workers {workers} "
        "--out DIR` (defaults: 8 trajectories, 10 replications per point, 10 years): "
        f"{len(keys)} assumptions, {points} points, each run with and without the principles "
        f"(the policy effect), so {2 * points * 10:,} replications of 10 years. Measured with "
        f"`.venv/bin/python bench/bench_simulation.py --sensitivity {runs}`.\n\n"
        "| measurement | median | runs |\n|---|--:|---|\n"
        f"| Morris run of every assumption, {workers} workers: wall | {median:.1f} s "
        f"| {_runs(walls)} |\n"
    )


def cpu_of(work: Callable[[], T]) -> tuple[float, T]:
    """CPU time of ``work`` in this process, and its result."""
    used = time.process_time()
    result = work()
    return time.process_time() - used, result


def _runs(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def main() -> None:
    """Run the benchmark and print the BENCHMARKS.md section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement")
    parser.add_argument("--replications", type=int, default=1000)
    parser.add_argument(
        "--sensitivity", type=int, default=0, metavar="N", help="time N Morris runs instead"
    )
    parser.add_argument("--workers", type=int, default=2, help="workers of the Morris run")
    args = parser.parse_args()
    reps = args.replications
    if args.sensitivity:
        print(morris_section(args.sensitivity, args.workers))
        return

    sys.path.insert(0, str(Path(__file__).parent))
    import vectorised_model

    from spreiding.simulation.model import STATS, ModelConfig
    from spreiding.simulation.montecarlo import project, walk_for
    from spreiding.simulation.parameters import load_scenario

    scenario = load_scenario(SCENARIO)
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="spreiding-bench-") as name:
        folder = Path(name)
        baseline = demo_baseline(folder)
        config = ModelConfig.build(scenario.values, baseline, walk_for(scenario), YEARS)

        fixed = scenario.without_uncertainty()

        def run(workers: int, chance_only: bool = False) -> Projection:
            chosen = fixed if chance_only else scenario
            return project(
                [chosen], baseline, replications=reps, years=YEARS, seed=SEED, workers=workers
            )

        t: dict[str, list[float]] = {
            k: [] for k in ("one", "two", "before", "now", "cmd", "cmd_wall", "vec", "fixed")
        }
        projection = run(1, chance_only=True)
        events = projection.events // reps
        cases = round(projection.runs[0].stats[:, STATS.index("cases")].mean())
        for _ in range(args.runs):
            cpu, projection = cpu_of(lambda: run(1))
            t["one"].append(cpu)
            t["fixed"].append(cpu_of(lambda: run(1, chance_only=True))[0])
            wall = time.perf_counter()
            projection2 = run(2)
            t["two"].append(time.perf_counter() - wall)
            t["before"].append(cpu_of(partial(bare_simpy, reps, cases, EVENTS_BEFORE))[0])
            t["now"].append(cpu_of(partial(bare_simpy, reps, cases, events))[0])
            wall, cpu = command_cpu(folder, reps)
            t["cmd"].append(cpu)
            t["cmd_wall"].append(wall)
            t["vec"].append(cpu_of(lambda: vectorised_model.project(config, reps, SEED))[0])
            loads.append(os.getloadavg()[0])
        same = (projection.runs[0].provinces == projection2.runs[0].provinces).all()
    m = {k: statistics.median(v) for k, v in t.items()}
    info = machine()
    print(f"""## Simulation: national model, {YEARS} years, {reps:,} replications

Machine: nproc {info["nproc"]}, {info["cpu"]}, Python {info["python"]}; **shared**: load
average (1 min) {min(loads):.1f}-{max(loads):.1f} during the runs (2 cores), so every time
below is inflated by the other jobs; the ratios, measured interleaved run by run, are the
numbers to read.

Command: `.venv/bin/python bench/bench_simulation.py --runs {args.runs} --replications {reps}`
(scenario `{SCENARIO}`, seed {SEED}, the synthetic demo set as the national model:
{len(baseline.units)} organisations x 12 provinces, {baseline.total_fte:,.0f} fte; medians of
{args.runs} runs).

| measurement | median | runs |
|---|--:|---|
| projection, 1 worker: CPU | {m["one"]:.2f} s | {_runs(t["one"])} |
| the same, `--chance-only` (assumptions fixed, the model of before): CPU \
| {m["fixed"]:.2f} s | {_runs(t["fixed"])} |
| projection, 2 workers: wall | {m["two"]:.2f} s | {_runs(t["two"])} |
| bare SimPy loop, {EVENTS_BEFORE:,} events/replication (the model before): CPU \
| {m["before"]:.2f} s | {_runs(t["before"])} |
| bare SimPy loop, {events:,} events/replication (the model now): CPU \
| {m["now"]:.2f} s | {_runs(t["now"])} |
| `spreiding simulate ... --workers 1 --out DIR`: CPU | {m["cmd"]:.2f} s | {_runs(t["cmd"])} |
| the same command: wall | {m["cmd_wall"]:.2f} s | {_runs(t["cmd_wall"])} |
| vectorised numpy model (the limit): CPU | {m["vec"]:.2f} s | {_runs(t["vec"])} |

- Projection on 1 worker over the bare loop with {EVENTS_BEFORE:,} events: \
**{m["one"] / m["before"]:.2f}x** with the assumptions drawn per replication, \
**{m["fixed"] / m["before"]:.2f}x** with chance alone (target at most 1).
- Whole command over that bare loop: **{m["cmd"] / m["before"]:.2f}x** (target at most 2.5).
- Projection over the vectorised limit: {m["one"] / m["vec"]:.1f}x.
- SimPy events: {events:,} per replication with chance alone ({cases} cases; more with the \
plan rates drawn from their ranges); {EVENTS_BEFORE:,} before.
- 1 and 2 workers give the same numbers, bit for bit: {"yes" if same else "NO"}.
""")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
