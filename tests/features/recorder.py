"""The recorder of the living specification: a pytest plugin that notes what scenarios did.

It is registered once per session by ``tests/features/conftest.py`` (see :func:`install`)
and is global, so it sees scenarios in any test folder. While the session runs it records,
in a :class:`~spreiding.spec.coverage.Coverage`:

* **what the system fired**: a SQLAlchemy listener on the audit table (``CaseEvent``) notes
  every lifecycle event the store inserts while a scenario step runs, and keeps it only when
  the session commits. So the record is what the real service committed to the audit trail,
  whichever way a step reached it (service call or CLI), attributed to the feature file and
  line of the step that fired it;
* **every scenario test and its steps**: passed, failed, undefined (no step definition) or
  not run, from pytest-bdd's step hooks, and the test's outcome from pytest's own reports
  (setup and teardown included);
* **the Dutch labels steps name**: step arguments called ``toestand`` (a state) or ``stap``
  (an event), and data-table columns ``toestand`` and ``stap`` (and ``van``/``naar`` in a
  table with a ``stap`` column),
  read statically from every step of every collected scenario, so steps that never ran are
  checked too;
* **every scenario in ``features/``**, parsed from the files, so the gate can tell a
  complete run from a subset.

Tags in the feature files (``@principe-3``) name rules of the memo, not pytest markers: the
root ``tests/conftest.py`` takes them (``pytest_bdd_apply_tag``), so an unknown one does not
stop collection in any test folder; the memo gate reports it.

With ``SPREIDING_SPEC_COVERAGE=path`` the record is written to that file when the session
ends (``make spec`` does this for the HTML report). Every scenario test also gets the
``spec`` marker, so ``pytest -m spec`` runs exactly the living specification.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd.feature import get_features
from pytest_bdd.parser import ScenarioTemplate, Step
from pytest_bdd.scenario import scenario_wrapper_template_registry
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry
from sqlalchemy import event
from sqlalchemy.orm import Session, object_session

from spreiding.models.tables import CaseEvent
from spreiding.spec.coverage import (
    EVENT,
    STATE,
    Coverage,
    Firing,
    LabelUse,
    ScenarioRun,
    StepResult,
    scenario_key,
)

PLUGIN_NAME = "spreiding-spec-recorder"
COVERAGE_ENV = "SPREIDING_SPEC_COVERAGE"
ONLY_ENV = "SPREIDING_SPEC_ONLY"
"""A JSON file with the scenarios (feature, template, example) to run; the rest is deselected."""
SPEC_MARK = "spec"
FEATURES_DIR = "features"

STATE_ARGS = frozenset({"toestand"})
"""Step arguments that hold the Dutch label of a lifecycle state."""
EVENT_ARGS = frozenset({"stap"})
"""Step arguments that hold the Dutch label of a lifecycle event."""
STATE_COLUMNS = frozenset({"toestand"})
"""Data-table columns whose cells are state labels."""
TRANSITION_COLUMNS = frozenset({"van", "naar"})
"""Columns whose cells are state labels in a table that also has a ``stap`` column."""
EVENT_COLUMNS = frozenset({"stap"})
"""Data-table columns whose cells are event labels."""

_PENDING = "spreiding_spec_pending"
_EXAMPLE = "_pytest_bdd_example"
_BACKEND_FIXTURE = "spec_db"


def install(config: pytest.Config) -> SpecRecorder:
    """Register the recorder for this session (once; later calls return the same one)."""
    recorder = config.pluginmanager.get_plugin(PLUGIN_NAME)
    if recorder is None:
        config.addinivalue_line("markers", f"{SPEC_MARK}: a scenario of the living specification")
        recorder = SpecRecorder(config)
        config.pluginmanager.register(recorder, PLUGIN_NAME)
    return recorder


def get_recorder(config: pytest.Config) -> SpecRecorder:
    """The recorder of this session; it is installed by ``tests/features/conftest.py``."""
    recorder = config.pluginmanager.get_plugin(PLUGIN_NAME)
    if recorder is None:
        raise RuntimeError("the spec recorder is not installed (tests/features/conftest.py)")
    return recorder


def template_of(item: pytest.Item) -> ScenarioTemplate | None:
    """The feature scenario a test item runs, or None for an ordinary test."""
    function = getattr(item, "function", None)
    if function is None:
        return None
    return scenario_wrapper_template_registry.get(function)


def feature_scenarios(features_dir: Path) -> list[dict[str, Any]]:
    """Every scenario and example row in the feature files under ``features_dir``."""
    root = features_dir.parent
    expected: list[dict[str, Any]] = []
    files = [str(p) for p in sorted(features_dir.rglob("*.feature"))]
    for feature in get_features(files):
        rel = Path(feature.filename).relative_to(root).as_posix()
        for template in feature.scenarios.values():
            contexts = [c for examples in template.examples for c in examples.as_contexts()]
            for example in contexts or [None]:
                expected.append({"feature": rel, "template": template.name, "example": example})
    return expected


class SpecRecorder:
    """The pytest plugin object; one per session."""

    def __init__(self, config: pytest.Config) -> None:
        self.root = Path(config.rootpath)
        self.features_dir = self.root / FEATURES_DIR
        self.runs: dict[str, ScenarioRun] = {}
        self.meta: dict[str, ScenarioRun] = {}
        self.labels: set[LabelUse] = set()
        self.firings: list[Firing] = []
        self.current: ScenarioRun | None = None
        self.current_steps: list[Step] = []
        self.current_line: int = 0
        self.gate: Any = None  # the last Gate evaluated in this session, for the summary
        event.listen(CaseEvent, "after_insert", self._on_insert)
        event.listen(Session, "after_commit", self._on_commit)
        event.listen(Session, "after_rollback", self._on_rollback)

    # -- what the store committed --------------------------------------------------------

    def _on_insert(self, _mapper: Any, _connection: Any, row: CaseEvent) -> None:
        if self.current is None or row.source is None:  # outside a scenario, or a registration
            return
        session = object_session(row)
        if session is None:
            return
        feature, nodeid = self.current.feature, self.current.nodeid
        line = self.current_line or self.current.line
        firing = Firing(row.source, row.event, row.target, feature, line, nodeid)
        session.info.setdefault(_PENDING, []).append(firing)

    def _on_commit(self, session: Session) -> None:
        self.firings.extend(session.info.pop(_PENDING, []))

    def _on_rollback(self, session: Session) -> None:
        session.info.pop(_PENDING, None)

    # -- collection ----------------------------------------------------------------------------

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(
        self, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        """Mark every scenario test ``spec`` and note what it runs and which labels it names."""
        seen: set[tuple[str, str, tuple[tuple[str, str], ...]]] = set()
        for item in items:
            template = template_of(item)
            if template is None:
                continue
            item.add_marker(SPEC_MARK)
            run = self._describe(item, template)
            self.meta[item.nodeid] = run
            if run.key not in seen:
                seen.add(run.key)
                steps = template.render(run.example or {}).steps
                self.labels.update(label_uses(steps, run.feature))
        self._keep_only(config, items)

    def _keep_only(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        """With ``SPREIDING_SPEC_ONLY``, deselect every test but the scenarios it lists."""
        only = os.environ.get(ONLY_ENV)
        if not only:
            return
        wanted = {
            scenario_key(e["feature"], e["template"], e.get("example"))
            for e in json.loads(Path(only).read_text("utf-8"))
        }
        keep = [i for i in items if i.nodeid in self.meta and self.meta[i.nodeid].key in wanted]
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep

    def _describe(self, item: pytest.Item, template: ScenarioTemplate) -> ScenarioRun:
        params = getattr(item, "callspec", None)
        params = params.params if params is not None else {}
        example = params.get(_EXAMPLE) or None
        rendered = template.render(example or {})
        return ScenarioRun(
            nodeid=item.nodeid,
            feature=self._rel(template.feature.filename),
            template=template.name,
            name=rendered.name,
            line=template.line_number,
            example=dict(example) if example else None,
            backend=params.get(_BACKEND_FIXTURE),
            steps=[StepResult(s.keyword, s.name, s.line_number) for s in rendered.steps],
        )

    def _rel(self, filename: str) -> str:
        path = Path(filename)
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    # -- running -------------------------------------------------------------------------------

    def pytest_bdd_before_scenario(self, request: pytest.FixtureRequest, scenario: Any) -> None:
        """Start attributing fired transitions to this scenario."""
        self.current = self._run(request.node.nodeid) if request.node.nodeid in self.meta else None
        self.current_steps = list(scenario.steps)
        self.current_line = 0

    def pytest_bdd_after_scenario(self) -> None:
        """Stop attributing: later commits belong to no scenario."""
        self.current = None
        self.current_steps = []
        self.current_line = 0

    def pytest_bdd_before_step(self, step: Step) -> None:
        """Note the line of the step that runs now."""
        self.current_line = step.line_number

    def pytest_bdd_after_step(self, step: Step) -> None:
        """The step passed."""
        self._mark(step, "passed", None)

    def pytest_bdd_step_error(self, step: Step, exception: Exception) -> None:
        """The step failed."""
        self._mark(step, "failed", f"{type(exception).__name__}: {exception}")

    def pytest_bdd_step_func_lookup_error(self, step: Step, exception: Exception) -> None:
        """No step definition matches the step's text."""
        self._mark(step, "undefined", str(exception))

    def _mark(self, step: Step, status: str, error: str | None) -> None:
        if self.current is None:
            return
        for index, candidate in enumerate(self.current_steps):
            if candidate is step and index < len(self.current.steps):
                self.current.steps[index].status = status
                self.current.steps[index].error = error
                return

    def _run(self, nodeid: str) -> ScenarioRun:
        if nodeid not in self.runs:
            self.runs[nodeid] = self.meta[nodeid]
        return self.runs[nodeid]

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Keep pytest's own outcome of each scenario test (setup and teardown included)."""
        if report.nodeid not in self.meta:
            return
        run = self._run(report.nodeid)
        if report.failed:
            run.outcome = "failed"
        elif report.skipped and run.outcome == "not run":
            run.outcome = "skipped"
        elif report.when == "call" and report.passed and run.outcome == "not run":
            run.outcome = "passed"

    # -- results ---------------------------------------------------------------------------------

    def coverage(self) -> Coverage:
        """What this session recorded so far, with every scenario of ``features/``."""
        return Coverage(
            scenarios=list(self.runs.values()),
            firings=list(self.firings),
            labels=sorted(self.labels, key=lambda u: (u.feature, u.line, u.kind, u.label)),
            expected=feature_scenarios(self.features_dir),
        )

    def pytest_sessionfinish(self) -> None:
        """Write the record when ``SPREIDING_SPEC_COVERAGE`` names a file."""
        target = os.environ.get(COVERAGE_ENV)
        if target and self.meta:
            self.coverage().dump(Path(target))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Print the transition matrix when the gate ran in this session."""
        if self.gate is None:
            return
        terminalreporter.section("levende specificatie: transitiematrix")
        terminalreporter.write_line(self.gate.matrix_text())
        for problem in self.gate.problems():
            terminalreporter.write_line(f"GATE: {problem}", red=True)

    def pytest_unconfigure(self) -> None:
        """Remove the SQLAlchemy listeners."""
        event.remove(CaseEvent, "after_insert", self._on_insert)
        event.remove(Session, "after_commit", self._on_commit)
        event.remove(Session, "after_rollback", self._on_rollback)


# -- labels named by steps ---------------------------------------------------------------------


def _definitions(step: Step) -> Iterator[StepFunctionContext]:
    for context in list(step_function_context_registry.values()):
        if context.type in (None, step.type) and context.parser.is_matching(step.name):
            yield context


def _table_labels(step: Step) -> Iterator[tuple[str, str]]:
    if step.datatable is None:
        return
    header, *rows = step.datatable.raw()
    states = STATE_COLUMNS | (TRANSITION_COLUMNS if EVENT_COLUMNS & set(header) else set())
    for column, name in enumerate(header):
        kind = STATE if name in states else EVENT if name in EVENT_COLUMNS else None
        if kind is None:
            continue
        for row in rows:
            if column < len(row) and row[column].strip():
                yield kind, row[column].strip()


_PLACEHOLDER = re.compile(r"<[^<>]+>")


def label_uses(steps: Iterable[Step], feature: str) -> set[LabelUse]:
    """The states and events that ``steps`` name, as their step definitions read them."""
    uses: set[LabelUse] = set()
    for step in steps:
        for kind, label in _table_labels(step):
            uses.add(LabelUse(kind, label, feature, step.line_number))
        for context in _definitions(step):
            arguments = context.parser.parse_arguments(step.name) or {}
            for name, value in arguments.items():
                kind = STATE if name in STATE_ARGS else EVENT if name in EVENT_ARGS else None
                if kind is not None and isinstance(value, str) and not _PLACEHOLDER.search(value):
                    uses.add(LabelUse(kind, value.strip(), feature, step.line_number))
    return uses
