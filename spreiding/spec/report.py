"""The living specification as one HTML page for policy owners: ``build/spec/index.html``.

Run after the feature tests (``make spec``)::

    python -m spreiding.spec.report --features features \\
        --cucumber build/spec/cucumber.json --junit build/spec/junit.xml \\
        --coverage build/spec/coverage.json --out build/spec/index.html

The page shows every feature file in Dutch with its scenarios and steps, each step green
(geslaagd), red (mislukt, or *niet uitgewerkt* when no step definition exists) or grey
(niet uitgevoerd), the transition matrix of the lifecycle with the scenarios that exercise
each transition, the gate's verdict, and the lifecycle diagram (inline SVG drawn by
Graphviz; without Graphviz its Mermaid text). It is self-contained: no scripts, fonts or
styles from elsewhere, so it works offline and prints (A4, a feature per page).

Where the results come from, and why three sources:

* the **feature files** give the text: every scenario is shown, also one that never ran;
* **pytest's own outcome** (JUnit XML) decides pass or fail per test, setup and teardown
  included. A scenario is green only if pytest says it passed;
* the steps' results come from the spec recorder (``--coverage``, written by
  ``tests/features/recorder.py``), which also knows undefined steps, and otherwise from
  the cucumber JSON of pytest-bdd, which leaves an undefined step out (then the JUnit
  message "Step definition is not found ... Line N" marks it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from pytest_bdd.parser import Feature, FeatureParser, ScenarioTemplate, Step

from spreiding.core import templates
from spreiding.core.dutch import date_text
from spreiding.core.errors import InvalidInput
from spreiding.spec import memo
from spreiding.spec.coverage import Coverage, Gate, ScenarioRun, StepResult, evaluate

PASSED, FAILED, UNDEFINED, SKIPPED, NOT_RUN = "passed", "failed", "undefined", "skipped", "not run"
STATUS_LABELS = {
    PASSED: "geslaagd",
    FAILED: "mislukt",
    UNDEFINED: "niet uitgewerkt",
    SKIPPED: "overgeslagen",
    NOT_RUN: "niet uitgevoerd",
}
"""The Dutch word for each status, as the page shows it."""
BACKEND_LABELS = {"sqlite": "bestandsdatabase", "postgresql": "serverdatabase"}
"""The databases in the reader's words; :data:`BACKEND_NAMES` in the technical appendix."""
BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
_SEVERITY = (FAILED, UNDEFINED, PASSED, SKIPPED, NOT_RUN)
_UNDEFINED_LINE = re.compile(r"Step definition is not found: .*?Line (\d+) in scenario", re.S)


def worst(statuses: Iterable[str]) -> str:
    """One status for many: failed or undefined wins, then passed, then skipped, then not run."""
    found = set(statuses)
    return next((s for s in _SEVERITY if s in found), NOT_RUN)


# -- reading the results -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    """Pytest's outcome of one test (from JUnit XML) and its short message."""

    status: str
    message: str = ""


def read_junit(path: Path) -> dict[tuple[str, str], Outcome]:
    """Each test case as (classname, name) -> its outcome."""
    outcomes: dict[tuple[str, str], Outcome] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        status, message = PASSED, ""
        for child in case:
            if child.tag in ("failure", "error"):
                status = FAILED
                message = child.get("message") or (child.text or "")
                break
            if child.tag == "skipped":
                status, message = SKIPPED, child.get("message") or ""
        outcomes[(case.get("classname", ""), case.get("name", ""))] = Outcome(status, message)
    return outcomes


def junit_key(nodeid: str) -> tuple[str, str]:
    """The JUnit (classname, name) of a pytest node id."""
    path, *parts = nodeid.split("::")
    module = path.removesuffix(".py").replace("/", ".")
    return (".".join([module, *parts[:-1]]), parts[-1] if parts else "")


def runs_from_cucumber(data: Sequence[dict[str, Any]]) -> list[ScenarioRun]:
    """Scenario runs read from pytest-bdd's cucumber JSON (no example values, no node id).

    Cucumber marks every step after a failure as failed too; here they are "not run".
    """
    runs = []
    for feature in data:
        for element in feature.get("elements", []):
            steps, stopped = [], False
            for step in element.get("steps", []):
                status = NOT_RUN if stopped else step["result"]["status"]
                stopped = stopped or status != PASSED
                error = step["result"].get("error_message") or None
                steps.append(StepResult(step["keyword"], step["name"], step["line"], status, error))
            runs.append(
                ScenarioRun(
                    nodeid=f"::{element['id']}",
                    feature=feature["uri"],
                    template="",
                    name=element["name"],
                    line=element["line"],
                    example=None,
                    backend=_backend_of(element["id"]),
                    outcome=FAILED if stopped else PASSED,
                    steps=steps,
                )
            )
    return runs


