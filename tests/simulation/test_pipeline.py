"""The known pipeline: the store's open and decided cases enter every replication."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import numpy as np

from spreiding.simulation.baseline import Baseline
from spreiding.simulation.model import STATS
from spreiding.simulation.montecarlo import project
from spreiding.simulation.pipeline import KnownPlan
from tests.conftest import CliResult, Database
from tests.simulation.conftest import QUIET, scenario_with

Run = Callable[..., CliResult]


def _unit_in(baseline: Baseline, province: str) -> str:
    """An organisation with fte in ``province``."""
    j = baseline.provinces.index(province)
    return next(u for u, row in zip(baseline.units, baseline.fte, strict=True) if row[j] > 500)


def test_a_decided_case_lands_where_it_was_decided_once_its_housing_is_done(
    demo_baseline: Baseline,
) -> None:
    unit = _unit_in(demo_baseline, "PV27")
    decided = KnownPlan(
        case=7, kind="groei", fte=400.0, unit=unit, state="decided", in_scope=True,
        suspended_from=None, location="PV27", decided="PV22", route="agreement",
        follows_advice=True,
    )  # fmt: skip
    baseline = replace(
        demo_baseline,
        pipeline=(decided,),
        known_on=demo_baseline.peildatum + timedelta(days=100),
    )
    quiet = scenario_with("nieuwe-aanpak", {**QUIET, "rvb.realisation_days": 200.0}, "stil")
    projection = project([quiet], baseline, replications=8, years=3, seed=1)
    run = projection.runs[0]
    drenthe = baseline.provinces.index("PV22")
    gained = run.provinces[:, -1, drenthe] - run.provinces[:, 0, drenthe]
    assert np.allclose(gained, 400.0)
    assert (run.stats[:, STATS.index("known_cases")] == 1).all()
    # without the pipeline nothing moves at all in this quiet scenario
    alone = project([quiet], demo_baseline, replications=8, years=3, seed=1).runs[0]
    assert np.allclose(alone.provinces[:, -1], alone.provinces[:, 0])
    assert baseline.data_hash != demo_baseline.data_hash  # the cases are input data


def test_an_open_krimp_under_the_principles_goes_from_the_randstad_first(
    demo_baseline: Baseline,
) -> None:
    unit = _unit_in(demo_baseline, "PV27")
    open_case = KnownPlan(
        case=8, kind="krimp", fte=300.0, unit=unit, state="consultation", in_scope=True,
        suspended_from=None, location="PV27",
    )  # fmt: skip
    baseline = replace(demo_baseline, pipeline=(open_case,), known_on=demo_baseline.peildatum)
    strict = {
        **QUIET,
        "lifecycle.branch.withdraw": 0.0,
        "lifecycle.branch.suspend": 0.0,
        **{f"exemptions.{k}": 0.0 for k in ("primary_process", "legal_location", "housing_cost")},
    }
    run = project(
        [scenario_with("strikt", strict, "streng")], baseline, replications=6, years=2, seed=3
    ).runs[0]
    randstad = [baseline.provinces.index(p) for p in baseline.randstad]
    lost = run.provinces[:, 0, randstad].sum(axis=1) - run.provinces[:, -1, randstad].sum(axis=1)
    assert np.allclose(lost, 300.0)


def test_a_pipeline_read_after_the_horizon_changes_nothing(demo_baseline: Baseline) -> None:
    unit = _unit_in(demo_baseline, "PV27")
    plan = KnownPlan(
        case=9, kind="nieuw", fte=250.0, unit=unit, state="registered", in_scope=None,
        suspended_from=None, location="PV27",
    )  # fmt: skip
    late = replace(
        demo_baseline, pipeline=(plan,), known_on=demo_baseline.peildatum + timedelta(days=800)
    )
    quiet = scenario_with("trend", QUIET, "stil")
    run = project([quiet], late, replications=3, years=2, seed=2).runs[0]
    assert (run.stats[:, STATS.index("known_cases")] == 0).all()


def test_simulate_takes_the_demo_cases_and_the_bijsluiter_lists_them(
    cli: Run, configured: Database, tmp_path: Path
) -> None:
    assert cli("init", "--demo").exit_code == 0  # the demo set with its cases
    out = tmp_path / "uit"
    args = ("simulate", "nieuwe-aanpak", "--replications", "3", "--years", "5", "--workers", "1")
    result = cli(*args, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    bijsluiter = (out / "bijsluiter.md").read_text(encoding="utf-8")
    section = bijsluiter.split("\n## Bekende casussen (pijplijn)")[1].split("\n## ")[0]
    # the demo's suspended new unit of 300 fte and the relocation Utrecht -> Lelystad
    assert "| nieuw | 300 | DUO | Opgeschort |" in section
    assert "| hervestiging | 200 | RWS |" in section and "Utrecht naar Flevoland" in section
    assert "Ingetrokken" not in section  # settled cases are not in the pipeline
    without = tmp_path / "zonder"
    result = cli(*args, "--no-pipeline", "--out", str(without))
    assert result.exit_code == 0, result.stderr
    text = (without / "bijsluiter.md").read_text(encoding="utf-8")
    assert "Geen bekende casussen meegenomen" in text
    assert "--no-pipeline" in text
