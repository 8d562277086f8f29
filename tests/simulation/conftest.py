"""Shared fixtures of the simulation tests: the demo baseline and a small projection.

The demo database is built once per session (about a second) in a folder of its own; most
tests need only the :class:`Baseline` read from it, not a database per test. Tests of the
store and the CLI use the ``demo_db`` fixture of ``tests/conftest.py`` instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from spreiding.core.settings import DEFAULT_RANDSTAD
from spreiding.flows.start import load_start
from spreiding.models.db import make_engine
from spreiding.models.loading import init_database
from spreiding.simulation.baseline import Baseline
from spreiding.simulation.parameters import Scenario, from_mapping, load_scenario

QUIET: dict[str, Any] = {
    # No autonomous change and no taakstelling: only the plans move fte.
    "growth.source": "aanname",
    # and the principles act from the demo's start (1-1-2023), not only from May 2024
    "principles.from": "2023-01-01",
    **{f"growth.{s}": 0.0 for s in ("ministeries", "politie", "rechtspraak")},
    **{f"growth.{s}": 0.0 for s in ("gevangeniswezen", "defensie", "zbo")},
    "growth.sd": 0.0,
    "growth.common_sd": 0.0,
    "taakstelling.rate": 0.0,
    **{f"events.{k}": 0.0 for k in ("groei", "krimp", "nieuw", "hervestiging")},
}
"""Overrides that leave a scenario with nothing but the plans a test switches on."""


def scenario_with(base: str | Scenario, changes: Mapping[str, Any], name: str) -> Scenario:
    """A validated variant of a shipped scenario (or of ``base``) with ``changes``, every
    assumption fixed at its value (the tests of a mechanism want no parameter draws)."""
    scenario = load_scenario(base) if isinstance(base, str) else base
    return scenario.with_values(dict(changes), name=name).without_uncertainty()


def defaults(name: str = "standaard") -> Scenario:
    """The scenario with every default value."""
    return from_mapping({}, name=name, source="<defaults>")


@pytest.fixture(scope="session")
def demo_baseline(tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    """The start of every projection on the synthetic demo set (peildatum 1-1-2023).

    Read from the store the way ``spreiding simulate`` reads it (the simulation itself never
    reads the store).
    """
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('sim-demo') / 'demo.db'}")
    try:
        init_database(engine, with_demo=True)
        return load_start(engine, randstad=DEFAULT_RANDSTAD)
    finally:
        engine.dispose()
