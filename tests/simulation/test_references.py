"""Reference worlds (hoog, midden, laag) with the policy variants in each, in one run."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from spreiding.core.errors import InvalidInput
from spreiding.simulation.baseline import Baseline
from spreiding.simulation.montecarlo import project
from spreiding.simulation.outputs import write_outputs
from spreiding.simulation.parameters import load_scenario
from spreiding.simulation.quantiles import effects, randstad_share
from spreiding.simulation.references import combine, load_reference
from tests.conftest import CliResult, Database

Run = Callable[..., CliResult]

VARIANTS = ("trend", "nieuwe-aanpak", "strikt")


def test_every_variant_runs_in_every_world_and_is_compared_within_it(
    demo_baseline: Baseline, tmp_path: Path
) -> None:
    scenarios = combine(
        [load_scenario(v) for v in VARIANTS], [load_reference("hoog"), load_reference("laag")]
    )
    assert [s.name for s in scenarios] == [
        "trend-hoog",
        "nieuwe-aanpak-hoog",
        "strikt-hoog",
        "trend-laag",
        "nieuwe-aanpak-laag",
        "strikt-laag",
    ]
    projection = project(scenarios, demo_baseline, replications=12, years=6, seed=3)
    runs = {run.scenario.name: run for run in projection.runs}
    # the high world ends with more fte than the low one
    high = np.median(runs["trend-hoog"].provinces[:, -1].sum(axis=1))
    low = np.median(runs["trend-laag"].provinces[:, -1].sum(axis=1))
    assert high > low
    rows = effects(projection)
    assert {(e.world, e.variant, e.reference) for e in rows} == {
        ("hoog", "nieuwe-aanpak", "trend-hoog"),
        ("hoog", "strikt", "trend-hoog"),
        ("laag", "nieuwe-aanpak", "trend-laag"),
        ("laag", "strikt", "trend-laag"),
    }
    # the effect is the paired difference with trend in the same world
    last = next(e for e in rows if e.scenario == "strikt-laag" and e.year == 2029)
    paired = (1 - randstad_share(projection, runs["strikt-laag"])) - (
        1 - randstad_share(projection, runs["trend-laag"])
    )
    assert last.median == pytest.approx(float(np.median(paired[:, -1])))
    assert last.low <= last.median <= last.high

    out = tmp_path / "uit"
    write_outputs(projection, out, maps=False)
    with (out / "effects.csv").open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert {r["world"] for r in table} == {"hoog", "laag"}
    assert {r["versus"] for r in table if r["world"] == "hoog"} == {"trend-hoog"}
    bijsluiter = (out / "bijsluiter.md").read_text(encoding="utf-8")
    assert "Referentie **hoog**" in bijsluiter
    assert "| laag | strikt-laag | trend-laag |" in bijsluiter


def test_a_reference_may_not_set_the_policy(tmp_path: Path) -> None:
    path = tmp_path / "beleid.toml"
    path.write_text("[principles]\ncompliance = 1.0\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"principles\.compliance: a reference describes"):
        load_reference(path)


def test_a_reference_must_give_a_drawn_key_its_distribution(tmp_path: Path) -> None:
    path = tmp_path / "zwaar.toml"
    path.write_text("[taakstelling]\nrate = 0.05\n", encoding="utf-8")
    reference = load_reference(path)
    with pytest.raises(InvalidInput, match=r"give .taakstelling\.rate. a distribution"):
        combine([load_scenario("trend")], [reference])


def test_simulate_with_references_prints_the_effects_as_json(cli: Run, demo_db: Database) -> None:
    result = cli(
        "simulate",
        *VARIANTS,
        "--reference",
        "hoog",
        "--reference",
        "laag",
        "--replications",
        "6",
        "--years",
        "3",
        "--workers",
        "1",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["scenarios"]) == 6
    assert data["scenarios"]["strikt-laag"] == {
        "variant": "strikt",
        "reference": "laag",
        "hash": data["scenarios"]["strikt-laag"]["hash"],
    }
    worlds = {(e["world"], e["versus"]) for e in data["effects"]}
    assert worlds == {("hoog", "trend-hoog"), ("laag", "trend-laag")}
    assert "--reference hoog --reference laag" in data["command"]


def test_an_unknown_reference_is_refused_before_any_work(cli: Run, demo_db: Database) -> None:
    result = cli("simulate", "trend", "--reference", "extreem", "--workers", "1")
    assert result.exit_code == 2
    assert "--reference 'extreem'" in result.stderr
    assert "hoog, midden, laag" in result.stderr