def _backend_of(test_name: str) -> str | None:
    params = test_name.partition("[")[2].rstrip("]").split("-")
    return next((p for p in params if p in BACKEND_LABELS), None)


# -- what the page shows ---------------------------------------------------------------------


@dataclass(slots=True)
class StepView:
    """One step of a scenario as shown: its words, table, and status over all its runs."""

    keyword: str
    text: str
    line: int
    status: str = NOT_RUN
    errors: list[str] = field(default_factory=list)
    table: list[list[str]] | None = None


@dataclass(slots=True)
class RowView:
    """One example row of an Abstract Scenario and how it did on each database."""

    values: list[str]
    status: str
    backends: dict[str, str]
    errors: list[str]


@dataclass(slots=True)
class ExamplesView:
    """One Voorbeelden table."""

    name: str
    header: list[str]
    rows: list[RowView]


@dataclass(slots=True)
class ScenarioView:
    """One scenario (or Abstract Scenario) with its steps and example rows."""

    keyword: str
    name: str
    line: int
    description: str
    status: str
    backends: dict[str, str]
    steps: list[StepView]
    examples: list[ExamplesView]
    errors: list[str]
    anchor: str
    tags: frozenset[str] = frozenset()

    @property
    def title(self) -> str:
        """The name as plain words: an outline's ``<column>`` becomes the column's name."""
        return _PLACEHOLDER_TEXT.sub(r"\1", self.name)


@dataclass(slots=True)
class FeatureView:
    """One feature file."""

    keyword: str
    name: str
    file: str
    description: str
    background: list[StepView]
    scenarios: list[ScenarioView]
    anchor: str

    @property
    def status(self) -> str:
        """The worst status of its scenarios."""
        return worst(s.status for s in self.scenarios)

    def count(self, status: str) -> int:
        """How many of its scenarios have ``status``."""
        return sum(s.status == status for s in self.scenarios)


COVERED, NO_EXAMPLE = "covered", "no example"
RULE_STATUS_LABELS = {
    COVERED: "gedekt",
    FAILED: "mislukt",
    NOT_RUN: "niet uitgevoerd",
    NO_EXAMPLE: "nog geen voorbeeld",
}
"""The Dutch words for a memo rule's status in the matrix."""


@dataclass(slots=True)
class RuleRow:
    """One rule of the memo and the scenarios that illustrate it, with their results."""

    rule: memo.MemoRule
    scenarios: list[tuple[FeatureView, ScenarioView]]

    @property
    def status(self) -> str:
        """Covered when every scenario passed; failed when one failed; else not run or none."""
        if not self.scenarios:
            return NO_EXAMPLE
        found = worst(s.status for _f, s in self.scenarios)
        if found in (FAILED, UNDEFINED):
            return FAILED
        if all(s.status == PASSED for _f, s in self.scenarios):
            return COVERED
        return NOT_RUN


def rule_rows(rules: Sequence[memo.MemoRule], features: Sequence[FeatureView]) -> list[RuleRow]:
    """The memo matrix: each rule with the scenarios tagged with it, in reading order."""
    return [
        RuleRow(rule, [(f, s) for f in features for s in f.scenarios if rule.id in s.tags])
        for rule in rules
    ]


