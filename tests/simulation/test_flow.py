"""The Prefect flow ``scenario-projection``: one task per batch, the same numbers as the CLI.

The batch logic is tested through the plain functions (``flow.fn``, ``task.fn``); one run
goes through a real Prefect server (the session's shared test harness).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from spreiding.core.errors import InvalidInput
from spreiding.simulation.baseline import Baseline
from spreiding.simulation.montecarlo import merge, plan_batches, project
from spreiding.simulation.parameters import load_scenario
from tests.conftest import Database


def test_batches_cover_every_replication_once_and_never_one_task_each(
    demo_baseline: Baseline,
) -> None:
    scenarios = [load_scenario("trend"), load_scenario("strikt")]
    specs = plan_batches(
        scenarios, demo_baseline, replications=1000, years=10, seed=1, batch_size=50
    )
    assert len(specs) == 2 * 20
    for index in (0, 1):
        own = [s for s in specs if s.scenario_index == index]
        covered = [i for s in own for i in range(s.start, s.stop)]
        assert covered == list(range(1000))
        assert all(s.size == 50 for s in own)


def test_batch_results_merge_in_replication_order_whatever_order_they_finish(
    demo_baseline: Baseline,
) -> None:
    from spreiding.flows.projection import simulate_batch_task

    scenarios = [load_scenario("nieuwe-aanpak")]
    specs = plan_batches(scenarios, demo_baseline, replications=7, years=2, seed=3, batch_size=3)
    results = [simulate_batch_task.fn(spec) for spec in reversed(specs)]  # finished backwards
    merged = merge(scenarios, demo_baseline, results, years=2, seed=3, replications=7)
    direct = project(scenarios, demo_baseline, replications=7, years=2, seed=3)
    assert np.array_equal(merged.runs[0].provinces, direct.runs[0].provinces)


def test_flow_function_writes_the_same_summary_as_the_command(
    demo_db: Database, demo_baseline: Baseline, tmp_path: Path
) -> None:
    from spreiding.flows.projection import scenario_projection
    from spreiding.simulation.outputs import write_outputs

    summary = scenario_projection.fn(
        scenarios=["trend", "strikt"],
        replications=6,
        years=2,
        seed=8,
        batch_size=4,
        targets=["buiten-randstad>=0.41@2025"],
        out=str(tmp_path / "flow"),
        maps=False,
    )
    assert summary["synthetic"] is True
    assert {t["scenario"] for t in summary["targets"]} == {"trend", "strikt"}
    scenarios = [load_scenario("trend"), load_scenario("strikt")]
    direct = project(scenarios, demo_baseline, replications=6, years=2, seed=8, workers=1)
    write_outputs(direct, tmp_path / "direct", maps=False)
    flow_csv = (tmp_path / "flow" / "summary.csv").read_bytes()
    assert flow_csv == (tmp_path / "direct" / "summary.csv").read_bytes()


def test_the_flow_refuses_an_out_that_is_a_file_before_reading_the_store(
    configured: Database, tmp_path: Path
) -> None:
    from spreiding.flows.projection import scenario_projection

    a_file = tmp_path / "bestand"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(InvalidInput, match="is een bestand, geen map"):
        scenario_projection.fn(scenarios=["trend"], replications=2, years=1, out=str(a_file))


def test_a_real_flow_run_completes_with_a_task_per_batch(
    prefect_harness: None, demo_db: Database, tmp_path: Path
) -> None:
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    from spreiding.flows.projection import scenario_projection

    state = scenario_projection(
        scenarios=["strikt"],
        replications=6,
        years=2,
        seed=8,
        batch_size=2,
        out=str(tmp_path / "run"),
        maps=False,
        return_state=True,
    )
    assert state.is_completed()
    assert (tmp_path / "run" / "bijsluiter.md").is_file()
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(
                id=FlowRunFilterId(any_=[state.state_details.flow_run_id])
            )
        )
    assert sorted(r.name.rsplit("-", 1)[0] for r in runs) == ["simulate-batch"] * 3
