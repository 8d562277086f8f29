"""``spreiding sensitivity``: which assumptions drive the headline outputs (SALib)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from spreiding.core.settings import get_settings
from spreiding.simulation.baseline import Baseline
from spreiding.simulation.parameters import load_scenario
from spreiding.simulation.sensitivity import analyse, inputs
from tests.conftest import CliResult, Database

Run = Callable[..., CliResult]
SMALL = ("--trajectories", "2", "--replications", "2", "--years", "3", "--workers", "1")


def _only(tmp_path: Path, ranges: str, applied: bool = True) -> Path:
    """A scenario whose only drawn assumptions are ``ranges``."""
    path = tmp_path / "weinig.toml"
    path.write_text(
        f"[principles]\napplied = {'true' if applied else 'false'}\n"
        'from = "2023-01-01"\n'
        f"[uncertainty]\n{ranges}",
        encoding="utf-8",
    )
    return path


def test_the_analysis_varies_the_assumptions_and_finds_the_one_that_matters(
    tmp_path: Path, demo_baseline: Baseline
) -> None:
    path = _only(
        tmp_path,
        '"principles.compliance" = [0.0, 1.0]\n"exemptions.legal_location" = [0.0, 0.01]\n',
    )
    scenario = load_scenario(path)
    result = analyse(
        scenario,
        demo_baseline,
        trajectories=4,
        replications=3,
        years=4,
        seed=2,
        targets=["buiten-randstad>=0.40@2027"],
    )
    assert result.keys == ("principles.compliance", "exemptions.legal_location")
    assert [o.key for o in result.outputs] == [
        "buiten",
        "effect",
        "doel:buiten-randstad>=0.40@2027",
    ]
    assert result.points == 4 * 3
    effect = result.indices["effect"]
    # complying more sends more growth outside the Randstad: the effect rises with it
    assert effect["principles.compliance"]["mu"] > 0
    assert (
        effect["principles.compliance"]["mu_star"] > effect["exemptions.legal_location"]["mu_star"]
    )
    assert result.ranked("effect")[0] == "principles.compliance"


def test_what_the_fit_replaces_and_what_a_scenario_without_principles_ignores_is_not_varied(
    demo_baseline: Baseline,
) -> None:
    trend = load_scenario("trend")
    varied = inputs(trend, demo_baseline)
    assert "growth.offset" in varied and "taakstelling.rate" in varied
    assert not any(k.startswith(("principles.", "exemptions.")) for k in varied)
    assert "growth.ministeries" not in varied  # fitted on the demo's peildata: data
    assert "growth.common_sd" not in varied and "growth.allocation" in varied
    assert "growth.ministeries" in trend.uncertainty


def test_sobol_gives_variance_shares(tmp_path: Path, demo_baseline: Baseline) -> None:
    path = _only(tmp_path, '"taakstelling.rate" = [0.0, 0.08]\n"rvb.capacity" = [20, 30]\n')
    result = analyse(
        load_scenario(path), demo_baseline, method="sobol", trajectories=8, replications=2, years=3
    )
    assert result.points == 8 * (2 + 2)
    shares = result.indices["buiten"]["taakstelling.rate"]
    assert set(shares) == {"S1", "ST", "S1_conf", "ST_conf"}
    assert result.ranked("buiten")[0] == "taakstelling.rate"


def test_sensitivity_writes_the_tornado_and_the_bijsluiter_shows_the_table(
    cli: Run, demo_db: Database, tmp_path: Path
) -> None:
    out = tmp_path / "gevoeligheid"
    result = cli(
        "sensitivity",
        "nieuwe-aanpak",
        *SMALL,
        "--target",
        "buiten-randstad>=0.42@2026",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.stderr
    assert "naleving bij overeenstemming" in result.stdout
    assert (
        "kans: aandeel buiten de Randstad ten minste 42% in 2026"
        in result.stdout.replace("\n", " ")
        or "kans: aandeel" in result.stdout
    )
    for name in ("tornado.png", "tornado.svg", "sensitivity.csv", "sensitivity.json"):
        assert (out / name).is_file(), name
    svg = (out / "tornado.svg").read_text(encoding="utf-8")
    assert "illustratief: aannames, niet gekalibreerd" in svg
    assert "naleving bij overeenstemming" in svg  # Dutch labels, not keys
    with (out / "sensitivity.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["output"] for r in rows} == {"buiten", "effect", "doel:buiten-randstad>=0.42@2026"}
    stored = json.loads((get_settings().data_dir / "sensitivity.json").read_text("utf-8"))
    assert stored["nieuwe-aanpak"]["method"] == "morris"
    assert "--trajectories 2" in stored["nieuwe-aanpak"]["command"]

    projection = tmp_path / "projectie"
    ran = cli(
        "simulate", "nieuwe-aanpak", "--replications", "3", "--years", "3", "--workers", "1",
        "--out", str(projection),
    )  # fmt: skip
    assert ran.exit_code == 0, ran.stderr
    bijsluiter = (projection / "bijsluiter.md").read_text(encoding="utf-8")
    section = bijsluiter.split("\n## Gevoeligheid voor de aannames")[1].split("\n## ")[0]
    assert "### nieuwe-aanpak: Morris" in section
    assert "**effect van het beleid in 2026**" in section
    assert "naleving bij overeenstemming" in section
    assert "let op" not in section  # the same parameters as this projection

    # in a reference world the variant's analysis is shown, with a warning
    worlds = tmp_path / "werelden"
    ran = cli(
        "simulate", "nieuwe-aanpak", "--reference", "hoog", "--replications", "3", "--years",
        "3", "--workers", "1", "--out", str(worlds),
    )  # fmt: skip
    assert ran.exit_code == 0, ran.stderr
    text = (worlds / "bijsluiter.md").read_text(encoding="utf-8")
    section = text.split("\n## Gevoeligheid voor de aannames")[1].split("\n## ")[0]
    assert "### nieuwe-aanpak: Morris" in section
    assert "let op: met andere parameters dan deze projectie" in section


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--method", "fast"), "--method 'fast': use one of morris, sobol"),
        (("--trajectories", "1"), "--trajectories must be at least 2"),
    ],
)
def test_bad_options_are_refused_before_any_work(
    cli: Run, demo_db: Database, args: tuple[str, ...], message: str
) -> None:
    result = cli("sensitivity", "nieuwe-aanpak", "--workers", "1", *args)
    assert result.exit_code == 2
    assert message in result.stderr