@dataclass(slots=True)
class Report:
    """Everything the template needs."""

    features: list[FeatureView]
    gate: Gate
    coverage_measured: bool
    diagram_svg: Markup | None
    diagram_text: str | None
    generated: str
    sources: list[str]
    memo_gate: memo.MemoGate | None = None
    rules: list[RuleRow] = field(default_factory=list)
    runs: list[ScenarioRun] = field(default_factory=list)
    transitions: list[tuple[Any, list[ScenarioView]]] = field(default_factory=list)
    """Each row of the transition matrix with the scenarios (passing) that fired it."""
    unrun: list[str] = field(default_factory=list)
    """The scenarios no test tried, in words (feature and scenario names, example values)."""
    label_features: dict[str, str] = field(default_factory=dict)
    """Feature file (as the recorder names it) -> the feature's name, for the gate's words."""

    def backend_counts(self) -> list[tuple[str, str, dict[str, int]]]:
        """Per database (reader's label, technical name): how many runs had each result."""
        found: dict[str, dict[str, int]] = {}
        for run in self.runs:
            if run.backend:
                counts = found.setdefault(run.backend, {})
                status = _run_status(run)
                counts[status] = counts.get(status, 0) + 1
        order = [*BACKEND_LABELS, *sorted(found)]
        return [
            (BACKEND_LABELS.get(b, b), BACKEND_NAMES.get(b, b), found[b])
            for b in sorted(found, key=order.index)
        ]

    @property
    def backends_run(self) -> list[str]:
        """The databases on which at least one run was not skipped (reader's labels)."""
        return [
            label
            for label, _name, counts in self.backend_counts()
            if any(n for status, n in counts.items() if status not in (SKIPPED, NOT_RUN))
        ]

    @property
    def skipped_runs(self) -> int:
        """How many runs (one scenario or example row on one database) were skipped."""
        return sum(_run_status(run) == SKIPPED for run in self.runs)

    @property
    def rule_groups(self) -> list[tuple[str, list[RuleRow]]]:
        """The matrix rows under their headings, in the list's order."""
        groups: dict[str, list[RuleRow]] = {}
        for row in self.rules:
            groups.setdefault(row.rule.group, []).append(row)
        return list(groups.items())

    def rule_count(self, status: str) -> int:
        """How many rules of the memo have ``status`` in the matrix."""
        return sum(row.status == status for row in self.rules)

    @property
    def scenarios(self) -> list[ScenarioView]:
        """All scenarios of all features."""
        return [s for f in self.features for s in f.scenarios]

    def count(self, status: str) -> int:
        """How many scenarios have ``status``."""
        return sum(s.status == status for s in self.scenarios)


def _table(step: Step) -> list[list[str]] | None:
    return step.datatable.raw() if step.datatable is not None else None


def _step_views(steps: Sequence[Step], runs: Sequence[ScenarioRun], offset: int) -> list[StepView]:
    views = []
    for index, step in enumerate(steps, start=offset):
        results = [run.steps[index] for run in runs if index < len(run.steps)]
        errors = sorted(
            {UNDEFINED_TEXT if r.status == UNDEFINED else r.error for r in results if _err(r)}
        )
        status = worst(r.status for r in results) if results else NOT_RUN
        if status in (SKIPPED,):
            status = NOT_RUN
        views.append(
            StepView(
                step.keyword.strip(), step.name, step.line_number, status, errors, _table(step)
            )
        )
    return views


UNDEFINED_TEXT = "er is nog geen stapdefinitie voor deze tekst: de stap is niet als test uitgewerkt"


def _err(result: StepResult) -> bool:
    return result.status == UNDEFINED or bool(result.error and result.status != PASSED)


def _run_status(run: ScenarioRun) -> str:
    """Failed if pytest or any step says so; undefined if a step has no definition."""
    steps = {s.status for s in run.steps}
    if FAILED in steps or (run.outcome == FAILED and UNDEFINED not in steps):
        return FAILED
    if UNDEFINED in steps:
        return UNDEFINED
    return run.outcome if run.outcome in (PASSED, SKIPPED) else NOT_RUN


def _backends(runs: Iterable[ScenarioRun]) -> dict[str, str]:
    found: dict[str, list[str]] = {}
    for run in runs:
        if run.backend:
            found.setdefault(run.backend, []).append(_run_status(run))
    return {BACKEND_LABELS.get(b, b): worst(s) for b, s in sorted(found.items())}


def _row_views(template: ScenarioTemplate, runs: Sequence[ScenarioRun]) -> list[ExamplesView]:
    views = []
    for examples in template.examples:
        rows = []
        for context, values in zip(examples.as_contexts(), examples.examples, strict=True):
            mine = [r for r in runs if r.example == context]
            statuses = [_run_status(r) for r in mine]
            errors = sorted({e for r in mine for e in _errors(r)})
            rows.append(RowView(list(values), worst(statuses), _backends(mine), errors))
        views.append(ExamplesView(examples.name or "", list(examples.example_params), rows))
    return views


