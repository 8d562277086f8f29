"""The files a projection writes: CSV columns, the charts, maps and the bijsluiter."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from spreiding.simulation.baseline import Baseline
from spreiding.simulation.montecarlo import QUANTILES, Projection, project
from spreiding.simulation.outputs import write_outputs
from spreiding.simulation.parameters import load_scenario

TARGETS = ["buiten-randstad>=0.41@2026", "PV22>=+1500@2026", "PV22>=9000@2026"]


@pytest.fixture(scope="module")
def projection(demo_baseline: Baseline) -> Projection:
    scenarios = [load_scenario(n) for n in ("trend", "nieuwe-aanpak", "strikt")]
    return project(scenarios, demo_baseline, replications=10, years=3, seed=77, targets=TARGETS)


@pytest.fixture(scope="module")
def out(projection: Projection, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("projectie")
    write_outputs(projection, folder, command="spreiding simulate trend nieuwe-aanpak strikt")
    return folder


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def header(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()[0].split(",")


def test_summary_has_exactly_the_columns_and_every_year_from_the_start(out: Path) -> None:
    path = out / "summary.csv"
    assert header(path) == ["scenario", "year", "quantile", "total_fte", "randstad_share"]
    table = rows(path)
    assert {r["year"] for r in table} == {"2023", "2024", "2025", "2026"}
    assert {r["scenario"] for r in table} == {"trend", "nieuwe-aanpak", "strikt"}
    assert {float(r["quantile"]) for r in table} == set(QUANTILES)
    assert len(table) == 3 * 4 * 5
    start = [r for r in table if r["year"] == "2023"]
    assert {r["total_fte"] for r in start} == {"336270.0"}  # the peildatum itself
    for r in table:
        assert 0 < float(r["randstad_share"]) < 1


def test_quantiles_are_in_order(out: Path) -> None:
    table = rows(out / "summary.csv")
    for scenario in ("trend", "strikt"):
        shares = [
            float(r["randstad_share"])
            for r in table
            if r["scenario"] == scenario and r["year"] == "2026"
        ]
        assert shares == sorted(shares)


def test_provinces_have_exactly_the_columns_and_twelve_provinces(out: Path) -> None:
    path = out / "provinces.csv"
    assert header(path) == ["scenario", "year", "quantile", "province_code", "fte", "share"]
    table = rows(path)
    assert len(table) == 3 * 4 * 5 * 12
    assert len({r["province_code"] for r in table}) == 12
    median_start = [
        r
        for r in table
        if r["scenario"] == "trend" and r["year"] == "2023" and r["quantile"] == "0.50"
    ]
    assert sum(float(r["share"]) for r in median_start) == pytest.approx(1.0, abs=1e-5)


def test_targets_file_has_a_row_per_scenario_and_target(out: Path) -> None:
    path = out / "targets.csv"
    assert header(path) == [
        "scenario", "target", "words", "year", "probability", "first_year_holding"
    ]  # fmt: skip
    table = rows(path)
    assert len(table) == 3 * len(TARGETS)
    for r in table:
        assert 0.0 <= float(r["probability"]) <= 1.0
        assert (
            r["first_year_holding"] == "niet bereikt"
            or 2023 <= int(r["first_year_holding"]) <= 2026
        )
        assert r["words"].endswith(f" in {r['year']}")


def test_charts_and_maps_are_written(out: Path) -> None:
    for name in ("waaier-buiten-randstad", "kaart-trend", "kaart-nieuwe-aanpak", "kaart-strikt"):
        for suffix in (".png", ".svg"):
            assert (out / f"{name}{suffix}").stat().st_size > 1000
    svg = (out / "waaier-buiten-randstad.svg").read_text(encoding="utf-8")
    assert "Aandeel rijkswerkgelegenheid buiten de Randstad" in svg
    assert "SYNTHETISCHE DEMODATA" in svg
    # the target in words as a marker, the observed peildata, and the honest mark
    assert "doel: aandeel buiten de Randstad ten minste 41% in 2026" in svg
    assert "waargenomen (peildata)" in svg
    assert "illustratief:" in svg and "aannames, niet gekalibreerd" in svg
    assert "<dc:date>" not in svg
    # one colour scale for the maps of all scenarios; the difference with the reference too
    for name in ("kaart-trend", "kaart-strikt", "kaart-verschil-strikt"):
        text = (out / f"{name}.svg").read_text(encoding="utf-8")
        assert "illustratief: aannames, niet gekalibreerd" in text
    assert "één schaal voor alle kaarten" in (out / "kaart-trend.svg").read_text(encoding="utf-8")
    assert "Verschil met trend" in (out / "kaart-verschil-strikt.svg").read_text(encoding="utf-8")


def test_the_svg_chart_is_the_same_bytes_every_time(
    projection: Projection, out: Path, tmp_path: Path
) -> None:
    write_outputs(projection, tmp_path, maps=False)
    name = "waaier-buiten-randstad.svg"
    assert (tmp_path / name).read_bytes() == (out / name).read_bytes()


def test_the_bijsluiter_says_what_was_computed_from_what(projection: Projection, out: Path) -> None:
    for name in ("bijsluiter.md", "bijsluiter.html"):
        text = (out / name).read_text(encoding="utf-8")
        assert "SYNTHETISCHE DEMODATA" in text
        assert "Seed: 77" in text
        assert "Replicaties per scenario: 10" in text
        assert "1 januari 2023" in text
        assert projection.baseline.data_hash in text  # the data beside the parameters
        for run in projection.runs:
            assert run.scenario.hash in text
        assert "principles.compliance" in text
        assert "Wat het model niet dekt" in text
        assert "Aannames" in text
        assert "Drenthe +1.500 fte in 2026" in text  # targets in words, not in code
        assert "PV22>=" not in text and "PV22&gt;=" not in text
        # the honest mark on the first page, before anything else is said
        assert text.index("ILLUSTRATIEF: AANNAMES, NIET GEKALIBREERD") < text.index("Gemaakt op")


def test_real_data_is_not_called_synthetic(demo_baseline: Baseline, tmp_path: Path) -> None:
    from dataclasses import replace

    real = replace(demo_baseline, synthetic=False, source="postgresql://bzk/spreiding")
    projection = project([load_scenario("trend")], real, replications=2, years=1, seed=1)
    write_outputs(projection, tmp_path, maps=False)
    text = (tmp_path / "bijsluiter.md").read_text(encoding="utf-8")
    assert "SYNTHETISCHE" not in text
    assert "postgresql://bzk/spreiding" in text


def test_stored_text_cannot_break_the_bijsluiter(demo_baseline: Baseline, tmp_path: Path) -> None:
    path = tmp_path / "mijn_plan.toml"
    path.write_text(
        'description = "Proef <script>alert(1)</script> | **vet** [link](http://x)\\n# kop"\n',
        encoding="utf-8",
    )
    from dataclasses import replace

    from spreiding.simulation.pipeline import KnownPlan

    plan = KnownPlan(
        case=1, kind="nieuw", fte=150.0, unit=demo_baseline.units[0], state="registered",
        in_scope=None, suspended_from=None, location="PV22",
    )  # fmt: skip
    baseline = replace(demo_baseline, pipeline=(plan,), known_on=demo_baseline.peildatum)
    projection = project([load_scenario(path)], baseline, replications=2, years=2, seed=1)
    out = tmp_path / "uit"
    write_outputs(projection, out, maps=False)
    markdown = (out / "bijsluiter.md").read_text(encoding="utf-8")
    assert "<script>" not in markdown
    assert (
        "Proef \\<script\\>alert(1)\\</script\\> \\| \\*\\*vet\\*\\* \\[link\\](http://x) \\# kop"
        in markdown
    )
    assert not any(line.startswith("# kop") for line in markdown.splitlines())
    assert "- Scenario's: `mijn_plan`" in markdown  # a code span needs no escape
    assert "| mijn\\_plan | 2023 |" in markdown  # a table cell does
    html = (out / "bijsluiter.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
