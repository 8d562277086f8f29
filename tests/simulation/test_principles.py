"""What the guiding principles do to the share outside the Randstad, and what RVB capacity does.

Statistical claims use a fixed seed and enough replications that the margin is many times the
spread between replications; scenarios share their random arrivals and growth (common random
numbers), so the comparison is sharp.
"""

from __future__ import annotations

import numpy as np

from spreiding.simulation.baseline import Baseline
from spreiding.simulation.model import STATS
from spreiding.simulation.montecarlo import project
from spreiding.simulation.parameters import load_scenario
from spreiding.simulation.quantiles import randstad_share
from tests.simulation.conftest import QUIET, scenario_with


def test_strikt_moves_the_share_outside_the_randstad_up_more_than_trend(
    demo_baseline: Baseline,
) -> None:
    scenarios = [load_scenario("trend"), load_scenario("strikt")]
    projection = project(scenarios, demo_baseline, replications=40, years=5, seed=2024)
    trend, strict = (1 - randstad_share(projection, run) for run in projection.runs)
    gain_trend = np.median(trend[:, 5] - trend[:, 0])
    gain_strict = np.median(strict[:, 5] - strict[:, 0])
    assert gain_strict > gain_trend + 0.01  # at least a percentage point more, in median
    # and not by luck of a few replications: in nearly every replication
    assert np.mean(strict[:, 5] > trend[:, 5]) >= 0.95


def test_nieuwe_aanpak_lies_between_trend_and_strikt(demo_baseline: Baseline) -> None:
    scenarios = [load_scenario(n) for n in ("trend", "nieuwe-aanpak", "strikt")]
    projection = project(scenarios, demo_baseline, replications=30, years=5, seed=7)
    medians = [np.median(1 - randstad_share(projection, r)[:, 5]) for r in projection.runs]
    assert medians[0] < medians[1] < medians[2]


def _groei_only(capacity: int, name: str) -> object:
    return scenario_with(
        "strikt",
        {**QUIET, "events.groei": 20.0, "rvb.capacity": capacity, "rvb.realisation_days": 365.0},
        name,
    )


def test_scarce_rvb_capacity_delays_the_moving_of_fte(demo_baseline: Baseline) -> None:
    scarce, ample = _groei_only(1, "krap"), _groei_only(500, "ruim")
    projection = project([scarce, ample], demo_baseline, replications=10, years=4, seed=3)
    housed_scarce, housed_ample = (run.housed for run in projection.runs)
    # the same plans arrive in both (common random numbers) ...
    cases = STATS.index("cases")
    assert np.array_equal(projection.runs[0].stats[:, cases], projection.runs[1].stats[:, cases])
    # ... but with one project at a time fewer fte have moved after 2 and 4 years, in every
    # replication, and in the median less than a third as many
    for year in (2, 4):
        assert np.all(housed_scarce[:, year] < housed_ample[:, year])
        assert np.median(housed_scarce[:, year] / housed_ample[:, year]) < 1 / 3
    wait = STATS.index("rvb_wait_years")
    assert projection.runs[0].stats[:, wait].mean() > 10 * projection.runs[1].stats[:, wait].mean()
    # the fte that have not moved yet are simply not there: the totals lag behind
    totals = [run.provinces[:, 4].sum(axis=1) for run in projection.runs]
    assert np.all(totals[0] < totals[1])


def test_the_principles_act_only_from_the_policy_date(demo_baseline: Baseline) -> None:
    changes = {**QUIET, "events.groei": 20.0, "rvb.capacity": 500}
    early = scenario_with("strikt", {**changes, "principles.from": "2023-01-01"}, "vanaf-2023")
    late = scenario_with("strikt", {**changes, "principles.from": "2030-01-01"}, "vanaf-2030")
    default = load_scenario("strikt")
    assert default["principles.from"] == "2024-05-08"  # the letter to parliament
    projection = project([early, late], demo_baseline, replications=6, years=4, seed=2)
    followed = STATS.index("followed_principles")
    assert projection.runs[0].stats[:, followed].sum() > 0
    assert projection.runs[1].stats[:, followed].sum() == 0  # nothing decided after 2030 yet
    shares = [np.median(randstad_share(projection, run)[:, -1]) for run in projection.runs]
    assert shares[0] < shares[1]  # growth left the Randstad only where the principles acted


def test_the_policy_effect_is_a_paired_difference_with_its_interval(
    demo_baseline: Baseline,
) -> None:
    from spreiding.simulation.quantiles import effects

    scenarios = [load_scenario("trend"), load_scenario("strikt")]
    projection = project(scenarios, demo_baseline, replications=30, years=6, seed=8)
    (early, last) = effects(projection)
    assert (last.scenario, last.reference, last.year) == ("strikt", "trend", 2029)
    assert 0 < last.low <= last.median <= last.high
    # on common random numbers the effect is sharper than the two bands side by side
    outside = [1 - randstad_share(projection, run)[:, -1] for run in projection.runs]
    bands = [np.quantile(o, 0.95) - np.quantile(o, 0.05) for o in outside]
    assert last.high - last.low < sum(bands)
    assert early.year == 2028
