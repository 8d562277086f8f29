"""The bijsluiter ("package leaflet") of a projection, in Dutch, as Markdown and HTML.

It says what was computed and how to compute it again: the scenarios with every parameter
and the parameter hash, the seed and the number of replications, the data source and
peildatum (synthetic demo data is flagged in capitals), the assumptions of the model and what
it does not cover. Both files are rendered from the Jinja2 templates in ``templates/``
(package data), from one context built by :func:`context`. The Markdown goes through the
one Markdown-escaping environment of :mod:`spreiding.core.templates` (every value escaped,
table cells on one line, code spans fenced), the HTML through the autoescaping one: stored
text (a scenario's description, an organisation's code, a file name) cannot break either.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from spreiding.core import templates
from spreiding.core.dutch import date_text, number, percentage, points
from spreiding.core.settings import get_settings
from spreiding.core.synthetic import SYNTHETIC_MARK
from spreiding.geography.reference import provinces
from spreiding.simulation.baseline import Baseline
from spreiding.simulation.fitting import GrowthFit
from spreiding.simulation.model import STATS, reference_growth
from spreiding.simulation.montecarlo import Projection, ScenarioRun
from spreiding.simulation.parameters import (
    ILLUSTRATIVE_MARK,
    PROVENANCE,
    illustrative,
    parameter_rows,
)
from spreiding.simulation.quantiles import effects, headlines
from spreiding.simulation.targets import TargetResult


def _province_names() -> dict[str, str]:
    return {p.code: p.name for p in provinces()}


def _case_figures(run: ScenarioRun) -> dict[str, str]:
    mean = dict(zip(STATS, run.stats.mean(axis=0), strict=True))
    started = run.stats[:, STATS.index("housing_started")].sum()
    waited = run.stats[:, STATS.index("rvb_wait_years")].sum()
    return {
        "cases": number(mean["cases"], 1),
        "agreement": number(mean["decided_agreement"], 1),
        "mr": number(mean["decided_mr"], 1),
        "withdrawn": number(mean["withdrawn"], 1),
        "out_of_scope": number(mean["out_of_scope"], 1),
        "followed": number(mean["followed_principles"], 1),
        "exempted": number(mean["exempted"], 1),
        "housing_done": number(mean["housing_done"], 1),
        "known": number(mean["known_cases"], 1),
        "known_fte": number(mean["known_landed_fte"], 0),
        "rvb_wait_days": number(waited / started * 365.25 if started else 0.0, 0),
    }


def _scenario(run: ScenarioRun, baseline: Baseline) -> dict[str, Any]:
    scenario = run.scenario
    fit = reference_growth(scenario.values, baseline)
    rows = parameter_rows(scenario)
    fitted = _fitted_rows(rows, fit, baseline)
    return {
        "name": scenario.name,
        "description": scenario.description,
        "source": "meegeleverd scenario" if scenario.shipped else scenario.source,
        "hash": scenario.hash,
        "parameters": rows,
        "assumed": sum(1 for r in rows if r["provenance"] == "aanname"),
        "fit": fitted,
        "ranges": [
            f"{key} {distribution.words}"
            for key, distribution in sorted(scenario.uncertainty.items())
        ],
        "choices": sorted(scenario.choices),
        "targets": list(scenario.targets),
        "cases": _case_figures(run),
    }


def _fitted_rows(
    rows: list[dict[str, Any]], fit: GrowthFit | None, baseline: Baseline
) -> str | None:
    """Mark the parameters the fit replaces (provenance data); a line on the fit, or None."""
    if fit is None:
        return None
    used = f"data (peildata {fit.window})"
    for row in rows:
        sector = row["key"].removeprefix("growth.")
        if sector in fit.rates:
            row["value"] = f"{percentage(fit.rates[sector], 2)} per jaar (geschat)"
            row["provenance"] = used
        elif row["key"] == "growth.sd" and fit.sd is not None:
            row["value"] = f"{number(fit.sd, 4)} (geschat)"
            row["provenance"] = used
        elif row["key"] == "growth.common_sd" and fit.common_sd is not None:
            row["value"] = f"{number(fit.common_sd, 4)} (geschat)"
            row["provenance"] = used
        if row["provenance"] == used:  # a fitted rate is drawn around its estimate
            row["distribution"] = (
                "schatting ± standaardfout (sd / √jaren)" if sector in fit.rates else "geschat"
            )
    outside = [p for p in baseline.provinces if p not in baseline.randstad]
    landed = [
        f"{s} {percentage(sum(shares[p] for p in outside), 0)}"
        for s, shares in fit.allocation.items()
    ]
    return (
        f"Referentiegroei geschat op de peildata {fit.window}: per sector de gemiddelde "
        "jaarlijkse groei (elke replicatie trekt het ware tempo rond die schatting, met de "
        "spreiding gedeeld door de wortel van het aantal jaren als standaardfout; de sectoren "
        "delen bovendien per jaar een gezamenlijke schok)"
        + (
            ""
            if fit.sd is not None
            else " (de spreiding is met één jaar niet te schatten: aanname)"
        )
        + "; daarvan is elk jaar de verwachte netto groei van de plannen van 100 fte of meer "
        "afgetrokken, die het model apart trekt (anders tellen ze dubbel); de netto groei "
        "wordt deels verdeeld zoals de groei in die jaren landde. Deel van de "
        "groei buiten de Randstad: " + ", ".join(landed) + "."
    )


def context(
    projection: Projection,
    results: Sequence[TargetResult],
    *,
    command: str | None = None,
    files: Sequence[Path] = (),
    backtest: dict[str, Any] | None = None,
    sensitivity: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Everything the templates show, as plain strings and lists."""
    baseline = projection.baseline
    names = _province_names()
    graph = projection.runs[0].scenario.graph
    return {
        "synthetic": baseline.synthetic,
        "synthetic_label": SYNTHETIC_MARK,
        "illustrative": illustrative(run.scenario for run in projection.runs),
        "uncertainty": (
            "toeval en parameters: elke aanname met een verdeling in het scenario wordt per "
            "replicatie uit die verdeling getrokken, zodat de intervallen ook de onzekerheid "
            "over de aannames tonen"
            if any(run.scenario.uncertainty for run in projection.runs)
            else "alleen toeval: de aannames staan vast op hun waarde (--chance-only, of geen "
            "bereik in het scenario); de intervallen tonen niet hoe onzeker de aannames zijn"
        ),
        "illustrative_label": ILLUSTRATIVE_MARK,
        "provenance": PROVENANCE,
        "data_hash": baseline.data_hash,
        "history": [
            {
                "peildatum": date_text(o.peildatum),
                "total": number(o.total_fte),
                "outside": percentage(1.0 - o.randstad_share),
            }
            for o in baseline.history
        ],
        "made_on": date_text(get_settings().current_date()),
        "command": command,
        "seed": projection.seed,
        "replications": projection.replications,
        "years": projection.years,
        "first_year": projection.calendar_years[0],
        "last_year": projection.calendar_years[-1],
        "workers": projection.workers,
        "source": baseline.source,
        "peildatum": date_text(baseline.peildatum),
        "total_fte": number(baseline.total_fte),
        "units": len(baseline.units),
        "randstad": [f"{names.get(c, c)} ({c})" for c in baseline.randstad],
        "outside_share": percentage(1.0 - baseline.randstad_share),
        "opportunities": _opportunities(baseline.opportunities, names),
        "chart_states": len(graph.states),
        "chart_transitions": len(graph.transitions),
        "scenarios": [_scenario(run, baseline) for run in projection.runs],
        "worlds": _worlds(projection),
        "headlines": [
            {
                "scenario": h.scenario,
                "year": h.year,
                "median": percentage(h.median),
                "interval": f"{percentage(h.low)} – {percentage(h.high)}",
                "total": number(h.total_fte),
            }
            for h in headlines(projection)
        ],
        "effects": [
            {
                "scenario": e.scenario,
                "world": e.world,
                "variant": e.variant,
                "reference": e.reference,
                "year": e.year,
                "median": points(e.median),
                "interval": f"{points(e.low)} – {points(e.high)}",
            }
            for e in effects(projection)
        ],
        "targets": [
            {
                "scenario": r.scenario,
                "target": r.target,
                "year": r.year,
                "probability": percentage(r.probability, 0),
                "first_year": r.first_year_text,
                "words": r.words,
            }
            for r in results
        ],
        "pipeline": _pipeline(baseline, names, graph.labels),
        "known_on": date_text(baseline.known_on) if baseline.known_on else None,
        "files": [p.name for p in files],
        "backtest": _backtest(backtest),
        "sensitivity": _sensitivity(sensitivity or {}, projection),
    }