def _errors(run: ScenarioRun) -> list[str]:
    errors = [
        UNDEFINED_TEXT if s.status == UNDEFINED else str(s.error) for s in run.steps if _err(s)
    ]
    if run.outcome == FAILED and not errors:
        errors.append("de test is mislukt buiten de stappen (de technische uitvoer zegt waarom)")
    return errors


def _scenario_view(
    template: ScenarioTemplate,
    runs: Sequence[ScenarioRun],
    background: int,
    anchor: str,
    tags: frozenset[str] = frozenset(),
) -> ScenarioView:
    steps = template.steps[background:]
    statuses = [_run_status(r) for r in runs]
    status = worst(statuses) if runs else NOT_RUN
    errors = [] if template.templated else sorted({e for r in runs for e in _errors(r)})
    return ScenarioView(
        keyword=template.keyword,
        name=template.name,
        line=template.line_number,
        description=template.description or "",
        status=status,
        backends=_backends(runs),
        steps=_step_views(steps, runs, background),
        examples=_row_views(template, runs) if template.templated else [],
        errors=errors,
        anchor=anchor,
        tags=tags,
    )


def parse_feature(path: Path) -> Feature:
    """A feature file as pytest-bdd reads it (Dutch keywords included)."""
    return FeatureParser(str(path.parent), path.name).parse()


def bind(features: Sequence[Feature], run: ScenarioRun) -> bool:
    """Tie a run to its scenario: name, example row, and every step (missing ones not run).

    A run from cucumber JSON names its scenario only by line and lists only the steps that
    ran; its example row is found by the words of its rendered steps.
    """
    for feature in features:
        if Path(run.feature).name != Path(feature.filename).name:
            continue
        for template in feature.scenarios.values():
            if template.name == run.template or (
                not run.template and template.line_number == run.line
            ):
                run.template = template.name
                _bind_example(template, run)
                rendered = template.render(run.example or {}).steps
                run.steps += [
                    StepResult(s.keyword, s.name, s.line_number) for s in rendered[len(run.steps) :]
                ]
                return True
    return False


def _bind_example(template: ScenarioTemplate, run: ScenarioRun) -> None:
    if run.example is not None or not template.templated:
        return
    texts = [s.text for s in run.steps]
    for examples in template.examples:
        for context in examples.as_contexts():
            rendered = [s.name for s in template.render(context).steps]
            if rendered[: len(texts)] == texts:
                run.example = context
                return


def feature_view(feature: Feature, runs: Sequence[ScenarioRun], number: int) -> FeatureView:
    """One feature file with the runs of its scenarios."""
    name = Path(feature.filename).name
    background = len(feature.background.steps) if feature.background else 0
    mine = [r for r in runs if Path(r.feature).name == name]
    tagged = memo.tagged_scenarios([feature])
    scenarios = [
        _scenario_view(
            template,
            [r for r in mine if r.template == template.name],
            background,
            f"f{number}-s{i}",
            tags.tags,
        )
        for i, (template, tags) in enumerate(
            zip(feature.scenarios.values(), tagged, strict=True), start=1
        )
    ]
    return FeatureView(
        keyword=feature.keyword,
        name=feature.name,
        file=name,
        description=feature.description.strip(),
        background=_step_views(feature.background.steps, mine, 0) if feature.background else [],
        scenarios=scenarios,
        anchor=f"f{number}",
    )


# -- combining the sources --------------------------------------------------------------------


def apply_junit(runs: Sequence[ScenarioRun], outcomes: dict[tuple[str, str], Outcome]) -> None:
    """Let pytest's own outcome decide each run; mark the undefined step JUnit names."""
    by_name: dict[str, list[Outcome]] = {}
    for (_classname, name), outcome in outcomes.items():
        by_name.setdefault(name, []).append(outcome)
    for run in runs:
        outcome = outcomes.get(junit_key(run.nodeid))
        if outcome is None and run.nodeid.startswith("::"):  # from cucumber: by name alone
            same = by_name.get(run.nodeid[2:], [])
            outcome = same[0] if len(same) == 1 else None
        if outcome is not None:
            _apply(run, outcome)


