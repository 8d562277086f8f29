"""Targets ("stip op de horizon"): parsed or refused, and evaluated over the replications."""

from __future__ import annotations

import numpy as np
import pytest

from spreiding.core.errors import InvalidInput
from spreiding.simulation.baseline import Baseline
from spreiding.simulation.montecarlo import project
from spreiding.simulation.outputs import target_results
from spreiding.simulation.parameters import load_scenario
from spreiding.simulation.targets import NOT_REACHED, evaluate, parse_target

CODES = tuple(f"PV{n}" for n in range(20, 32))
RANDSTAD = ("PV26", "PV27", "PV28")


@pytest.mark.parametrize(
    ("text", "subject", "op", "value", "relative", "year"),
    [
        ("buiten-randstad>=0.45@2030", "buiten-randstad", ">=", 0.45, False, 2030),
        ("buiten-randstad >= 45% @ 2030", "buiten-randstad", ">=", 0.45, False, 2030),
        ("Randstad<=0,55@2028", "randstad", "<=", 0.55, False, 2028),
        ("PV22>=+1500@2030", "PV22", ">=", 1500.0, True, 2030),
        ("pv22>=9000@2030", "PV22", ">=", 9000.0, False, 2030),
        ("PV27<=-500@2031", "PV27", "<=", -500.0, True, 2031),
        ("totaal<=350000@2033", "totaal", "<=", 350000.0, False, 2033),
        ("buiten-randstad>=+0.02@2027", "buiten-randstad", ">=", 0.02, True, 2027),
    ],
)
def test_targets_are_parsed(
    text: str, subject: str, op: str, value: float, relative: bool, year: int
) -> None:
    target = parse_target(text)
    assert (target.subject, target.op, target.relative, target.year) == (
        subject,
        op,
        relative,
        year,
    )
    assert target.value == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("buiten-randstad>0.45@2030", "malformed"),
        ("buiten-randstad>=0.45", "malformed"),
        ("PV22>=veel@2030", "malformed"),
        ("PV40>=100@2030", "unknown subject"),
        ("Drenthe>=100@2030", "unknown subject"),
        ("buiten-randstad>=45@2030", "between 0 and 1"),
        ("PV22>=10%@2030", "percentage only fits a share"),
    ],
)
def test_a_malformed_target_is_refused_naming_it(text: str, words: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_target(text)
    assert repr(text) in str(refused.value)
    assert words in str(refused.value)


def series(values: list[list[float]], column: str = "PV22") -> np.ndarray:
    """Provinces per replication and year with ``values`` in one province, 100 elsewhere."""
    data = np.full((len(values), len(values[0]), len(CODES)), 100.0)
    data[:, :, CODES.index(column)] = values
    return data


def test_probability_and_the_first_year_from_which_it_holds() -> None:
    data = series([[10, 20, 30, 40], [10, 10, 30, 40], [10, 10, 10, 40], [10, 10, 10, 10]])
    result = evaluate(parse_target("PV22>=30@2025"), "s", data, CODES, RANDSTAD, 2023)
    assert result.probability == 0.5  # two of four replications have >= 30 in 2025
    assert result.first_year == 2025  # from 2025 on half hold it to the end
    change = evaluate(parse_target("PV22>=+25@2026"), "s", data, CODES, RANDSTAD, 2023)
    assert change.probability == 0.75
    never = evaluate(parse_target("PV22>=50@2026"), "s", data, CODES, RANDSTAD, 2023)
    assert never.probability == 0.0
    assert never.first_year_text == NOT_REACHED


def test_targets_of_a_projection_have_probabilities_between_0_and_1(
    demo_baseline: Baseline, tmp_path
) -> None:
    path = tmp_path / "met-doel.toml"
    path.write_text('targets = ["PV20>=+300@2026"]\n', encoding="utf-8")
    scenarios = [load_scenario("trend"), load_scenario(path)]
    wanted = ["buiten-randstad>=0.41@2027", "PV22>=+500@2027", "PV22>=8000@2027"]
    projection = project(scenarios, demo_baseline, replications=8, years=4, seed=1, targets=wanted)
    results = target_results(projection)
    assert [(r.scenario, r.target) for r in results] == [
        *(("trend", t) for t in wanted),
        *(("met-doel", t) for t in [*wanted, "PV20>=+300@2026"]),  # the file's own target
    ]
    for result in results:
        assert 0.0 <= result.probability <= 1.0
        assert result.first_year is None or 2023 <= result.first_year <= 2027


def test_a_target_after_the_last_simulated_year_is_refused(demo_baseline: Baseline) -> None:
    with pytest.raises(InvalidInput, match="year 2040 is outside the simulated years 2023-2027"):
        project(
            [load_scenario("trend")],
            demo_baseline,
            replications=2,
            years=4,
            targets=["buiten-randstad>=0.45@2040"],
        )


def test_a_target_met_at_the_start_but_lost_is_not_reached_at_the_start() -> None:
    # the case: held in the start year, lost afterwards, chance 0% in its year
    data = series([[40, 10, 10, 10], [40, 10, 10, 10], [40, 10, 10, 40]])
    result = evaluate(parse_target("PV22>=30@2025"), "s", data, CODES, RANDSTAD, 2023)
    assert result.probability == 0.0
    assert result.first_year is None
    assert result.first_year_text == NOT_REACHED


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("buiten-randstad>=0.45@2033", "aandeel buiten de Randstad ten minste 45% in 2033"),
        ("buiten-randstad>=45,5%@2033", "aandeel buiten de Randstad ten minste 45,5% in 2033"),
        ("randstad<=0.55@2030", "aandeel in de Randstad ten hoogste 55% in 2030"),
        ("PV22>=+1500@2030", "Drenthe +1.500 fte in 2030"),
        ("PV22>=9000@2030", "Drenthe ten minste 9.000 fte in 2030"),
        ("totaal<=350000@2033", "totaal ten hoogste 350.000 fte in 2033"),
        (
            "buiten-randstad>=+0.02@2030",
            "aandeel buiten de Randstad ten minste +2,0 procentpunt t.o.v. het startjaar in 2030",
        ),
    ],
)
def test_a_target_reads_as_dutch_words(text: str, words: str) -> None:
    assert parse_target(text).words == words
