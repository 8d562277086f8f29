"""The HTML report of the living specification, fed by a real pytest run of a tiny feature.

A small project in a temporary folder (one feature: a passing, a failing and an undefined
scenario, and an Abstract Scenario with a failing row) runs under pytest in a subprocess with
the spec recorder, ``--cucumberjson`` and ``--junitxml``, exactly as ``make spec`` runs
the real features. The report made from those files must show a failing step red, an
undefined step as not passed, the transition matrix, and load nothing from the network.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from spreiding.spec import report as specreport
from spreiding.spec.coverage import Coverage, StepResult
from spreiding.statemachine.chart import transitions

ROOT = Path(__file__).resolve().parents[2]

FEATURE = """\
# language: nl
Functionaliteit: Klein
  Een kleine functionaliteit om het rapport mee te toetsen.

  @principe-3
  Scenario: Goed
    Gegeven iets
    Dan klopt het

  @mr
  Scenario: Fout
    Gegeven iets
    Dan klopt het niet
    En nog iets

  Scenario: Ongedefinieerd
    Gegeven iets
    Als er iets onbekends gebeurt
    Dan klopt het

  @onbekend
  Abstract Scenario: Getal <getal>
    Gegeven iets
    Dan is <getal> even

    Voorbeelden: Twee getallen
      | getal |
      | 2     |
      | 3     |
"""

STEPS = """\
from pytest_bdd import given, parsers, scenarios, then

scenarios("../features/klein.feature")


@given("iets")
def _():
    pass


@then("klopt het")
def _():
    pass


@then("klopt het niet")
def _():
    assert 1 == 2, "een en een is geen twee"


@then("nog iets")
def _():
    pass


@then(parsers.parse("is {getal:d} even"))
def _(getal):
    assert getal % 2 == 0, f"{getal} is oneven"
"""

RULES = """\
[[regel]]
id = "principe-3"
groep = "Richtinggevende principes"
titel = "Krimp in de Randstad"
citaat = "bij krimp van de organisatie vindt deze in beginsel plaats in de Randstad"

[[regel]]
id = "mr"
groep = "Besluitvorming"
titel = "De ministerraad weegt af"
citaat = "aan de MR voorgelegd"

[[regel]]
id = "leidraad"
groep = "Uitvoering"
titel = "Een leidraad"
citaat = "een leidraad"
volgt = "de voorbeelden volgen met de leidraad"
"""

CONFTEST = """\
from tests.features.recorder import install


