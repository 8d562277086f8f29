"""Sensitivity of the headline outputs to the assumptions: Morris screening or Sobol indices.

``spreiding sensitivity SCENARIO`` asks which assumptions drive the numbers a letter would
quote. The inputs are the scenario's assumptions that have a distribution and that the
model reads (a sector rate or a spread, ``growth.sd`` and ``growth.common_sd``, replaced by
the fit on the store's history is data, not an assumption, and is left out); the outputs
(:func:`outputs`) are

* ``buiten``: the share outside the Randstad in the last year (mean over the replications);
* ``effect``: the policy effect in that year, the share outside the Randstad minus that of
  the same point with the principles not applied (``trend`` in the same world), per
  replication on common random numbers; only for a scenario that applies the principles;
* ``doel:<target>``: per target the chance that it holds in its year.

SALib (:mod:`SALib`) draws the sample in the unit cube, one column per assumption; each
column is mapped through the inverse CDF of that assumption's distribution
(:meth:`~.parameters.Distribution.ppf`), the same mapping the Monte Carlo draws use, so the
analysis explores exactly the distributions the fans show. Every point runs ``replications``
replications with the same seed (common random numbers between the points, so an
elementary effect is not mostly chance) through the batches of :mod:`.montecarlo`, on
``workers`` processes.

Morris (default): ``trajectories`` x (k + 1) points, ``mu*`` (mean absolute elementary
effect, in the output's unit per whole range of the assumption) and ``sigma`` (its spread:
interaction or non-linearity). Sobol (Saltelli sampling, first order and total): ``2^m``
base samples x (k + 2) points, ``S1`` and ``ST`` (shares of the output's variance); far more
points, for a few assumptions or a cluster.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spreiding.core.errors import InvalidInput
from spreiding.simulation.montecarlo import BatchSpec, check_run, execute, walk_for, walk_with
from spreiding.simulation.parameters import Scenario, draw_values, registry
from spreiding.simulation.targets import Target, parse_targets, series

if TYPE_CHECKING:
    import numpy as np

    from spreiding.simulation.baseline import Baseline

METHODS = ("morris", "sobol")
FILE_NAME = "sensitivity.json"
"""Where the latest sensitivity analysis is kept in the data folder (for the bijsluiter)."""
MORRIS_LEVELS = 4


@dataclass(frozen=True)
class Output:
    """One headline output: its key, Dutch name and unit (``procentpunt`` or ``fte``)."""

    key: str
    words: str
    unit: str


@dataclass(frozen=True)
class Sensitivity:
    """The result: per output and assumption the indices of the method."""

    scenario: Scenario
    method: str
    keys: tuple[str, ...]
    outputs: tuple[Output, ...]
    indices: dict[str, dict[str, dict[str, float]]]  # output -> key -> index name -> value
    points: int
    replications: int
    seed: int
    year: int
    samples: np.ndarray | None = field(default=None, repr=False)  # points x keys (unit cube)
    values: np.ndarray | None = field(default=None, repr=False)  # points x outputs

    def ranked(self, output: str) -> list[str]:
        """The keys by their importance for ``output``, most important first."""
        main = "mu_star" if self.method == "morris" else "ST"
        return sorted(self.keys, key=lambda k: -self.indices[output][k][main])

    def to_json(self) -> dict[str, Any]:
        """The result as stored (``sensitivity.json``) and printed by ``--json``."""
        params = registry(self.scenario.graph)
        return {
            "scenario": self.scenario.name,
            "scenario_hash": self.scenario.hash,
            "method": self.method,
            "points": self.points,
            "replications": self.replications,
            "seed": self.seed,
            "year": self.year,
            "outputs": [{"key": o.key, "words": o.words, "unit": o.unit} for o in self.outputs],
            "assumptions": [
                {
                    "key": k,
                    "label": params[k].label,
                    "distribution": self.scenario.uncertainty[k].words,
                }
                for k in self.keys
            ],
            "indices": {
                o: {k: {n: round(float(v), 6) for n, v in i.items()} for k, i in by_key.items()}
                for o, by_key in self.indices.items()
            },
        }


def inputs(scenario: Scenario, baseline: Baseline) -> list[str]:
    """The assumptions the analysis varies: drawn, and read by the model (not fitted)."""
    from spreiding.simulation.model import reference_growth

    fit = reference_growth(scenario.values, baseline)
    fitted = set()
    if fit is not None:
        fitted = {f"growth.{s}" for s in fit.rates}
        if fit.sd is not None:
            fitted.add("growth.sd")
        if fit.common_sd is not None:
            fitted.add("growth.common_sd")
    unused = set()
    if not scenario.values["principles.applied"]:
        unused = {k for k in scenario.uncertainty if k.startswith(("principles.", "exemptions."))}
    return [
        k for k in scenario.graph_keys() if k in scenario.uncertainty and k not in fitted | unused
    ]


def outputs(scenario: Scenario, targets: Sequence[Target], year: int) -> list[Output]:
    """The headline outputs of ``scenario`` (see the module docstring)."""
    found = [Output("buiten", f"aandeel buiten de Randstad in {year}", "procentpunt")]
    if scenario.values["principles.applied"]:
        found.append(Output("effect", f"effect van het beleid in {year}", "procentpunt"))
    found += [Output(f"doel:{t.text}", f"kans: {t.words}", "procentpunt") for t in targets]
    return found


def analyse(
    scenario: Scenario,
    baseline: Baseline,
    *,
    method: str = "morris",
    trajectories: int = 8,
    replications: int = 10,
    years: int = 10,
    seed: int = 0,
    workers: int = 1,
    targets: Sequence[str] = (),
    on_done: Callable[[BatchSpec], None] | None = None,
) -> Sensitivity:
    """Sample the assumptions of ``scenario``, run every point, and analyse with SALib."""
    import numpy as np

    check_run(replications=replications, years=years, seed=seed, workers=workers)
    if method not in METHODS:
        raise InvalidInput(f"--method {method!r}: use one of {', '.join(METHODS)}")
    if trajectories < 2:
        raise InvalidInput(f"--trajectories must be at least 2, got {trajectories}")
    keys = inputs(scenario, baseline)
    if not keys:
        raise InvalidInput(
            f"scenario {scenario.name}: no assumption has a distribution in [uncertainty]; "
            "nothing to analyse (and --chance-only has no place here)"
        )
    first = baseline.peildatum.year
    parsed = parse_targets([*targets, *scenario.targets])
    from spreiding.simulation.targets import check_years

    check_years(parsed, first, first + years)
    year = first + years
    found = outputs(scenario, parsed, year)
    samples = _sample(method, keys, trajectories, seed)
    specs = point_specs(scenario, baseline, keys, samples, replications, years, seed)
    results = execute(specs, workers=workers, on_done=on_done)
    values = _outputs(scenario, baseline, results, found, parsed, len(samples), years)
    indices = _analyse(method, keys, samples, values, found)
    return Sensitivity(
        scenario,
        method,
        tuple(keys),
        tuple(found),
        indices,
        len(samples),
        replications,
        seed,
        year,
        samples,
        np.asarray(values),
    )


def _problem(keys: Sequence[str]) -> dict[str, Any]:
    return {"num_vars": len(keys), "names": list(keys), "bounds": [[0.0, 1.0]] * len(keys)}


def _sample(method: str, keys: Sequence[str], trajectories: int, seed: int) -> np.ndarray:
    """Points in the unit cube: Morris trajectories, or a Saltelli (Sobol) sample."""
    problem = _problem(keys)
    if method == "morris":
        from SALib.sample import morris

        return morris.sample(problem, trajectories, num_levels=MORRIS_LEVELS, seed=seed)
    from SALib.sample import sobol

    base = 2 ** math.ceil(math.log2(trajectories))  # Saltelli wants a power of two
    return sobol.sample(problem, base, calc_second_order=False, seed=seed)


def point_specs(
    scenario: Scenario,
    baseline: Baseline,
    keys: Sequence[str],
    samples: np.ndarray,
    replications: int,
    years: int,
    seed: int,
) -> list[BatchSpec]:
    """Two batches per point (the scenario, and it without the principles for the effect;
    one when it does not apply them), every one with the same seed and replications."""
    order = scenario.graph_keys()
    walk = walk_for(scenario)
    applied = scenario.values["principles.applied"]
    specs = []
    for p, row in enumerate(samples):
        uniforms = [0.0] * len(order)
        for key, u in zip(keys, row, strict=True):
            uniforms[order.index(key)] = min(float(u), 1.0 - 1e-12)
        chosen = {k: d for k, d in scenario.uncertainty.items() if k in keys}
        values = draw_values(scenario.values, chosen, uniforms, order)
        own = walk_with(walk, values) if any(k.startswith("lifecycle.") for k in keys) else walk
        variants = [values, {**values, "principles.applied": False}] if applied else [values]
        for v, point in enumerate(variants):
            specs.append(BatchSpec(2 * p + v, point, baseline, own, years, seed, 0, replications))
    return specs


def _outputs(
    scenario: Scenario,
    baseline: Baseline,
    results: Sequence[Any],
    found: Sequence[Output],
    targets: Sequence[Target],
    points: int,
    years: int,
) -> list[list[float]]:
    """Per point the value of every output (shares and chances in percentage points)."""
    import numpy as np

    by_index = {r.scenario_index: r for r in results}
    mask = np.array([p in baseline.randstad for p in baseline.provinces])
    first = baseline.peildatum.year
    applied = scenario.values["principles.applied"]
    rows = []
    for p in range(points):
        own = by_index[2 * p].provinces
        outside = 1.0 - own[:, -1, mask].sum(axis=1) / own[:, -1].sum(axis=1)
        row = [100.0 * float(outside.mean())]
        if applied:
            base = by_index[2 * p + 1].provinces
            reference = 1.0 - base[:, -1, mask].sum(axis=1) / base[:, -1].sum(axis=1)
            row.append(100.0 * float((outside - reference).mean()))
        for target in targets:
            values = series(target, own, baseline.provinces, baseline.randstad)
            column = values[:, target.year - first]
            reached = column >= target.value if target.op == ">=" else column <= target.value
            row.append(100.0 * float(reached.mean()))
        rows.append(row)
    if len(rows[0]) != len(found):
        raise RuntimeError("sensitivity: outputs and values do not match")
    return rows


def _analyse(
    method: str,
    keys: Sequence[str],
    samples: np.ndarray,
    values: list[list[float]],
    found: Sequence[Output],
) -> dict[str, dict[str, dict[str, float]]]:
    import numpy as np

    problem = _problem(keys)
    table = np.asarray(values)
    indices: dict[str, dict[str, dict[str, float]]] = {}
    for j, output in enumerate(found):
        y = table[:, j]
        if method == "morris":
            from SALib.analyze import morris

            si = morris.analyze(problem, samples, y, num_levels=MORRIS_LEVELS, seed=0)
            names = {"mu_star": "mu_star", "mu": "mu", "sigma": "sigma", "conf": "mu_star_conf"}
        else:
            from SALib.analyze import sobol

            with np.errstate(all="ignore"):
                si = sobol.analyze(problem, y, calc_second_order=False, seed=0)
            names = {"S1": "S1", "ST": "ST", "S1_conf": "S1_conf", "ST_conf": "ST_conf"}
        indices[output.key] = {
            key: {name: float(np.nan_to_num(si[source][i])) for name, source in names.items()}
            for i, key in enumerate(keys)
        }
    return indices


COLUMNS = ("output", "words", "key", "label", "distribution", "index", "value")


def table_rows(result: Sensitivity) -> list[tuple[Any, ...]]:
    """The rows of ``sensitivity.csv``: per output, assumption (by rank) and index."""
    params = registry(result.scenario.graph)
    rows = []
    for output in result.outputs:
        for key in result.ranked(output.key):
            for name, value in result.indices[output.key][key].items():
                rows.append(
                    (
                        output.key,
                        output.words,
                        key,
                        params[key].label,
                        result.scenario.uncertainty[key].words,
                        name,
                        f"{value:.6f}",
                    )
                )
    return rows


def write_outputs(result: Sensitivity, out: Path, *, synthetic: bool = False) -> list[Path]:
    """``sensitivity.csv``, ``sensitivity.json`` and the tornado chart into ``out``."""
    from spreiding.simulation.charts import TORNADO, draw_tornado
    from spreiding.simulation.outputs import write_csv

    out.mkdir(parents=True, exist_ok=True)
    written = [write_csv(out / "sensitivity.csv", COLUMNS, table_rows(result))]
    path = out / "sensitivity.json"
    path.write_text(
        json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    written.append(path)
    written += draw_tornado(result, out / TORNADO, synthetic=synthetic)
    return written


def store_result(path: Path, result: Sensitivity, about: dict[str, Any]) -> Path:
    """Keep ``result`` in ``path`` beside those of other scenarios (for the bijsluiter of
    later projections), with how it was made."""
    stored = read_results(path)
    stored[result.scenario.name] = {**about, **result.to_json()}
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(dict(sorted(stored.items())), ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


def read_results(path: Path) -> dict[str, dict[str, Any]]:
    """The stored analyses by scenario name; empty when there are none or it is unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, dict) and "indices" in v}
