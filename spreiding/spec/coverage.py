"""Which lifecycle transitions the living specification exercises, and the gate on it.

The Dutch feature files in ``features/`` run as tests against the real store and the real
:class:`~spreiding.statemachine.chart.CaseLifecycle`. While they run, a recorder (a pytest
plugin in ``tests/features/recorder.py``) notes every transition the system really fired,
taken from the audit events the store committed, together with the feature file and the
line of the step that fired it. It also notes every state and event that a step names by
its Dutch label. This module holds that record (:class:`Coverage`, stored as JSON) and the
pure rules over it:

* :func:`evaluate` is **the gate**: every event of the machine is fired by at least one
  passing scenario, every transition (source, event, target) too, every label a scenario
  names exists in the machine, and every scenario in the feature files has run. A
  transition added to the chart without a scenario, or a label renamed on one side only,
  fails it.
* :func:`matrix` is the transition matrix: each transition with the ``feature:line``
  places that exercise it, for the gate's message and for the HTML report
  (:mod:`spreiding.spec.report`).

Only transitions fired by **passing** scenarios count: a scenario that failed half-way
proves nothing about the steps after the failure.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from statemachine import StateChart

from spreiding.statemachine.chart import CaseLifecycle, transitions

FORMAT_VERSION = 1
STATE, EVENT = "state", "event"
PASSED = "passed"
MAX_PLACES = 6
"""How many ``feature:line`` places the text matrix shows per transition."""

Transition = tuple[str, str, str]
"""(source state id, event id, target state id)."""


@dataclass(frozen=True, slots=True)
class Firing:
    """One transition the system fired while a scenario ran, and the step that fired it."""

    source: str
    event: str
    target: str
    feature: str
    line: int
    nodeid: str

    @property
    def transition(self) -> Transition:
        """The (source, event, target) triple."""
        return (self.source, self.event, self.target)

    @property
    def place(self) -> str:
        """``file.feature:line`` of the step, for people."""
        return f"{Path(self.feature).name}:{self.line}"


@dataclass(frozen=True, slots=True)
class LabelUse:
    """A state or event that a step names by its Dutch label."""

    kind: str  # STATE or EVENT
    label: str
    feature: str
    line: int

    @property
    def place(self) -> str:
        """``file.feature:line`` of the step, for people."""
        return f"{Path(self.feature).name}:{self.line}"


@dataclass(slots=True)
class StepResult:
    """One step of one scenario run: its text and what happened to it."""

    keyword: str
    text: str
    line: int
    status: str = "not run"  # passed, failed, undefined, not run
    error: str | None = None


@dataclass(slots=True)
class ScenarioRun:
    """One test of a scenario (one example row, one database backend) and its outcome."""

    nodeid: str
    feature: str
    template: str
    name: str
    line: int
    example: dict[str, str] | None
    backend: str | None
    outcome: str = "not run"  # passed, failed, skipped, not run
    steps: list[StepResult] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, tuple[tuple[str, str], ...]]:
        """What identifies the scenario (and example row) across backends."""
        return scenario_key(self.feature, self.template, self.example)


def _label_order(use: LabelUse) -> tuple[str, int, str, str]:
    return (use.feature, use.line, use.kind, use.label)


def scenario_key(
    feature: str, template: str, example: Mapping[str, str] | None
) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """The identity of a scenario or example row: feature file, scenario, example values."""
    return (feature, template, tuple(sorted((example or {}).items())))


@dataclass(slots=True)
class Coverage:
    """What one test session recorded: the runs, the fired transitions, the labels named."""

    scenarios: list[ScenarioRun] = field(default_factory=list)
    firings: list[Firing] = field(default_factory=list)
    labels: list[LabelUse] = field(default_factory=list)
    expected: list[dict[str, Any]] = field(default_factory=list)
    """Every scenario (and example row) in the feature files: feature, template, example."""

    def passed_nodeids(self) -> set[str]:
        """The tests whose outcome was passed."""
        return {run.nodeid for run in self.scenarios if run.outcome == PASSED}

    def unrun_scenarios(self) -> list[dict[str, Any]]:
        """The expected scenarios (and rows) no test tried: not bound to a test, or deselected.

        A skipped test counts as tried: pytest reports it, and its labels are checked all
        the same; it fires nothing, so the matrix shows what it leaves uncovered.
        """
        ran = {run.key for run in self.scenarios if run.outcome != "not run"}
        return [
            e
            for e in self.expected
            if scenario_key(e["feature"], e["template"], e.get("example")) not in ran
        ]

    def unrun(self) -> list[str]:
        """:meth:`unrun_scenarios` in words, one line each."""
        lines = []
        for e in self.unrun_scenarios():
            row = ", ".join(f"{k}={v}" for k, v in (e.get("example") or {}).items())
            lines.append(f"{e['feature']}: {e['template']}" + (f" [{row}]" if row else ""))
        return lines

    def merged(self, other: Coverage) -> Coverage:
        """This record together with ``other`` (e.g. the scenarios a subprocess ran)."""
        labels = sorted(set(self.labels) | set(other.labels), key=_label_order)
        return Coverage(
            scenarios=[*self.scenarios, *other.scenarios],
            firings=[*self.firings, *other.firings],
            labels=labels,
            expected=self.expected or other.expected,
        )

    def to_json(self) -> dict[str, Any]:
        """The record as plain JSON data."""
        return {
            "version": FORMAT_VERSION,
            "scenarios": [asdict(s) for s in self.scenarios],
            "firings": [asdict(f) for f in self.firings],
            "labels": [asdict(u) for u in self.labels],
            "expected": list(self.expected),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Coverage:
        """Read a record written by :meth:`to_json`; another format version is refused."""
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(
                f"coverage format version {data.get('version')!r} is not {FORMAT_VERSION}"
            )
        runs = [
            ScenarioRun(**{**s, "steps": [StepResult(**st) for st in s["steps"]]})
            for s in data["scenarios"]
        ]
        return cls(
            scenarios=runs,
            firings=[Firing(**f) for f in data["firings"]],
            labels=[LabelUse(**u) for u in data["labels"]],
            expected=list(data.get("expected", [])),
        )

    def dump(self, path: Path) -> None:
        """Write the record to ``path`` (its folder is created)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1), "utf-8")

    @classmethod
    def load(cls, path: Path) -> Coverage:
        """Read a record written by :meth:`dump`."""
        return cls.from_json(json.loads(path.read_text("utf-8")))