def pytest_configure(config):
    install(config)
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project after its pytest run: features/, cucumber.json, junit.xml, coverage."""
    project = tmp_path_factory.mktemp("tiny-spec")
    (project / "features").mkdir()
    (project / "features" / "klein.feature").write_text(FEATURE, "utf-8")
    (project / "rules.toml").write_text(RULES, "utf-8")
    (project / "checks").mkdir()
    (project / "checks" / "conftest.py").write_text(CONFTEST, "utf-8")
    (project / "checks" / "test_klein.py").write_text(STEPS, "utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SPREIDING_SPEC_COVERAGE": str(project / "coverage.json"),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "checks",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--cucumberjson={project / 'cucumber.json'}",
            f"--junitxml={project / 'junit.xml'}",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "3 failed, 2 passed" in done.stdout, done.stdout + done.stderr
    return project


def _html(project: Path, *, coverage: bool = True) -> str:
    out = project / ("with.html" if coverage else "without.html")
    args = [
        "--features",
        str(project / "features"),
        "--cucumber",
        str(project / "cucumber.json"),
        "--junit",
        str(project / "junit.xml"),
        "--rules",
        str(project / "rules.toml"),
        "--out",
        str(out),
    ]
    if coverage:
        args += ["--coverage", str(project / "coverage.json")]
    assert specreport.main(args) == 0
    return out.read_text("utf-8")


def _step(html: str, text: str) -> str:
    """The status class of the step whose text is ``text``."""
    match = re.search(
        r'<li class="step (st-[\w-]+)">\s*<span class="mark"[^>]*>[^<]*</span>\s*'
        r'<span class="keyword">\w+</span> ' + re.escape(text) + r"\s",
        html,
    )
    assert match, f"step {text!r} not in the report"
    return match.group(1)


def _scenario(html: str, name: str) -> str:
    match = re.search(r'<div class="scenario (st-[\w-]+)"[^>]*>\s*<h3>Scenario: ' + name, html)
    assert match, f"scenario {name!r} not in the report"
    return match.group(1)


@pytest.mark.parametrize("coverage", [True, False], ids=["recorder", "cucumber+junit"])
def test_a_failing_step_is_red_and_the_steps_after_it_did_not_run(
    run: Path, coverage: bool
) -> None:
    html = _html(run, coverage=coverage)
    assert _step(html, "klopt het niet") == "st-failed"
    assert _step(html, "nog iets") == "st-not-run"
    assert _scenario(html, "Fout") == "st-failed"
    assert "een en een is geen twee" in html
    assert _scenario(html, "Goed") == "st-passed"


@pytest.mark.parametrize("coverage", [True, False], ids=["recorder", "cucumber+junit"])
def test_an_undefined_step_is_not_passed(run: Path, coverage: bool) -> None:
    html = _html(run, coverage=coverage)
    assert _step(html, "er iets onbekends gebeurt") == "st-undefined"
    assert _scenario(html, "Ongedefinieerd") == "st-undefined"
    assert _step(html, "klopt het") != "st-undefined"  # the same words elsewhere passed


def test_an_example_row_shows_its_own_outcome(run: Path) -> None:
    html = _html(run)
    rows = re.findall(r"<td>(\d)</td>\s*<td class=\"(st-[\w-]+)\">", html)
    assert rows == [("2", "st-passed"), ("3", "st-failed")]
    assert "3 is oneven" in html
    assert "Voorbeelden: Twee getallen" in html


def test_the_summary_counts_scenarios(run: Path) -> None:
    html = _html(run)
    assert "✔ 1 geslaagd" in html and "✘ 2 mislukt" in html and "? 1 niet uitgewerkt" in html


def _rule(html: str, rule_id: str) -> str:
    match = re.search(rf'<tr id="regel-{rule_id}">(.*?)</tr>', html, re.S)
    assert match, f"rule {rule_id!r} not in the memo matrix"
    return match.group(1)


def test_the_report_opens_with_the_memo_matrix(run: Path) -> None:
    html = _html(run)
    first = re.search(r'<section id="(\w+)"', html)
    assert first and first.group(1) == "nota"
    covered, failing, waiting = (_rule(html, r) for r in ("principe-3", "mr", "leidraad"))
    assert "gedekt" in covered and "✔ Goed" in covered
    assert "<q>bij krimp van de organisatie" in covered  # the memo's words
    assert "mislukt" in failing and "✘ Fout" in failing
    assert "nog geen voorbeeld" in waiting and "de voorbeelden volgen met de leidraad" in waiting
    assert "✔ 1 gedekt" in html and "✘ 1 mislukt" in html and "○ 1 nog geen voorbeeld" in html
    # The tag that names no rule and the untagged scenario are named in words.
    assert "noemt de regel “onbekend”, die niet in de lijst staat" in html
    assert "Het scenario “Ongedefinieerd” noemt geen enkele regel uit de nota" in html


def _reader_text(html: str) -> str:
    """The words a reader sees before the technical appendix (no styles, no tags)."""
    body = html.split('<section id="bijlage"')[0]
    body = re.sub(r"<style>.*?</style>", "", body, flags=re.S)
    body = re.sub(r"<svg\b.*?</svg>", "", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


@pytest.mark.parametrize("coverage", [True, False], ids=["recorder", "cucumber+junit"])
def test_no_code_words_before_the_technical_appendix(run: Path, coverage: bool) -> None:
    html = _html(run, coverage=coverage)
    text = _reader_text(html)
    for word in (".feature", ".json", ".xml", "build/", "Regel 1", "SQLite", "PostgreSQL"):
        assert word not in text, f"{word!r} in the reader's text"
    assert not re.search(r"&lt;\w+&gt;|<getal>", text), "an outline's placeholder in brackets"
    assert not re.search(r"\b\w+\.feature:\d+", text)
    # The appendix keeps them, under its own heading, last.
    appendix = html.split('<section id="bijlage"')[1]
    assert "Technische bijlage" in appendix and "features/klein.feature" in appendix
    assert "klein.feature:" in appendix or "—" in appendix


def test_an_outline_shows_its_columns_and_its_example_table(run: Path) -> None:
    html = _html(run)
    assert 'Getal <span class="placeholder">getal</span>' in html
    assert "<th>getal</th>" in html


def _per_backend_coverage(project: Path) -> Path:
    """A record in which each scenario ran as before on SQLite and was skipped on PostgreSQL."""
    record = Coverage.load(project / "coverage.json")
    runs = []
    for run in record.scenarios:
        runs.append(replace(run, nodeid=f"{run.nodeid}[sqlite]", backend="sqlite"))
        skipped = [StepResult(st.keyword, st.text, st.line) for st in run.steps]
        runs.append(
            replace(
                run,
                nodeid=f"{run.nodeid}[postgresql]",
                backend="postgresql",
                outcome="skipped",
                steps=skipped,
            )
        )
    record.scenarios = runs
    target = project / "per-backend.json"
    record.dump(target)
    return target


def test_each_scenario_shows_each_database_and_skipped_runs_are_counted(run: Path) -> None:
    record = _per_backend_coverage(run)
    out = run / "per-backend.html"
    args = ["--features", str(run / "features"), "--coverage", str(record)]
    assert specreport.main([*args, "--rules", str(run / "rules.toml"), "--out", str(out)]) == 0
    html = out.read_text("utf-8")
    goed = html.split("<h3>Scenario: Goed")[1].split("</h3>")[1]
    assert "bestandsdatabase: geslaagd" in goed and "serverdatabase: overgeslagen" in goed
    assert "5 keer is een scenario overgeslagen" in html
    assert "serverdatabase: 5 overgeslagen" in html
    assert re.search(r"badge st-skipped.*?overgeslagen</span> bewust niet uitgevoerd", html)
    lead = html.split('<p class="lead">')[1].split("</p>")[0]
    assert "op de bestandsdatabase." in " ".join(lead.split())
    assert "serverdatabase" not in lead  # it did not run there: the page does not claim it


def test_the_matrix_and_the_diagram_are_present(run: Path) -> None:
    html = _html(run)
    assert '<section id="matrix">' in html
    suspends = [edge for edge in transitions() if edge[2] == "suspend"]
    assert html.count("<td>Opschorten</td>") == len(suspends)  # one row per transition
    assert "Voorgelegd aan de ministerraad" in html
    # No scenario of the tiny project fires a transition: every one is reported.
    assert "niet gedekt" in html and "De stap “Beoordeling starten” wordt door geen" in html
    assert "<svg" in html or '<pre class="mermaid">' in html


def test_the_page_is_self_contained(run: Path) -> None:
    html = _html(run)
    assert not re.search(r"https?://", html), "the page must not load anything from the web"
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert "@media print" in html and '<html lang="nl">' in html


def test_without_graphviz_the_diagram_is_text(run: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")  # no `dot` program to be found
    html = _html(run)
    assert "<svg" not in html
    assert '<pre class="mermaid">' in html and "stateDiagram-v2" in html


def test_a_missing_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = specreport.main(["--junit", str(tmp_path / "nope.xml"), "--out", str(tmp_path / "x")])
    assert code == 2
    assert capsys.readouterr().err.strip().endswith("does not exist (run the feature tests first)")


def test_the_real_features_parse_and_render_without_results() -> None:
    report = specreport.build(ROOT / "features")
    names = [f.file for f in report.features]
    assert names[:3] == ["drempel.feature", "principes.feature", "gezamenlijk-besluit.feature"]
    assert all(s.status == "not run" for s in report.scenarios)
    assert "Drempel: welke plannen BZK beoordeelt" in specreport.render_html(report)


@pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")
def test_the_diagram_fits_the_column_and_draws_suspend_once(run: Path) -> None:
    html = _html(run)
    svg = re.search(r"<svg\b.*?</svg>", html, re.S)
    assert svg, "no drawing in the report"
    assert svg.group(0).count(">Opschorten</text>") == 1
    assert "vanuit elke lopende toestand" in svg.group(0)
    assert not re.search(r"<svg\b[^>]*\swidth=", svg.group(0))  # scales by its viewBox
    assert "width: 1800px" not in html and "width: 100%" in html
    assert 'counter(page) " van " counter(pages)' in html  # page numbers in print
