"""The reference growth is fitted on the store's history, up to the start and never later."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from spreiding.core.settings import DEFAULT_RANDSTAD
from spreiding.flows.start import load_start
from spreiding.simulation.baseline import SECTORS, Baseline
from spreiding.simulation.fitting import fit_growth
from spreiding.simulation.montecarlo import project
from spreiding.simulation.quantiles import randstad_share
from tests.conftest import Database
from tests.simulation.conftest import QUIET, scenario_with

PROVINCES = ("PV20", "PV27")


def test_rates_spread_and_where_growth_landed() -> None:
    past = [
        (2021, "politie", "PV20", 100.0), (2021, "politie", "PV27", 100.0),
        (2022, "politie", "PV20", 130.0), (2022, "politie", "PV27", 90.0),  # +10%
        (2023, "politie", "PV20", 160.0), (2023, "politie", "PV27", 104.0),  # +20%
    ]  # fmt: skip
    fit = fit_growth(past, SECTORS, PROVINCES)
    assert fit is not None and fit.years == (2021, 2022, 2023)
    assert fit.rates["politie"] == pytest.approx(0.15)
    assert fit.sd == pytest.approx(np.std([0.10, 0.20], ddof=1))
    # the growth landed in PV20 (+60), PV27 gained only 4: not like the stock (50/50)
    assert fit.allocation["politie"]["PV20"] == pytest.approx(60 / 64)
    assert "zbo" not in fit.rates  # no history, no rate: the scenario's value stays
    # the total grew 10% and 20% (one sector here): the spread all sectors share, and how
    # many yearly rates stand behind each estimate (for its standard error)
    assert fit.common_sd == pytest.approx(np.std([0.10, 0.20], ddof=1))
    assert fit.counts == {"politie": 2} and fit.years_of_growth == 2


def test_one_peildatum_is_no_fit_and_one_year_of_growth_gives_no_spread() -> None:
    assert fit_growth([(2023, "zbo", "PV20", 10.0)], SECTORS, PROVINCES) is None
    fit = fit_growth([(2022, "zbo", "PV20", 10.0), (2023, "zbo", "PV20", 11.0)], SECTORS, PROVINCES)
    assert fit is not None and fit.sd is None and fit.common_sd is None
    assert fit.rates["zbo"] == pytest.approx(0.1)


def test_a_start_in_the_past_fits_only_on_what_was_known_then(demo_db: Database) -> None:
    start = load_start(demo_db.engine(), randstad=DEFAULT_RANDSTAD, year=2022)
    assert {year for year, *_ in start.past} == {2021, 2022}  # never 2023
    fit = fit_growth(start.past, SECTORS, start.provinces)
    total = {y: sum(v for yy, *_, v in start.past if yy == y) for y in (2021, 2022)}
    assert total[2022] / total[2021] - 1 == pytest.approx(321_396 / 311_353 - 1)
    assert fit is not None and fit.window == "2021-2022"
    latest = load_start(demo_db.engine(), randstad=DEFAULT_RANDSTAD)
    assert latest.peildatum == date(2023, 1, 1)
    assert {year for year, *_ in latest.past} == {2021, 2022, 2023}


def test_fitted_growth_lands_where_growth_landed_not_where_the_stock_is(
    demo_baseline: Baseline,
) -> None:
    fit = fit_growth(demo_baseline.past, SECTORS, demo_baseline.provinces)
    assert fit is not None
    fitted = scenario_with("trend", {**QUIET, "growth.source": "data"}, "uit-data")
    rates = {f"growth.{s}": fit.rates[s] for s in SECTORS}
    stock = scenario_with("trend", {**QUIET, **rates, "growth.source": "aanname"}, "als-nu")
    projection = project([fitted, stock], demo_baseline, replications=20, years=4, seed=3)
    outside = [1 - np.median(randstad_share(projection, run)[:, -1]) for run in projection.runs]
    start = 1 - demo_baseline.randstad_share
    # the demo's history grew outside the Randstad more than its stock: so does the fit
    assert outside[0] > start + 0.01
    assert abs(outside[1] - start) < 0.005
    # and the total grows at the fitted rates in both
    totals = [np.median(run.provinces[:, -1].sum(axis=1)) for run in projection.runs]
    assert totals[0] == pytest.approx(totals[1], rel=0.03)


def test_a_scenario_can_keep_its_own_assumed_growth(demo_baseline: Baseline) -> None:
    own = scenario_with("trend", {**QUIET, "growth.source": "aanname"}, "eigen")
    projection = project([own], demo_baseline, replications=3, years=2, seed=1)
    assert np.allclose(projection.runs[0].provinces[:, -1], projection.runs[0].provinces[:, 0])


def test_the_plans_are_not_counted_twice_on_top_of_the_fitted_growth(
    demo_baseline: Baseline,
) -> None:
    # the fitted rate holds all change of the history, big plans included: the drawn plans'
    # expected net change is taken off it, so more plans move more fte through the cases
    # but do not make the rijksdienst grow faster than it did (with an RVB that keeps up)
    calm = {"taakstelling.rate": 0.0, "growth.common_sd": 0.0, "rvb.capacity": 1000}
    few = scenario_with("trend", calm, "weinig")
    many = scenario_with(
        "trend", {**calm, "events.groei": 20.0, "events.nieuw": 6.0, "events.krimp": 5.0}, "veel"
    )
    projection = project([few, many], demo_baseline, replications=20, years=8, seed=6)
    totals = [np.median(run.provinces[:, -1].sum(axis=1)) for run in projection.runs]
    assert totals[1] == pytest.approx(totals[0], rel=0.025)  # without the correction: +5%
    fit = fit_growth(demo_baseline.past, SECTORS, demo_baseline.provinces)
    assert fit is not None
    history = (336_270 / 311_353) ** 0.5 - 1  # the store grew 3,9% a year
    assert totals[0] == pytest.approx(demo_baseline.total_fte * (1 + history) ** 8, rel=0.06)