def _worlds(projection: Projection) -> list[dict[str, str]]:
    """The reference worlds the variants ran in (hoog, laag), with their description."""
    seen: dict[str, dict[str, str]] = {}
    for run in projection.runs:
        scenario = run.scenario
        if scenario.reference and scenario.reference not in seen:
            variants = [
                r.scenario.variant
                for r in projection.runs
                if r.scenario.reference == scenario.reference
            ]
            seen[scenario.reference] = {
                "name": scenario.reference,
                "description": scenario.reference_text,
                "variants": ", ".join(variants),
            }
    return list(seen.values())


def _pipeline(
    baseline: Baseline, names: dict[str, str], labels: dict[str, str]
) -> list[dict[str, str]]:
    """The known cases the projection took from the store, in words."""
    rows = []
    for plan in baseline.pipeline:
        where = names.get(plan.location, plan.location)
        if plan.target:
            where += " naar " + names.get(plan.target, plan.target)
        rows.append(
            {
                "case": str(plan.case),
                "kind": plan.kind,
                "fte": number(plan.fte),
                "unit": plan.unit,
                "state": labels.get(plan.state, plan.state),
                "where": where,
                "advice": names.get(plan.advice, plan.advice) if plan.advice else "–",
                "decided": names.get(plan.decided, plan.decided) if plan.decided else "–",
            }
        )
    return rows


