"""The simulation reads the lifecycle's rules instead of retyping them, and never the store.

* the scope threshold comes from the rule set (:mod:`spreiding.statemachine.rules`);
* the exemptions are one per consideration of the rules, in their order;
* the mean days per state start from the service norms (working days -> calendar days);
* no module of :mod:`spreiding.simulation` imports the store (``spreiding.models``,
  SQLAlchemy, SQLModel), not even inside a function.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import spreiding.simulation
from spreiding.core.settings import ServiceNorms
from spreiding.simulation.baseline import Baseline
from spreiding.simulation.lifecycle import DEFAULT_STATE_DAYS, SUSPENDED_DAYS
from spreiding.simulation.model import STATS, ModelConfig, run_replication
from spreiding.simulation.montecarlo import walk_for
from spreiding.simulation.parameters import registry
from spreiding.statemachine.chart import ACTIVE_STATES
from spreiding.statemachine.rules import CONSIDERATIONS, CURRENT_RULESET
from tests.simulation.conftest import QUIET, scenario_with

FORBIDDEN = ("spreiding.models", "sqlalchemy", "sqlmodel")
PACKAGE = Path(spreiding.simulation.__file__).parent


def _outcomes(baseline: Baseline, threshold: int) -> dict[str, float]:
    """How simulated krimp cases end under a scope rule with ``threshold``."""
    scenario = scenario_with("nieuwe-aanpak", {**QUIET, "events.krimp": 40.0}, "krimp")
    ruleset = replace(CURRENT_RULESET, version="test", threshold_fte=threshold)
    config = ModelConfig.build(scenario.values, baseline, walk_for(scenario), 3, ruleset)
    total = sum(run_replication(config, 1, i).stats for i in range(5))
    return dict(zip(STATS, total, strict=True))


def test_the_scope_threshold_is_the_rule_sets(demo_baseline: Baseline) -> None:
    scenario = scenario_with("trend", {}, "trend")
    config = ModelConfig.build(scenario.values, demo_baseline, walk_for(scenario), 2)
    assert config.threshold == CURRENT_RULESET.threshold_fte
    # A plan is drawn at the threshold or above, so with today's rule most cases are screened
    # in and decided; with a rule that puts the threshold above every organisation's size, a
    # krimp case (at most the organisation's fte) is never in scope, so none is decided.
    today = _outcomes(demo_baseline, CURRENT_RULESET.threshold_fte)
    assert today["decided_agreement"] + today["decided_mr"] > today["out_of_scope"]
    huge = _outcomes(demo_baseline, 10**9)
    assert huge["cases"] > 0
    assert huge["decided_agreement"] + huge["decided_mr"] == 0
    assert huge["out_of_scope"] > 0


def test_there_is_one_exemption_per_consideration_in_the_rules_order() -> None:
    keys = [k.removeprefix("exemptions.") for k in registry() if k.startswith("exemptions.")]
    assert keys == list(CONSIDERATIONS)


def test_the_mean_days_per_state_are_the_service_norms_in_calendar_days() -> None:
    norms = ServiceNorms()
    for state in ACTIVE_STATES:
        norm = norms.for_state(state)
        expected = SUSPENDED_DAYS if norm is None else norm * 7 / 5
        assert DEFAULT_STATE_DAYS[state] == expected, state
        assert registry()[f"lifecycle.days.{state}"].default == expected, state


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_no_simulation_module_imports_the_store_even_inside_a_function() -> None:
    found = {
        f"{path.name}: {name}"
        for path in sorted(PACKAGE.glob("*.py"))
        for name in _imports(path)
        if name.startswith(FORBIDDEN)
    }
    assert found == set()


def test_importing_every_simulation_module_loads_no_store() -> None:
    modules = sorted(f"spreiding.simulation.{p.stem}" for p in PACKAGE.glob("*.py"))
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.startswith({FORBIDDEN!r})))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
