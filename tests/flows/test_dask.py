"""Scale-out of the projection: a real Dask cluster gives the process pool's numbers, byte for byte.

Each replication draws from its own ``SeedSequence(seed, spawn_key=(i,))``, so where the batches
run must not change a digit: here on a ``distributed.LocalCluster`` of 2 workers with one thread
each (prefect-dask's ``DaskTaskRunner``) against Prefect's own ``ProcessPoolTaskRunner``.
Replications are few: this proves equality, not speed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Database

RUN = {"scenarios": ["trend", "strikt"], "replications": 6, "years": 2, "seed": 11}


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_the_projection_on_a_dask_cluster_writes_the_process_pools_summary(
    prefect_harness: None, demo_db: Database, tmp_path: Path
) -> None:
    from distributed import LocalCluster
    from prefect.task_runners import ProcessPoolTaskRunner
    from prefect_dask import DaskTaskRunner

    from spreiding.flows.projection import scenario_projection

    pool = scenario_projection.with_options(task_runner=ProcessPoolTaskRunner(max_workers=2))
    pool_state = pool(
        **RUN, batch_size=2, out=str(tmp_path / "pool"), maps=False, return_state=True
    )
    assert pool_state.is_completed()
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        dask = scenario_projection.with_options(
            task_runner=DaskTaskRunner(address=cluster.scheduler_address)
        )
        dask_state = dask(
            **RUN, batch_size=2, out=str(tmp_path / "dask"), maps=False, return_state=True
        )
        assert dask_state.is_completed()
        workers = len(cluster.scheduler_info["workers"])
    assert workers == 2
    pool_csv = (tmp_path / "pool" / "summary.csv").read_bytes()
    assert pool_csv and (tmp_path / "dask" / "summary.csv").read_bytes() == pool_csv