# -- the machine's vocabulary ----------------------------------------------------------------


def machine_transitions(machine: type[StateChart] = CaseLifecycle) -> list[Transition]:
    """Every transition of ``machine`` as (source, event, target), in the chart's order."""
    return list(dict.fromkeys((s, e, t) for s, t, e, _g in transitions(machine)))


def state_labels(machine: type[StateChart] = CaseLifecycle) -> dict[str, str]:
    """State id -> Dutch label."""
    return {s.id: str(s.name) for s in machine.states}


def event_labels(machine: type[StateChart] = CaseLifecycle) -> dict[str, str]:
    """Event id -> Dutch label."""
    return {e.id: str(e.name) for e in machine.events}


# -- the matrix and the gate -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MatrixRow:
    """One transition of the machine and the places in the features that exercise it."""

    source: str
    event: str
    target: str
    source_label: str
    event_label: str
    target_label: str
    places: tuple[str, ...]

    @property
    def covered(self) -> bool:
        """Whether at least one passing scenario fired this transition."""
        return bool(self.places)

    def text(self) -> str:
        """One line: ``Van --Gebeurtenis--> Naar  file:line, ...`` or ``NIET GEDEKT``."""
        head = f"{self.source_label} --{self.event_label}--> {self.target_label}"
        if not self.places:
            return f"{head}  NIET GEDEKT ({self.source} -{self.event}-> {self.target})"
        shown = ", ".join(self.places[:MAX_PLACES])
        more = len(self.places) - MAX_PLACES
        return f"{head}  {shown}" + (f" (+{more})" if more > 0 else "")