SENSITIVITY_ROWS = 8
"""Assumptions per output in the bijsluiter's sensitivity table (the most important)."""


def _sensitivity(stored: dict[str, dict[str, Any]], projection: Projection) -> list[dict[str, Any]]:
    """The stored sensitivity analyses of the scenarios that ran, as the bijsluiter shows
    them: per output the most important assumptions, in Dutch numbers."""
    shown = []
    seen: set[str] = set()
    for run in projection.runs:
        # a variant in a reference world shows the analysis of its own name, else that of
        # the variant itself (with the warning that its parameters differ)
        name = run.scenario.name if run.scenario.name in stored else run.scenario.variant
        found = stored.get(name)
        if not found or name in seen:
            continue
        seen.add(name)
        assumptions = {a["key"]: a for a in found["assumptions"]}
        morris = found["method"] == "morris"
        main = "mu_star" if morris else "ST"
        outputs = []
        for output in found["outputs"]:
            indices = found["indices"][output["key"]]
            ranked = sorted(indices, key=lambda k: -indices[k][main])[:SENSITIVITY_ROWS]
            rows = []
            for key in ranked:
                i = indices[key]
                rows.append(
                    {
                        "key": key,
                        "label": assumptions[key]["label"],
                        "distribution": assumptions[key]["distribution"],
                        "main": number(i[main], 2 if morris else 3),
                        "second": number(i["sigma"] if morris else i["S1"], 2 if morris else 3),
                        "direction": (("hoger" if i["mu"] >= 0 else "lager") if morris else "–"),
                    }
                )
            outputs.append({"words": output["words"], "unit": output["unit"], "rows": rows})
        shown.append(
            {
                "scenario": name,
                "method": "Morris" if morris else "Sobol",
                "morris": morris,
                "made_on": _date_words(found.get("made_on")),
                "command": str(found.get("command", "")),
                "points": number(found["points"]),
                "replications": number(found["replications"]),
                "current": found.get("scenario_hash") == run.scenario.hash,
                "outputs": outputs,
            }
        )
    return shown


def _backtest(stored: dict[str, Any] | None) -> dict[str, Any] | None:
    """The stored backtest as the bijsluiter shows it (Dutch numbers), or None."""
    if not stored:
        return None
    rows = []
    for r in stored["rows"]:
        total = r["measure"] == "totaal"
        show = number if total else percentage
        error = percentage(r["error"], 1) if total else f"{number(r['error'] * 100, 1)} procentpunt"
        rows.append(
            {
                "scenario": r["scenario"],
                "measure": "totaal fte" if total else "aandeel Randstad",
                "start": r["start"],
                "year": r["year"],
                "median": show(r["median"]),
                "interval": f"{show(r['low'])} – {show(r['high'])}",
                "observed": show(r["observed"]),
                "error": error,
                "covered": "ja" if r["covered"] else "nee",
            }
        )
    covered = sum(1 for r in stored["rows"] if r["covered"])
    return {
        "made_on": _date_words(stored.get("made_on")),
        "command": str(stored.get("command", "")),
        "replications": stored.get("replications", "?"),
        "rows": rows,
        "covered": covered,
        "count": len(rows),
    }


def _opportunities(weights: dict[str, float] | None, names: dict[str, str]) -> str:
    if not weights:
        return (
            "geen inventarisatie van regionale kansen beschikbaar: groei volgens de principes "
            "is gelijk verdeeld over de provincies buiten de Randstad"
        )
    parts = [f"{names.get(c, c)} {number(w, 2)}" for c, w in sorted(weights.items()) if w]
    return "gewichten uit de inventarisatie van regionale kansen: " + ", ".join(parts)


def _date_words(text: object) -> str:
    from datetime import date

    try:
        return date_text(date.fromisoformat(str(text)))
    except ValueError:
        return "onbekende datum"


def render(ctx: dict[str, Any]) -> tuple[str, str]:
    """The bijsluiter as (Markdown, HTML)."""
    markdown = templates.template("spreiding.simulation", "bijsluiter.md.j2").render(**ctx)
    html = templates.template("spreiding.simulation", "bijsluiter.html.j2").render(**ctx)
    return markdown, html


def write_bijsluiter(
    projection: Projection,
    results: Sequence[TargetResult],
    out: Path,
    *,
    command: str | None = None,
    files: Sequence[Path] = (),
    backtest: dict[str, Any] | None = None,
    sensitivity: dict[str, dict[str, Any]] | None = None,
) -> list[Path]:
    """Write ``bijsluiter.md`` and ``bijsluiter.html`` into ``out``."""
    listed = [*files, out / "bijsluiter.md", out / "bijsluiter.html"]
    ctx = context(
        projection,
        results,
        command=command,
        files=listed,
        backtest=backtest,
        sensitivity=sensitivity,
    )
    markdown, html = render(ctx)
    (out / "bijsluiter.md").write_text(markdown, encoding="utf-8")
    (out / "bijsluiter.html").write_text(html, encoding="utf-8")
    return [out / "bijsluiter.md", out / "bijsluiter.html"]