def _apply(run: ScenarioRun, outcome: Outcome) -> None:
    if outcome.status == SKIPPED:
        run.outcome = SKIPPED
        return
    if outcome.status == PASSED:
        run.outcome = PASSED if run.outcome != FAILED else FAILED
        return
    run.outcome = FAILED
    undefined = _UNDEFINED_LINE.search(outcome.message)
    if undefined:
        line = int(undefined.group(1))
        for step in run.steps:
            if step.line == line and step.status != PASSED:
                step.status, step.error = UNDEFINED, UNDEFINED_TEXT
                break
    elif not any(s.status in (FAILED, UNDEFINED) for s in run.steps):
        first = next((s for s in run.steps if s.status != PASSED), None)
        if first is not None:
            first.status, first.error = FAILED, outcome.message.strip().splitlines()[0]


def stop_after_failure(runs: Iterable[ScenarioRun]) -> None:
    """After a failed or undefined step the later steps did not run (cucumber says failed)."""
    for run in runs:
        stopped = False
        for step in run.steps:
            if stopped and step.status != PASSED:
                step.status, step.error = NOT_RUN, None
            stopped = stopped or step.status in (FAILED, UNDEFINED)


def load_runs(coverage: Coverage | None, cucumber: Path | None) -> list[ScenarioRun]:
    """The scenario runs: the recorder's if there are any, else cucumber's."""
    runs: list[ScenarioRun] = list(coverage.scenarios) if coverage else []
    if not runs and cucumber is not None:
        runs = runs_from_cucumber(json.loads(cucumber.read_text("utf-8")))
    return runs


# -- the diagram ---------------------------------------------------------------------------------

_SVG_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.S)
_SVG_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
_SVG_SIZE = re.compile(r'(<svg\b[^>]*?)\s+width="[^"]*"\s+height="[^"]*"', re.S)
_COMMENTS = re.compile(r"<!--.*?-->", re.S)


def diagram() -> tuple[Markup | None, str | None]:
    """The lifecycle as inline SVG, or (without Graphviz) its Mermaid text."""
    from spreiding.statemachine.diagram import render

    try:
        svg = str(render("svg", compact=True))
    except InvalidInput:
        return None, str(render("mermaid"))
    svg = _SVG_PROLOG.sub("", svg, count=1)
    svg = _COMMENTS.sub("", svg)
    svg = _SVG_NAMESPACES.sub("", svg)  # inline SVG in HTML needs no namespace declarations
    svg = _SVG_SIZE.sub(r"\1", svg, count=1)  # scale to the page through the viewBox
    return Markup(svg), None


# -- rendering -----------------------------------------------------------------------------------


READING_ORDER = (
    "drempel",
    "principes",
    "gezamenlijk-besluit",
    "afwegingen",
    "termijnen",
    "rollen",
    "audit",
    "zbo-gesprekken",
    "jaarlijkse-inventarisatie",
    "regionale-kansen",
    "simulatie",
)
"""The order a policy reader meets the feature files in; others follow by name."""


def _reading_order(path: Path) -> tuple[int, str]:
    known = path.stem in READING_ORDER
    return (READING_ORDER.index(path.stem) if known else len(READING_ORDER), path.name)


def build(
    features_dir: Path,
    *,
    cucumber: Path | None = None,
    junit: Path | None = None,
    coverage: Path | None = None,
    rules_file: Path | None = None,
) -> Report:
    """Read the sources and put the page's content together (``rules_file``: the memo's rules)."""
    files = sorted(features_dir.glob("*.feature"), key=_reading_order)
    if not files:
        raise InvalidInput(f"no .feature files in {features_dir}")
    features = [parse_feature(path) for path in files]
    record = Coverage.load(coverage) if coverage is not None else None
    runs = [run for run in load_runs(record, cucumber) if bind(features, run)]
    if junit is not None:
        apply_junit(runs, read_junit(junit))
    stop_after_failure(runs)
    svg, text = diagram()
    views = [feature_view(f, runs, n) for n, f in enumerate(features, start=1)]
    rules = memo.load_rules(rules_file)
    gate = evaluate(record or Coverage())
    return Report(
        features=views,
        memo_gate=memo.evaluate(rules, memo.tagged_scenarios(features)),
        rules=rule_rows(rules, views),
        runs=runs,
        transitions=_transition_scenarios(gate, record, views),
        unrun=_unrun_in_words(record, views),
        label_features={f.file: f.name for f in views},
        gate=gate,
        coverage_measured=record is not None,
        diagram_svg=svg,
        diagram_text=text,
        generated=_now_in_words(),
        sources=[str(p) for p in (cucumber, junit, coverage) if p is not None],
    )


