"""The same seed and parameters give the same numbers, whatever the number of workers."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from spreiding.simulation.baseline import Baseline
from spreiding.simulation.montecarlo import project
from spreiding.simulation.outputs import SUMMARY_COLUMNS, summary_rows, write_csv
from spreiding.simulation.parameters import load_scenario


def summary_bytes(baseline: Baseline, tmp: Path, **run: int) -> bytes:
    scenarios = [load_scenario("trend"), load_scenario("strikt")]
    projection = project(scenarios, baseline, replications=12, years=4, **run)
    path = write_csv(
        tmp / f"summary-{sorted(run.items())}.csv", SUMMARY_COLUMNS, summary_rows(projection)
    )
    return path.read_bytes()


def test_same_seed_gives_a_byte_identical_summary_with_one_or_two_workers(
    demo_baseline: Baseline, tmp_path: Path
) -> None:
    one = summary_bytes(demo_baseline, tmp_path, seed=42, workers=1)
    two = summary_bytes(demo_baseline, tmp_path, seed=42, workers=2)
    two_small_batches = summary_bytes(demo_baseline, tmp_path, seed=42, workers=2, batch_size=5)
    assert one == two == two_small_batches


def test_a_different_seed_gives_different_numbers(demo_baseline: Baseline, tmp_path: Path) -> None:
    first = summary_bytes(demo_baseline, tmp_path, seed=42, workers=1)
    other = summary_bytes(demo_baseline, tmp_path, seed=43, workers=1)
    assert first != other
    # ... but the start year is the peildatum in both: only the future differs
    start = [line for line in first.decode().splitlines() if ",2023," in line]
    assert start == [line for line in other.decode().splitlines() if ",2023," in line]


def test_a_scenario_gives_the_same_replications_alone_or_beside_others(
    demo_baseline: Baseline,
) -> None:
    strict = load_scenario("strikt")
    alone = project([strict], demo_baseline, replications=6, years=3, seed=5)
    together = project(
        [load_scenario("trend"), strict], demo_baseline, replications=6, years=3, seed=5
    )
    assert np.array_equal(alone.runs[0].provinces, together.runs[1].provinces)


def test_replication_i_does_not_depend_on_how_many_replications_run(
    demo_baseline: Baseline,
) -> None:
    scenario = [load_scenario("nieuwe-aanpak")]
    few = project(scenario, demo_baseline, replications=3, years=3, seed=9)
    more = project(scenario, demo_baseline, replications=8, years=3, seed=9, batch_size=3)
    assert np.array_equal(few.runs[0].provinces, more.runs[0].provinces[:3])


def test_earlier_years_do_not_depend_on_the_horizon(demo_baseline: Baseline) -> None:
    # a plan's draws belong to the plan, not to the horizon: 2023-2027 are the same whether
    # the projection runs 4 or 9 years
    scenario = [load_scenario("nieuwe-aanpak")]
    short = project(scenario, demo_baseline, replications=6, years=4, seed=11)
    long = project(scenario, demo_baseline, replications=6, years=9, seed=11)
    assert np.array_equal(short.runs[0].provinces, long.runs[0].provinces[:, :5])