def _places_by_transition(coverage: Coverage) -> dict[Transition, list[str]]:
    passed = coverage.passed_nodeids()
    places: dict[Transition, list[str]] = {}
    for firing in coverage.firings:
        if firing.nodeid in passed:
            places.setdefault(firing.transition, []).append(firing.place)
    return {t: sorted(set(p), key=_place_order) for t, p in places.items()}


def _place_order(place: str) -> tuple[str, int]:
    name, _, line = place.rpartition(":")
    return (name, int(line) if line.isdigit() else 0)


def matrix(coverage: Coverage, machine: type[StateChart] = CaseLifecycle) -> list[MatrixRow]:
    """Each transition of ``machine`` with the places of the passing steps that fired it."""
    places = _places_by_transition(coverage)
    states, events = state_labels(machine), event_labels(machine)
    return [
        MatrixRow(s, e, t, states[s], events[e], states[t], tuple(places.get((s, e, t), ())))
        for s, e, t in machine_transitions(machine)
    ]


@dataclass(frozen=True, slots=True)
class Gate:
    """The verdict of the gate; :attr:`ok` is what fails the build."""

    rows: tuple[MatrixRow, ...]
    missing_events: tuple[str, ...]
    unknown_labels: tuple[LabelUse, ...]
    unrun: tuple[str, ...]
    failed: tuple[str, ...]
    event_labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def missing_event_labels(self) -> tuple[str, ...]:
        """The Dutch labels of :attr:`missing_events`."""
        return tuple(self.event_labels.get(e, e) for e in self.missing_events)

    @property
    def missing_transitions(self) -> tuple[MatrixRow, ...]:
        """The transitions no passing scenario fired."""
        return tuple(row for row in self.rows if not row.covered)

    @property
    def ok(self) -> bool:
        """Every event and transition exercised, every label known, every scenario run."""
        return not (
            self.missing_events or self.missing_transitions or self.unknown_labels or self.unrun
        )

    def matrix_text(self) -> str:
        """The transition matrix, one transition a line."""
        covered = sum(row.covered for row in self.rows)
        head = f"Transitiematrix: {covered} van {len(self.rows)} overgangen gedekt"
        return "\n".join([head, *(f"  {row.text()}" for row in self.rows)])

    def problems(self) -> list[str]:
        """What is wrong, one line each (empty when :attr:`ok`)."""
        lines = [f"event without a passing scenario: {e}" for e in self.missing_events]
        lines += [
            f"transition without a passing scenario: {r.source_label} --{r.event_label}--> "
            f"{r.target_label} ({r.source} -{r.event}-> {r.target})"
            for r in self.missing_transitions
        ]
        lines += [
            f"{u.place}: the {u.kind} {u.label!r} named by a step is not in the lifecycle"
            for u in self.unknown_labels
        ]
        lines += [f"scenario in the features that no test ran: {s}" for s in self.unrun]
        if lines and self.failed:
            lines.append(f"({len(self.failed)} scenario test(s) failed; fix those first)")
        return lines


def unknown_labels(
    uses: Iterable[LabelUse], machine: type[StateChart] = CaseLifecycle
) -> list[LabelUse]:
    """The label uses that name no state (or no event) of ``machine``."""
    known = {STATE: set(state_labels(machine).values()), EVENT: set(event_labels(machine).values())}
    return sorted(
        {u for u in uses if u.label not in known.get(u.kind, set())},
        key=lambda u: (u.feature, u.line, u.label),
    )


def evaluate(coverage: Coverage, machine: type[StateChart] = CaseLifecycle) -> Gate:
    """Apply the gate to what a session recorded, for ``machine`` (default: the real one)."""
    rows = tuple(matrix(coverage, machine))
    fired_events = {row.event for row in rows if row.covered}
    missing_events = tuple(e for e in event_labels(machine) if e not in fired_events)
    failed = tuple(run.nodeid for run in coverage.scenarios if run.outcome == "failed")
    return Gate(
        rows=rows,
        missing_events=missing_events,
        unknown_labels=tuple(unknown_labels(coverage.labels, machine)),
        unrun=tuple(coverage.unrun()),
        failed=failed,
        event_labels=event_labels(machine),
    )
