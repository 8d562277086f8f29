"""Start anywhere, backtest always: ``simulate --start`` and ``spreiding backtest``."""

from __future__ import annotations

import json
from pathlib import Path

from spreiding.core.settings import get_settings
from tests.conftest import Database
from tests.simulation.test_commands import Run, spreiding  # noqa: F401 - the fixture

PUBLISHED = {2021: 311_353, 2022: 321_396, 2023: 336_270}


def test_backtest_projects_from_every_complete_peildatum_to_every_later_one(
    spreiding: Run,  # noqa: F811
    demo_db: Database,
) -> None:
    result = spreiding("backtest", "trend", "--replications", "20", "--workers", "1", "--json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    keys = {(r["scenario"], r["measure"], r["start"], r["year"]) for r in rows}
    assert keys == {
        ("trend", measure, start, year)
        for measure in ("totaal", "aandeel_randstad")
        for start, year in ((2021, 2022), (2021, 2023), (2022, 2023))
    }
    for row in rows:
        assert set(row) == {
            "scenario", "measure", "start", "year", "median", "low", "high", "observed",
            "error", "covered",
        }  # fmt: skip
        assert row["low"] <= row["median"] <= row["high"]
        assert row["covered"] == (row["low"] <= row["observed"] <= row["high"])
        if row["measure"] == "totaal":
            assert row["observed"] == PUBLISHED[row["year"]]
            assert abs(row["error"] - (row["median"] / row["observed"] - 1)) < 1e-5
    # stored in the data folder, for the bijsluiter of later projections
    stored = json.loads((get_settings().data_dir / "backtest.json").read_text(encoding="utf-8"))
    assert stored["rows"] == rows
    assert stored["command"].startswith("spreiding backtest trend")


def test_the_bijsluiter_shows_the_latest_backtest_and_simulate_does_not_compute_it(
    spreiding: Run,  # noqa: F811
    demo_db: Database,
    tmp_path: Path,
) -> None:
    before = tmp_path / "voor"
    args = ("simulate", "trend", "--replications", "5", "--years", "2", "--workers", "1")
    assert spreiding(*args, "--out", str(before)).exit_code == 0
    text = (before / "bijsluiter.md").read_text(encoding="utf-8")
    assert "## Terugrekening (backtest)" in text
    assert "Nog geen terugrekening beschikbaar: voer `spreiding backtest` uit" in text
    assert not (get_settings().data_dir / "backtest.json").exists()  # simulate did not make one

    assert spreiding("backtest", "trend", "--replications", "10", "--workers", "1").exit_code == 0
    after = tmp_path / "na"
    assert spreiding(*args, "--out", str(after)).exit_code == 0
    text = (after / "bijsluiter.md").read_text(encoding="utf-8")
    section = text.split("## Terugrekening (backtest)")[1].split("## ")[0]
    assert "| trend | totaal fte | 2021 | 2023 |" in section
    assert "| 336.270 |" in section  # observed, Dutch thousands
    assert "procentpunt" in section
    html = (after / "bijsluiter.html").read_text(encoding="utf-8")
    assert "<h2>Terugrekening (backtest)</h2>" in html


def test_simulate_starts_from_any_complete_peildatum(
    spreiding: Run,  # noqa: F811
    demo_db: Database,
    tmp_path: Path,
) -> None:
    out = tmp_path / "uit-2021"
    result = spreiding(
        "simulate", "trend", "--start", "2021", "--replications", "5", "--years", "3",
        "--workers", "1", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Projectie vanaf peildatum 1 januari 2021" in result.stdout
    summary = (out / "summary.csv").read_text(encoding="utf-8").splitlines()
    start = [line for line in summary if line.startswith("trend,2021,0.50,")]
    assert start and start[0].split(",")[3] == f"{PUBLISHED[2021]:.1f}"
    assert any(line.startswith("trend,2024,") for line in summary)
    assert "--start 2021" in (out / "bijsluiter.md").read_text(encoding="utf-8")


def test_a_start_that_is_not_a_complete_peildatum_is_one_line_and_exit_2(
    spreiding: Run,  # noqa: F811
    demo_db: Database,
) -> None:
    result = spreiding("simulate", "trend", "--start", "2019", "--replications", "2")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: startjaar 2019: peildatum 1 januari 2019 is niet volledig geleverd "
        "(volledig: 2021, 2022, 2023)"
    ]


def test_with_a_history_to_fit_on_the_band_covers_what_was_observed(
    spreiding: Run,  # noqa: F811
    demo_db: Database,
) -> None:
    # from 1-1-2022 the model knows 2021 and 2022: its fitted rates are estimates (drawn
    # around them), the sectors share a yearly shock and where growth lands is uncertain,
    # so the 90% band of 1-1-2023 holds the published total and the observed share
    result = spreiding("backtest", "trend", "--replications", "60", "--workers", "1", "--json")
    assert result.exit_code == 0, result.stderr
    fitted = [r for r in json.loads(result.stdout) if r["start"] == 2022]
    assert {r["measure"] for r in fitted} == {"totaal", "aandeel_randstad"}
    assert all(r["covered"] for r in fitted), fitted