def _now_in_words() -> str:
    now = datetime.now().astimezone()
    return f"{date_text(now.date())} om {now:%H:%M}"


def _find(views: Sequence[FeatureView], feature: str, template: str) -> ScenarioView | None:
    name = Path(feature).name
    for view in views:
        if view.file == name:
            return next((s for s in view.scenarios if s.name == template), None)
    return None


def _transition_scenarios(
    gate: Gate, record: Coverage | None, views: Sequence[FeatureView]
) -> list[tuple[Any, list[ScenarioView]]]:
    """Each transition with the scenarios whose passing runs fired it (by name, not line)."""
    if record is None:
        return [(row, []) for row in gate.rows]
    passed = {run.nodeid: run for run in record.scenarios if run.outcome == PASSED}
    fired: dict[tuple[str, str, str], list[ScenarioView]] = {}
    for firing in record.firings:
        run = passed.get(firing.nodeid)
        view = _find(views, run.feature, run.template) if run else None
        shown = fired.setdefault(firing.transition, [])
        if view is not None and view not in shown:
            shown.append(view)
    return [(row, fired.get((row.source, row.event, row.target), [])) for row in gate.rows]


def _unrun_in_words(record: Coverage | None, views: Sequence[FeatureView]) -> list[str]:
    if record is None:
        return []
    names = {v.file: v.name for v in views}
    lines = []
    for e in record.unrun_scenarios():
        title = _PLACEHOLDER_TEXT.sub(r"\1", e["template"])
        values = ", ".join(f"{k}: {v}" for k, v in (e.get("example") or {}).items())
        feature = names.get(Path(e["feature"]).name, Path(e["feature"]).stem)
        lines.append(f"“{title}” ({feature})" + (f", voorbeeld {values}" if values else ""))
    return lines


_PLACEHOLDER = re.compile(r"&lt;([^&]+?)&gt;")
_PLACEHOLDER_TEXT = re.compile(r"<([^<>]+)>")


def placeholders(text: str) -> Markup:
    """Escape ``text``; an outline's ``<column>`` shows as the column's name, set apart.

    The reader sees the word of the example table's heading, not the angle brackets.
    """
    escaped = str(escape(text))
    return Markup(_PLACEHOLDER.sub(r'<span class="placeholder">\1</span>', escaped))


def render_html(report: Report) -> str:
    """The page as HTML text."""
    env = templates.environment("spreiding.spec")
    env.filters["placeholders"] = placeholders
    template = env.get_template("spec.html.j2")
    return template.render(
        report=report,
        labels=STATUS_LABELS,
        rule_labels=RULE_STATUS_LABELS,
        backend_labels=BACKEND_LABELS,
        backend_names=BACKEND_NAMES,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the report; exit 2 with one line when an input is missing."""
    parser = argparse.ArgumentParser(prog="python -m spreiding.spec.report", description=__doc__)
    parser.add_argument("--features", type=Path, default=Path("features"))
    parser.add_argument("--cucumber", type=Path, help="cucumber JSON of pytest-bdd")
    parser.add_argument("--junit", type=Path, help="JUnit XML of pytest")
    parser.add_argument("--coverage", type=Path, help="the spec recorder's coverage JSON")
    parser.add_argument("--rules", type=Path, help="the memo's rules (default: the shipped list)")
    parser.add_argument("--out", type=Path, default=Path("build/spec/index.html"))
    args = parser.parse_args(argv)
    sources = (args.cucumber, args.junit, args.coverage, args.rules)
    for path in (args.features, *sources):
        if path is not None and not path.exists():
            print(
                f"specreport: {path} does not exist (run the feature tests first)", file=sys.stderr
            )
            return 2
    try:
        report = build(
            args.features,
            cucumber=args.cucumber,
            junit=args.junit,
            coverage=args.coverage,
            rules_file=args.rules,
        )
    except InvalidInput as exc:
        print(f"specreport: {exc}", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render_html(report), encoding="utf-8")
    passed = report.count(PASSED)
    print(f"Wrote {args.out}: {passed} of {len(report.scenarios)} scenarios passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
