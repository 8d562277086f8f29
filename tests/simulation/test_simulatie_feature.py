"""Step definitions of ``features/simulatie.feature``, run against the real model.

Each scenario starts from the shipped scenario ``nieuwe-aanpak`` made quiet (no autonomous
change, no taakstelling, no plans), switches on the plans and rules it names, and compares
with the same scenario without the principles where it says so. Both runs share their random
arrivals (common random numbers), so "equal in every replication" is an exact claim.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
from pytest_bdd import given, parsers, scenarios, then, when

from spreiding.simulation.baseline import Baseline
from spreiding.simulation.montecarlo import Projection, project
from spreiding.simulation.quantiles import randstad_share
from tests.simulation.conftest import QUIET, scenario_with

scenarios("../../features/simulatie.feature")

REPLICATIONS = 12
SEED = 20240508
EXEMPTIONS = {
    "een zwaarwegend primair proces": "exemptions.primary_process",
    "een wettelijke vestigingsplaats": "exemptions.legal_location",
    "het vermijden van hoge huisvesting": "exemptions.housing_cost",
}
NO_EXEMPTIONS = dict.fromkeys(EXEMPTIONS.values(), 0.0)


class World:
    """What the steps of one scenario build up: the baseline, the changes and the runs."""

    def __init__(self) -> None:
        self.baseline: Baseline | None = None
        self.changes: dict[str, Any] = {}
        self.runs: dict[str, Projection] = {}

    def run(self, label: str, years: int, **extra: Any) -> Projection:
        scenario = scenario_with("nieuwe-aanpak", {**self.changes, **extra}, label)
        assert self.baseline is not None
        self.runs[label] = project(
            [scenario], self.baseline, replications=REPLICATIONS, years=years, seed=SEED
        )
        return self.runs[label]

    def provinces(self, label: str = "model") -> np.ndarray:
        return self.runs[label].runs[0].provinces

    def randstad(self, label: str = "model") -> np.ndarray:
        mask = np.array([p in self.baseline.randstad for p in self.baseline.provinces])
        return self.provinces(label)[:, :, mask].sum(axis=2)

    def outside(self, label: str = "model") -> np.ndarray:
        return self.provinces(label).sum(axis=2) - self.randstad(label)


# -- Gegeven -------------------------------------------------------------------------------------


@given(
    "de synthetische demodata met peildatum 1 januari 2023",
    target_fixture="world",
)
def _demo(demo_baseline: Baseline) -> World:
    assert demo_baseline.synthetic
    assert demo_baseline.peildatum == date(2023, 1, 1)
    world = World()
    world.baseline = demo_baseline
    return world


@given("een rustig scenario: geen autonome groei, geen taakstelling en geen plannen")
def _quiet(world: World) -> None:
    world.changes.update(QUIET)


@given(parsers.parse("gemiddeld {groei:d} groeiplannen en {nieuw:d} nieuwe eenheden per jaar"))
def _growth(world: World, groei: int, nieuw: int) -> None:
    world.changes.update({"events.groei": float(groei), "events.nieuw": float(nieuw)})


@given(parsers.parse("gemiddeld {krimp:d} krimpplannen per jaar"))
def _shrink(world: World, krimp: int) -> None:
    world.changes["events.krimp"] = float(krimp)


@given("de principes worden volledig nageleefd zonder uitzonderingen")
def _strict(world: World) -> None:
    world.changes.update(
        {"principles.compliance": 1.0, "principles.mr_follows_advice": 1.0, **NO_EXEMPTIONS}
    )


@given("de principes worden niet toegepast")
def _not_applied(world: World) -> None:
    world.changes["principles.applied"] = False


@given("regionale kansen alleen in Groningen en Drenthe")
def _opportunities(world: World) -> None:
    world.baseline = replace(world.baseline, opportunities={"PV20": 3.0, "PV22": 1.0})


@given(parsers.parse("de principes gelden, maar {uitzondering} geldt altijd"))
def _always_exempt(world: World, uitzondering: str) -> None:
    world.changes.update(
        {"principles.compliance": 1.0, **NO_EXEMPTIONS, EXEMPTIONS[uitzondering]: 1.0}
    )


@given("elke casus gaat na het BZK-advies naar de ministerraad")
def _always_mr(world: World) -> None:
    world.changes.update(
        {
            "lifecycle.branch.accept_advice": 0.0,
            "lifecycle.branch.propose_alternative": 0.0,
            "lifecycle.branch.reconsider": 0.0,
        }
    )


@given("de ministerraad volgt het BZK-advies nooit")
def _mr_ignores(world: World) -> None:
    world.changes["principles.mr_follows_advice"] = 0.0


@given("elke casus wordt bij aanmelding ingetrokken")
def _withdrawn(world: World) -> None:
    world.changes.update({"lifecycle.branch.start_screening": 0.0, "lifecycle.branch.suspend": 0.0})


@given(parsers.parse("het Rijksvastgoedbedrijf voert {projects:d} project tegelijk uit"))
def _rvb(world: World, projects: int) -> None:
    world.changes["rvb.capacity"] = projects


# -- Als ------------------------------------------------------------------------------------------


@when(parsers.parse("het model {years:d} jaar vooruit rekent"))
def _run(world: World, years: int) -> None:
    world.run("model", years)


@when(parsers.parse("het model {years:d} jaar vooruit rekent, en ook zonder de principes"))
def _run_both(world: World, years: int) -> None:
    world.run("model", years)
    world.run("zonder", years, **{"principles.applied": False})


@when(parsers.parse("het model {years:d} jaar vooruit rekent, en ook met ruime capaciteit"))
def _run_capacity(world: World, years: int) -> None:
    world.run("model", years)
    world.run("ruim", years, **{"rvb.capacity": 500})


# -- Dan ------------------------------------------------------------------------------------------


@then("blijft het aantal fte in de Randstad in elke replicatie gelijk")
def _randstad_same(world: World) -> None:
    randstad = world.randstad()
    assert np.allclose(randstad, randstad[:, :1], rtol=0, atol=1e-6)


@then("groeit het aantal fte buiten de Randstad in elke replicatie")
def _outside_grows(world: World) -> None:
    outside = world.outside()
    assert np.all(outside[:, -1] > outside[:, 0])


@then("groeit het aantal fte in de Randstad in de mediaan")
def _randstad_grows(world: World) -> None:
    randstad = world.randstad()
    assert np.median(randstad[:, -1] - randstad[:, 0]) > 0


@then("krimpt de Randstad in elke replicatie minstens zoveel als zonder de principes")
def _randstad_shrinks_first(world: World) -> None:
    with_principles, without = world.randstad("model"), world.randstad("zonder")
    assert np.all(with_principles[:, -1] <= without[:, -1] + 1e-6)
    assert np.all(with_principles[:, -1] < with_principles[:, 0])


@then("is het aandeel buiten de Randstad in de mediaan hoger dan zonder de principes")
def _share_higher(world: World) -> None:
    model, without = world.runs["model"], world.runs["zonder"]
    outside = 1 - randstad_share(model, model.runs[0])
    outside_without = 1 - randstad_share(without, without.runs[0])
    assert np.median(outside[:, -1]) > np.median(outside_without[:, -1])


@then("groeien alleen Groningen en Drenthe")
def _only_opportunities(world: World) -> None:
    provinces = world.provinces()
    change = provinces[:, -1] - provinces[:, 0]
    codes = world.baseline.provinces
    for i, code in enumerate(codes):
        if code in ("PV20", "PV22"):
            assert np.median(change[:, i]) > 0, code
        else:
            assert np.allclose(change[:, i], 0, atol=1e-6), code


@then("is de verdeling in elke replicatie gelijk aan die zonder de principes")
def _same_as_without(world: World) -> None:
    assert np.array_equal(world.provinces("model"), world.provinces("zonder"))


@then("is de verdeling in elke replicatie gelijk aan die op de peildatum")
def _same_as_start(world: World) -> None:
    provinces = world.provinces()
    assert np.array_equal(provinces, np.broadcast_to(provinces[:, :1], provinces.shape))


@then(
    parsers.parse(
        "zijn na {years:d} jaar in elke replicatie minder fte verhuisd dan met ruime capaciteit"
    )
)
def _delayed(world: World, years: int) -> None:
    scarce = world.runs["model"].runs[0].housed[:, years]
    ample = world.runs["ruim"].runs[0].housed[:, years]
    assert np.all(scarce < ample)
