"""The ``scenario-projection`` flow takes the store's known pipeline exactly as ``simulate`` does.

One run goes through the session's real Prefect server on the demo store (with its cases: a
suspended new unit of 300 fte, a relocation Utrecht -> Lelystad); its outputs are compared,
byte for byte, with those of ``spreiding simulate`` with the same arguments.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spreiding.core.errors import InvalidInput
from tests.conftest import Database

ARGS = {"replications": 4, "years": 3, "seed": 11}


def _simulate(cli, out: Path, *extra: str) -> None:
    result = cli(
        "simulate",
        "nieuwe-aanpak",
        "--replications",
        str(ARGS["replications"]),
        "--years",
        str(ARGS["years"]),
        "--seed",
        str(ARGS["seed"]),
        "--workers",
        "1",
        *extra,
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.stderr


def _pipeline_section(folder: Path) -> str:
    text = (folder / "bijsluiter.md").read_text(encoding="utf-8")
    return text.split("\n## Bekende casussen (pijplijn)")[1].split("\n## ")[0]


def test_a_real_flow_run_projects_the_same_known_cases_as_simulate(
    prefect_harness: None, configured: Database, cli, tmp_path: Path
) -> None:
    from spreiding.flows.projection import scenario_projection

    assert cli("init", "--demo").exit_code == 0  # the demo set with its cases

    state = scenario_projection(
        scenarios=["nieuwe-aanpak"],
        **ARGS,
        batch_size=2,
        out=str(tmp_path / "flow"),
        maps=False,
        return_state=True,
    )
    assert state.is_completed()
    summary = state.result()
    assert summary["known_cases"], "the demo store's open and decided cases are known plans"
    section = _pipeline_section(tmp_path / "flow")
    assert "| nieuw | 300 | DUO | Opgeschort |" in section
    assert "| hervestiging | 200 | RWS |" in section and "Utrecht naar Flevoland" in section
    assert "Ingetrokken" not in section  # settled cases are not in the pipeline

    _simulate(cli, tmp_path / "cli")
    for name in ("summary.csv", "provinces.csv"):
        flow_file, cli_file = tmp_path / "flow" / name, tmp_path / "cli" / name
        assert flow_file.read_bytes() == cli_file.read_bytes(), name
    assert _pipeline_section(tmp_path / "cli") == section


def test_the_flow_without_the_pipeline_is_simulate_with_no_pipeline(
    configured: Database, cli, tmp_path: Path
) -> None:
    from spreiding.flows.projection import scenario_projection

    assert cli("init", "--demo").exit_code == 0

    summary = scenario_projection.fn(
        scenarios=["nieuwe-aanpak"],
        **ARGS,
        batch_size=3,
        out=str(tmp_path / "flow"),
        maps=False,
        pipeline=False,
    )
    assert summary["known_cases"] == []
    text = (tmp_path / "flow" / "bijsluiter.md").read_text(encoding="utf-8")
    assert "Geen bekende casussen meegenomen" in text
    assert "--no-pipeline" in text  # the command that repeats the run says so
    _simulate(cli, tmp_path / "cli", "--no-pipeline")
    flow_csv = (tmp_path / "flow" / "summary.csv").read_bytes()
    assert flow_csv == (tmp_path / "cli" / "summary.csv").read_bytes()


# --- the ministries' prognoses as a scenario input ------------------------------------------


def test_prognoses_give_the_yearly_growth_rate_of_their_sector() -> None:
    from datetime import date

    from spreiding.flows.start import prognosis_growth
    from spreiding.simulation.baseline import Baseline

    baseline = Baseline(
        peildatum=date(2023, 1, 1),
        provinces=("PV20", "PV26"),
        randstad=("PV26",),
        units=("A", "B", "C"),
        sectors=("ministeries", "ministeries", "politie"),
        fte=((100.0, 100.0), (50.0, 50.0), (300.0, 0.0)),
    )
    prognoses = {"A": {2024: 210.0, 2025: 242.0}, "B": {2025: 121.0}, "ELDERS": {2025: 9.0}}
    rates = prognosis_growth(baseline, prognoses)
    # (242 + 121) / (200 + 100) = 1,21 in two years: 10% a year; politie gave none
    assert rates.keys() == {"ministeries"}
    assert rates["ministeries"] == pytest.approx(0.10)


def test_a_prognosis_rate_beyond_the_models_bounds_is_refused_naming_it() -> None:
    from spreiding.flows.start import with_prognoses
    from spreiding.simulation.parameters import load_scenario

    trend = load_scenario("trend")
    assert with_prognoses(trend, {"politie": 0.03})["growth.politie"] == 0.03
    with pytest.raises(InvalidInput, match=r"growth\.ministeries"):
        with_prognoses(trend, {"ministeries": 0.35})


def test_the_flow_projects_from_the_ministries_prognoses(
    configured: Database, cli, tmp_path: Path
) -> None:
    from spreiding.flows.projection import scenario_projection
    from spreiding.inventory.deliveries import import_file

    assert cli("init", "--demo").exit_code == 0
    args = {**ARGS, "batch_size": 4, "maps": False, "pipeline": False}
    with pytest.raises(InvalidInput, match="no prognoses"):
        scenario_projection.fn(
            scenarios=["trend"], out=str(tmp_path / "geen"), prognoses=True, **args
        )
    delivery = tmp_path / "bzk-2023.csv"
    delivery.write_text(
        "organisatie;gemeente;fte;prognose_2027\n"
        "BZK-KERN;Den Haag;1200,5;1500\n"
        "Logius;GM0518;300;350\n"
        "KAD;Groningen;99,5;110\n",
        encoding="utf-8",
    )
    import_file(delivery, year=2023)
    summary = scenario_projection.fn(
        scenarios=["trend"], out=str(tmp_path / "met"), prognoses=True, **args
    )
    assert {h["scenario"] for h in summary["headlines"]} == {"trend-prognoses"}
    text = (tmp_path / "met" / "bijsluiter.md").read_text(encoding="utf-8")
    assert "trend-prognoses" in text
    # BZK-KERN and Logius (ministeries): (1.500 + 350) / 1.500,5 fte in four years; the
    # Kadaster (a zbo): 110 / 99,5; the other sectors keep their assumed rates
    assert "| `growth.ministeries` | 0,053741 * |" in text
    assert "| `growth.zbo` | 0,025398 * |" in text
    assert "| `growth.politie` | 0,015 |" in text
