"""Scenario files: validated on load, every refusal names the key and the file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
from statemachine import State, StateChart

from spreiding.core.errors import InvalidInput
from spreiding.simulation.lifecycle import chart_graph
from spreiding.simulation.parameters import (
    SHIPPED,
    from_mapping,
    load_scenario,
    parameter_rows,
    registry,
    render_toml,
    shipped_path,
)
from spreiding.statemachine.chart import CaseLifecycle


def write(tmp_path: Path, text: str, name: str = "mijn-scenario.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ("[principles]\ncomplaince = 0.9\n", "principles.complaince", "did you mean"),
        ("[principles]\ncompliance = 1.5\n", "principles.compliance", "out of range 0..1"),
        ("[principles]\ncompliance = 'hoog'\n", "principles.compliance", "a number"),
        ("[principles]\napplied = 1\n", "principles.applied", "true or false"),
        ("[rvb]\ncapacity = 2.5\n", "rvb.capacity", "a whole number"),
        ("[rvb]\ncapacity = 0\n", "rvb.capacity", "out of range 1..10000"),
        ("[growth]\nambtenaren = 0.01\n", "growth.ambtenaren", "known keys in [growth]"),
        ("[taakstelling]\nsectors = ['politie', 'brandweer']\n", "taakstelling.sectors", "list"),
        ("targets = ['PV22>9000@2030']\n", "PV22>9000@2030", "malformed"),
        ("[lifecycle.branch]\nagre = 0.5\n", "lifecycle.branch.agre", "not an event"),
        ("[lifecycle.days]\ndecided = 3\n", "lifecycle.days.decided", "final state"),
    ],
)
def test_a_bad_value_is_refused_naming_key_and_file(
    tmp_path: Path, text: str, key: str, words: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InvalidInput) as refused:
        load_scenario(path)
    message = str(refused.value)
    assert str(path) in message
    assert key in message
    assert words in message


def test_years_of_the_taakstelling_must_be_in_order(tmp_path: Path) -> None:
    path = write(tmp_path, "[taakstelling]\nfirst_year = 2030\nlast_year = 2026\n")
    with pytest.raises(InvalidInput, match="first_year = 2030 is after"):
        load_scenario(path)


def test_broken_toml_and_unknown_names_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "[principles\ncompliance = 0.5\n")
    with pytest.raises(InvalidInput, match="not valid TOML") as refused:
        load_scenario(path)
    assert str(path) in str(refused.value)
    with pytest.raises(InvalidInput, match="shipped: trend, nieuwe-aanpak, strikt"):
        load_scenario("optimistisch")


def test_a_scenario_naming_an_event_the_chart_lacks_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "[lifecycle.branch]\nappeal_to_court = 0.1\n")
    with pytest.raises(InvalidInput) as refused:
        load_scenario(path)
    assert "appeal_to_court is not an event of the case lifecycle" in str(refused.value)
    assert "accept_advice" in str(refused.value)  # it lists the events that do exist


class RenamedLifecycle(StateChart):
    """The chart after a colleague renamed ``consultation`` to ``overleg``."""

    intention = State("Voornemen", initial=True)
    registered = State("Aangemeld")
    screening = State("In beoordeling")
    out_of_scope = State("Buiten reikwijdte", final=True)
    overleg = State("Gezamenlijk overleg")
    advice_issued = State("BZK-advies uitgebracht")
    counter_proposal = State("Tegenvoorstel ministerie")
    agreed = State("Overeenstemming")
    mr_escalation = State("Voorgelegd aan de ministerraad")
    decided = State("Besloten", final=True)
    withdrawn = State("Ingetrokken", final=True)
    suspended = State("Opgeschort")

    submit_plan = intention.to(registered)
    start_screening = registered.to(screening)
    declare_out_of_scope = screening.to(out_of_scope, cond="is_below_threshold")
    open_consultation = screening.to(overleg, cond="is_in_scope")
    issue_advice = overleg.to(advice_issued)
    reconsider = advice_issued.to(overleg) | counter_proposal.to(overleg) | agreed.to(overleg)
    accept_advice = advice_issued.to(agreed) | counter_proposal.to(agreed)
    propose_alternative = advice_issued.to(counter_proposal)
    consent = counter_proposal.to(agreed)
    escalate_to_mr = advice_issued.to(mr_escalation) | counter_proposal.to(mr_escalation)
    decide = agreed.to(decided)
    record_mr_decision = mr_escalation.to(decided)
    _running = (
        intention, registered, screening, overleg, advice_issued, counter_proposal, agreed,
        mr_escalation,
    )  # fmt: skip
    withdraw = withdrawn.from_(*_running, suspended)
    suspend = suspended.from_(*_running)
    resume = suspended.to(*_running, cond="returns_to_target")
    del _running


def test_renaming_a_state_in_the_chart_breaks_the_shipped_scenarios() -> None:
    graph = chart_graph(RenamedLifecycle)
    with pytest.raises(InvalidInput) as refused:
        load_scenario("nieuwe-aanpak", graph=graph)
    message = str(refused.value)
    assert "lifecycle.days.consultation" in message
    assert "nieuwe-aanpak.toml" in message
    assert "overleg" in message  # the states that do have a duration now


def test_the_lifecycle_keys_are_exactly_the_charts_events_and_waiting_states() -> None:
    graph = chart_graph()
    keys = registry(graph)
    branch = {k.removeprefix("lifecycle.branch.") for k in keys if "lifecycle.branch." in k}
    days = {k.removeprefix("lifecycle.days.") for k in keys if "lifecycle.days." in k}
    assert branch == {e.id for e in CaseLifecycle.events}
    assert days == {s.id for s in CaseLifecycle.states if not s.final}


@pytest.mark.parametrize("name", SHIPPED)
def test_each_shipped_scenario_sets_and_documents_every_key(name: str) -> None:
    text = shipped_path(name).read_text(encoding="utf-8")
    data = tomllib.loads(text)
    ranges = data.pop("uncertainty")  # every shipped scenario gives its assumptions a range
    flat = {f"{table}.{key}" if table else key for table, values in _tables(data) for key in values}
    assert flat == set(registry())
    assert set(ranges) <= flat
    parameters, _, uncertainty = text.partition("[uncertainty]")
    assert uncertainty.splitlines()[1].startswith("#")  # the section says what a range means
    lines = parameters.splitlines()
    for number, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            assert lines[number - 1].startswith("#"), f"{name}: undocumented line {line!r}"


def _tables(data: dict, prefix: str = "") -> list[tuple[str, dict]]:
    scalars = {k: v for k, v in data.items() if not isinstance(v, dict)}
    found = [(prefix, scalars)] if scalars else []
    for key, value in data.items():
        if isinstance(value, dict):
            found += _tables(value, f"{prefix}.{key}" if prefix else key)
    return found


@pytest.mark.parametrize("name", SHIPPED)
def test_show_prints_a_scenario_that_loads_back_to_the_same_parameters(
    tmp_path: Path, name: str
) -> None:
    original = load_scenario(name)
    copy = load_scenario(write(tmp_path, render_toml(original), f"{name}-kopie.toml"))
    assert copy.values == original.values
    assert copy.hash == original.hash
    assert copy.description == original.description


def test_the_hash_follows_the_parameters_not_the_description() -> None:
    base = from_mapping({}, name="a", source="<test>")
    described = from_mapping({"description": "anders beschreven"}, name="b", source="<test>")
    changed = base.with_values({"rvb.capacity": 3})
    assert described.hash == base.hash
    assert changed.hash != base.hash
    assert len(base.hash) == 64


def test_the_shipped_scenarios_differ_only_in_the_principles() -> None:
    trend, new, strict = (load_scenario(n) for n in SHIPPED)
    differing = {k for k in trend.values if not trend[k] == new[k] == strict[k]}
    assert differing == {
        "principles.applied",
        "principles.compliance",
        "principles.mr_follows_advice",
    }
    assert trend["principles.applied"] is False
    assert strict["principles.compliance"] == strict["principles.mr_follows_advice"] == 1.0


def test_assumptions_are_drawn_per_replication_and_chance_only_fixes_them(
    demo_baseline,
) -> None:
    import numpy as np

    from spreiding.simulation.montecarlo import project
    from spreiding.simulation.quantiles import randstad_share

    scenario = load_scenario("nieuwe-aanpak")
    assert "principles.compliance" in scenario.uncertainty
    both = project([scenario], demo_baseline, replications=40, years=5, seed=4)
    chance = project(
        [scenario.without_uncertainty()], demo_baseline, replications=40, years=5, seed=4
    )
    drawn = both.runs[0].drawn
    keys = sorted(scenario.uncertainty)
    distribution = scenario.uncertainty["principles.compliance"]
    low, high = distribution.low, distribution.high
    column = drawn[:, keys.index("principles.compliance")]
    assert column.min() >= low and column.max() <= high and column.std() > 0.1
    # parameter uncertainty widens the band of the share outside the Randstad
    spread = [
        np.subtract(*np.quantile(1 - randstad_share(p, p.runs[0])[:, -1], (0.95, 0.05)))
        for p in (both, chance)
    ]
    assert spread[0] > 1.5 * spread[1]
    # scenarios with the same ranges draw the same values: common random numbers
    trend = project([load_scenario("trend")], demo_baseline, replications=40, years=5, seed=4)
    shared = sorted(load_scenario("trend").uncertainty)
    for key in shared:
        assert np.array_equal(trend.runs[0].drawn[:, shared.index(key)], drawn[:, keys.index(key)])


def test_a_range_outside_the_keys_range_is_one_line_naming_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "fout.toml"
    path.write_text('[uncertainty]\n"principles.compliance" = [0.5, 1.5]\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        load_scenario(path)
    assert str(refused.value) == (
        f"{path}: uncertainty.principles.compliance = [0.5, 1.5] is out of range 0..1"
    )


@pytest.mark.parametrize("name", SHIPPED)
def test_every_assumption_of_a_shipped_scenario_has_a_distribution(name: str) -> None:
    from spreiding.simulation.parameters import assumed

    scenario = load_scenario(name)
    numeric = [k for k in assumed(scenario) if isinstance(scenario.values[k], int | float)]
    assert numeric and all(k in scenario.uncertainty for k in numeric)
    # and what is not numeric or not drawn is the scenario's choice
    rows = {r["key"]: r for r in parameter_rows(scenario)}
    assert rows["taakstelling.sectors"]["provenance"] == "keuze"
    if name == "strikt":  # full compliance is what strikt is about: fixed, not drawn
        assert rows["principles.compliance"]["provenance"] == "keuze"
        assert "principles.compliance" not in scenario.uncertainty


def test_distributions_other_than_uniform_are_drawn_by_their_quantiles(
    tmp_path: Path, demo_baseline
) -> None:
    from spreiding.simulation.montecarlo import project

    path = tmp_path / "verdeeld.toml"
    path.write_text(
        "[uncertainty]\n"
        '"principles.compliance" = { dist = "triangular", low = 0.4, mode = 0.9, high = 1.0 }\n'
        '"events.groei" = { dist = "loguniform", low = 5.0, high = 20.0 }\n'
        '"growth.sd" = { dist = "normal", mean = 0.01, sd = 0.002 }\n'
        '"lifecycle.days.consultation" = { dist = "triangular", low = 21, mode = 42, high = 84 }\n',
        encoding="utf-8",
    )
    scenario = load_scenario(path)
    assert scenario.uncertainty["growth.sd"].low == pytest.approx(0.004)
    run = project([scenario], demo_baseline, replications=60, years=2, seed=5).runs[0]
    keys = sorted(scenario.uncertainty)
    compliance = run.drawn[:, keys.index("principles.compliance")]
    assert compliance.min() >= 0.4 and compliance.max() <= 1.0
    assert np.median(compliance) > 0.7  # the mode at 0.9 pulls the draws up
    groei = run.drawn[:, keys.index("events.groei")]
    assert groei.min() >= 5.0 and groei.max() <= 20.0 and np.median(groei) < 12.5
    # the case walk's days are drawn too: the bijsluiter lists the distribution in words
    rows = {r["key"]: r for r in parameter_rows(scenario)}
    assert rows["lifecycle.days.consultation"]["distribution"] == "driehoek 21 – 42 – 84"
    assert rows["growth.sd"]["distribution"] == "normaal 0,01 ± 0,002 (sd)"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('{ dist = "beta", low = 0.1, high = 0.9 }', "dist must be one of uniform, loguniform"),
        ('{ dist = "triangular", low = 0.5, mode = 0.2, high = 0.9 }', "mode must lie between"),
        ('{ dist = "normal", mean = 0.5 }', "normal needs a number for sd"),
        ('{ dist = "loguniform", low = 0.0, high = 0.9 }', "a log-uniform needs low above 0"),
    ],
)
def test_a_bad_distribution_is_one_line_naming_file_and_key(
    tmp_path: Path, table: str, message: str
) -> None:
    path = tmp_path / "fout.toml"
    path.write_text(f'[uncertainty]\n"principles.compliance" = {table}\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        load_scenario(path)
    assert str(refused.value).startswith(f"{path}: uncertainty.principles.compliance = ")
    assert message in str(refused.value)
