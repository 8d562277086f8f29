"""The ``scenario-projection`` flow takes the store's known pipeline exactly as ``simulate`` does.

One run goes through the session's real Prefect server on the demo store (with its cases: a
suspended new unit of 300 fte, a relocation Utrecht -> Lelystad); its outputs are compared,
byte for byte, with those of ``spreiding simulate`` with the same arguments.
"""

from __future__ import annotations

from pathlib import Path

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
