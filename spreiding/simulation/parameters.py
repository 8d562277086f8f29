"""Scenarios: TOML files of model parameters, validated on load, documented key by key.

A scenario is a TOML file. Every key the model reads is declared here once, as a
:class:`Param` with its documentation, its range and its default; the keys of the case walk
(``lifecycle.branch.<event>`` and ``lifecycle.days.<state>``) are derived from the case
lifecycle chart itself, so a scenario naming an event or a state that the chart does not
have is refused. A key missing from a file takes its default; an unknown key, a wrong type or
a value out of range raises :class:`~spreiding.core.errors.InvalidInput` with one message that
names the file and the key.

Three scenarios ship in ``scenarios/`` (``trend``, ``nieuwe-aanpak``, ``strikt``); a
``SCENARIO`` argument is one of those names or a path to a ``.toml`` file.
:func:`render_toml` writes a validated scenario back as commented TOML, which is what
``spreiding scenario show NAME`` prints, ready to copy and edit.

The parameter hash (:attr:`Scenario.hash`) is the SHA-256 of the canonical JSON of every
validated parameter (defaults filled in; ``description`` and ``targets`` left out, as they do
not change the simulation): two files that mean the same model have the same hash.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import textwrap
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from spreiding.core.dutch import date_text, number
from spreiding.core.errors import InvalidInput
from spreiding.simulation.baseline import SECTORS
from spreiding.simulation.lifecycle import (
    DEFAULT_BRANCH_WEIGHTS,
    DEFAULT_STATE_DAYS,
    ChartGraph,
    ChartMismatch,
    branch_probabilities,
    chart_graph,
    no_exit_message,
    states_without_exit,
)
from spreiding.simulation.targets import parse_target
from spreiding.statemachine.rules import CONSIDERATIONS

ILLUSTRATIVE_MARK = "illustratief: aannames, niet gekalibreerd"
"""On every chart and the first page of the bijsluiter while an assumption drives a result."""

PROVENANCE = {
    "aanname": "aanname (niet gemeten; bereik en reden in de toelichting)",
    "keuze": "keuze van het scenario (beleid, geen onzekerheid)",
    "data": "uit de gegevens geschat",
}
"""Where a parameter's value comes from, in Dutch words for the bijsluiter."""
CHOICES = frozenset(
    {
        "description",
        "targets",
        "principles.applied",
        "principles.from",
        "growth.source",
        # the taakstelling's years and sectors are the cabinet's decision; its depth, as a
        # rate of shrinkage, is an assumption
        "taakstelling.first_year",
        "taakstelling.last_year",
        "taakstelling.sectors",
    }
)
POLICY_DATE = "2024-05-08"
"""When the principles took effect by default: the letter to parliament after the council of
ministers agreed (Kamerstuk 31 490 nr. 337 of 8 May 2024; the memo is of 30 April 2024)."""
GROWTH_SOURCES = ("data", "aanname")
"""Keys that state what a scenario is about rather than assume something about the world."""

CASE_KINDS = ("groei", "krimp", "nieuw", "hervestiging")
SHIPPED = ("trend", "nieuwe-aanpak", "strikt")
SCENARIO_DIR = files("spreiding.simulation") / "scenarios"
NOT_HASHED = ("description", "targets")


@dataclass(frozen=True)
class Param:
    """One scenario key: its type, default, range and documentation (English and Dutch)."""

    key: str
    kind: str  # "float", "int", "bool", "str", "date", "sectors", "targets"
    default: Any
    doc: str
    label: str  # short Dutch label for the bijsluiter
    low: float | None = None
    high: float | None = None

    @property
    def provenance(self) -> str:
        """``keuze`` (what the scenario is about) or ``aanname`` (an assumption, with the
        range in :attr:`range_text` and the reason in :attr:`doc`); fitted values carry
        ``data``."""
        return "keuze" if self.key in CHOICES else "aanname"

    @property
    def range_text(self) -> str:
        """The allowed values in words, e.g. ``0..1``."""
        if self.kind == "bool":
            return "true or false"
        if self.kind == "sectors":
            return "list of: " + ", ".join(SECTORS)
        if self.kind == "targets":
            return 'list of targets like "buiten-randstad>=0.45@2030"'
        if self.kind == "str":
            return "text"
        if self.kind == "date":
            return "a date, YYYY-MM-DD"
        return f"{_fmt(self.low)}..{_fmt(self.high)}"


def _fmt(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _p(key: str, kind: str, default: Any, doc: str, label: str, *bounds: float) -> Param:
    low, high = bounds if bounds else (None, None)
    return Param(key, kind, default, doc, label, low, high)


_GROWTH_DEFAULTS = {
    "ministeries": 0.010,
    "politie": 0.015,
    "rechtspraak": 0.010,
    "gevangeniswezen": 0.010,
    "defensie": 0.030,
    "zbo": 0.010,
}

_EXEMPTIONS: dict[str, tuple[float, str, str]] = {
    "primary_process": (
        0.10,
        "Chance that a weighty interest of the primary process (or a complex administrative "
        "process, a fluctuating case load) exempts a case from the principles.",
        "uitzondering primair proces",
    ),
    "legal_location": (
        0.05,
        "Chance that a law fixes the location (e.g. the judicial map) and exempts a case.",
        "uitzondering wettelijke vestigingsplaats",
    ),
    "housing_cost": (
        0.10,
        "Chance that avoiding high housing costs or a disinvestment exempts a case.",
        "uitzondering huisvestingskosten",
    ),
}
"""Default chance, documentation and Dutch label of each consideration's exemption."""


def _exemption_params() -> tuple[Param, ...]:
    """One ``exemptions.<consideration>`` key per consideration of the lifecycle's rules."""
    unknown = sorted(set(CONSIDERATIONS) ^ set(_EXEMPTIONS))
    if unknown:
        raise ChartMismatch(
            f"consideration {unknown[0]!r} is in only one of CONSIDERATIONS "
            "(spreiding/statemachine/rules.py) and _EXEMPTIONS "
            "(spreiding/simulation/parameters.py)"
        )
    return tuple(
        _p(f"exemptions.{key}", "float", default, doc, label, 0, 1)
        for key, (default, doc, label) in ((k, _EXEMPTIONS[k]) for k in CONSIDERATIONS)
    )


STATIC_PARAMS: tuple[Param, ...] = (
    _p("description", "str", "", "One line on what this scenario assumes.", "omschrijving"),
    _p(
        "targets",
        "targets",
        [],
        "Targets ('stip op de horizon') evaluated for this scenario, besides --target.",
        "doelen",
    ),
    _p(
        "principles.applied",
        "bool",
        True,
        "Apply the guiding principles to location choices at all; false = every plan lands "
        "where the ministry planned it (today's spatial pattern).",
        "principes toegepast",
    ),
    _p(
        "principles.from",
        "date",
        POLICY_DATE,
        "The date from which the principles act: cases closed on or after it are decided by "
        "them, and the taakstelling of its year and later takes the Randstad first; before it "
        "every plan lands where the ministry planned it. Default: the letter to parliament "
        "of 8 May 2024, after the council of ministers agreed (the memo is of 30 April 2024).",
        "principes gelden vanaf",
    ),
    _p(
        "principles.compliance",
        "float",
        0.7,
        "Chance that a case settled in agreement with BZK lands where the principles point "
        "(krimp in the Randstad; groei, nieuw, hervestiging outside it); otherwise the "
        "ministry's own plan is agreed. Also the share of the taakstelling taken in the "
        "Randstad first.",
        "naleving bij overeenstemming",
        0,
        1,
    ),
    _p(
        "principles.mr_follows_advice",
        "float",
        0.5,
        "Chance that the council of ministers (MR), when a case is escalated, follows the "
        "BZK advice rather than the ministry's own choice.",
        "kans dat de MR het BZK-advies volgt",
        0,
        1,
    ),
    *_exemption_params(),
    *(
        _p(
            f"growth.{sector}",
            "float",
            rate,
            f"Autonomous yearly change of {sector} (changes below 100 fte, spread like today), "
            "as a fraction: 0.01 = +1% a year.",
            f"autonome groei {sector} per jaar",
            -0.2,
            0.2,
        )
        for sector, rate in _GROWTH_DEFAULTS.items()
    ),
    _p(
        "growth.source",
        "str",
        "data",
        "Where the reference growth comes from: 'data' fits the sector rates, their spread "
        "and where growth landed on the complete peildata up to the start (at least two; "
        "else the values below are used), 'aanname' uses the values below.",
        "herkomst van de referentiegroei",
    ),
    _p(
        "growth.offset",
        "float",
        0.0,
        "Added to every sector's yearly rate, fitted or assumed: how a reference (high or low "
        "growth, in the manner of the WLO scenarios) departs from the history; 0.005 = half a "
        "percent a year faster.",
        "afwijking van de referentiegroei per jaar",
        -0.1,
        0.1,
    ),
    _p(
        "growth.common_sd",
        "float",
        0.01,
        "Year-to-year spread (standard deviation) of a shock that every sector shares in a "
        "year (budgets, the labour market); fitted as the spread of the total's yearly growth "
        "when the store has at least two years of growth.",
        "gezamenlijke spreiding van de groei (sd)",
        0,
        0.2,
    ),
    _p(
        "growth.allocation",
        "float",
        1.0,
        "Weight of where growth landed in the history (the fitted allocation) against "
        "today's pattern, for a growing sector's net growth: 1 = where it landed, 0 = like "
        "today. A short history says little about where growth goes next.",
        "gewicht van de geschatte verdeling van de groei",
        0,
        1,
    ),
    _p(
        "growth.sd",
        "float",
        0.01,
        "Year-to-year spread (standard deviation) of each sector's autonomous change.",
        "spreiding van de autonome groei (sd)",
        0,
        0.2,
    ),
    _p(
        "taakstelling.rate",
        "float",
        0.02,
        "Budget cut (taakstelling) as shrinkage: fraction of the fte of the sectors below "
        "that goes each year from first_year to last_year.",
        "taakstelling per jaar",
        0,
        0.5,
    ),
    _p(
        "taakstelling.first_year",
        "int",
        2025,
        "First year of the cut.",
        "taakstelling vanaf",
        2000,
        2100,
    ),
    _p(
        "taakstelling.last_year",
        "int",
        2029,
        "Last year of the cut.",
        "taakstelling t/m",
        2000,
        2100,
    ),
    _p(
        "taakstelling.sectors",
        "sectors",
        ["ministeries", "zbo"],
        "The sectors the cut applies to.",
        "sectoren met taakstelling",
    ),
    *(
        _p(
            f"events.{kind}",
            "float",
            rate,
            f"Mean number of {kind} plans of >= 100 fte per year (a Poisson process); each "
            "becomes a case.",
            f"{kind}-plannen per jaar",
            0,
            1000,
        )
        for kind, rate in {"groei": 10.0, "krimp": 5.0, "nieuw": 3.0, "hervestiging": 2.0}.items()
    ),
    _p(
        "events.size_median",
        "float",
        250.0,
        "Median size of a plan in fte (log-normal, at least 100).",
        "mediane omvang plan (fte)",
        100,
        100_000,
    ),
    _p(
        "events.size_sigma",
        "float",
        0.6,
        "Spread of the plan size: sigma of the log-normal.",
        "spreiding omvang plan (sigma)",
        0,
        3,
    ),
    _p(
        "rvb.capacity",
        "int",
        25,
        "Housing projects the Rijksvastgoedbedrijf (RVB) runs at the same time; more wait.",
        "gelijktijdige RVB-projecten",
        1,
        10_000,
    ),
    _p(
        "rvb.realisation_days",
        "float",
        540.0,
        "Mean calendar days to realise a housing project (gamma, shape 4); the fte move "
        "when it completes.",
        "realisatietijd RVB-project (dagen)",
        0,
        3650,
    ),
)


def lifecycle_params(graph: ChartGraph) -> tuple[Param, ...]:
    """The keys of the case walk, one per event and per non-final state of the chart."""
    params = []
    for event in graph.events:
        if event not in DEFAULT_BRANCH_WEIGHTS:
            raise ChartMismatch(
                f"the case lifecycle has event {event!r} without a default branch weight; "
                "add it to DEFAULT_BRANCH_WEIGHTS in spreiding/simulation/lifecycle.py"
            )
        label = graph.event_labels[event]
        params.append(
            _p(
                f"lifecycle.branch.{event}",
                "float",
                DEFAULT_BRANCH_WEIGHTS[event],
                f"Relative weight of event {event} ({label}) where it is possible; in each "
                "state the weights of its possible events make its probabilities.",
                f"gewicht '{label}'",
                0,
                1000,
            )
        )
    for state in graph.waiting_states:
        if state not in DEFAULT_STATE_DAYS:
            raise ChartMismatch(
                f"the case lifecycle has state {state!r} without a default duration; "
                "add it to DEFAULT_STATE_DAYS in spreiding/simulation/lifecycle.py"
            )
        label = graph.labels[state]
        params.append(
            _p(
                f"lifecycle.days.{state}",
                "float",
                DEFAULT_STATE_DAYS[state],
                f"Mean calendar days a case stays in state {state} ({label}); exponential.",
                f"gemiddelde dagen in '{label}'",
                0,
                3650,
            )
        )
    return tuple(params)


def registry(graph: ChartGraph | None = None) -> dict[str, Param]:
    """Every scenario key -> its Param, for ``graph`` (default: the case lifecycle chart)."""
    graph = graph or _default_graph()
    return {p.key: p for p in (*STATIC_PARAMS, *lifecycle_params(graph))}


@cache
def _default_graph() -> ChartGraph:
    return chart_graph()


# -- distributions of the assumptions ------------------------------------------------------------

DISTRIBUTIONS = ("uniform", "loguniform", "triangular", "normal")
"""The distributions an assumption may be drawn from (``dist`` in ``[uncertainty]``)."""
CHOICE = "keuze"
"""``"key" = "keuze"`` in ``[uncertainty]``: this scenario fixes the key on purpose (what it is
about, e.g. full compliance in ``strikt``): provenance ``keuze``, not drawn."""


@dataclass(frozen=True)
class Distribution:
    """Where one assumption is drawn from per replication, by the inverse of its CDF.

    ``low``..``high`` is the support (a normal is cut off at three standard deviations and at
    the key's own range). Drawing by the inverse CDF of one uniform per key keeps the draws of
    scenarios with the same distributions equal (common random numbers), and lets the
    sensitivity analysis map its unit-cube samples through the same function.
    """

    kind: str
    low: float
    high: float
    mode: float | None = None  # triangular
    mean: float | None = None  # normal
    sd: float | None = None  # normal

    def ppf(self, u: float) -> float:
        """The value at quantile ``u`` in [0, 1)."""
        if self.kind == "uniform":
            return self.low + u * (self.high - self.low)
        if self.kind == "loguniform":
            return math.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low)))
        if self.kind == "triangular":
            low, high, mode = self.low, self.high, float(self.mode)  # type: ignore[arg-type]
            if high == low:
                return low
            cut = (mode - low) / (high - low)
            if u < cut:
                return low + math.sqrt(u * (high - low) * (mode - low))
            return high - math.sqrt((1.0 - u) * (high - low) * (high - mode))
        from statistics import NormalDist  # normal, truncated to [low, high]

        normal = NormalDist(float(self.mean), float(self.sd))  # type: ignore[arg-type]
        if not self.sd:
            return float(self.mean)  # type: ignore[arg-type]
        a, b = normal.cdf(self.low), normal.cdf(self.high)
        return min(
            max(normal.inv_cdf(min(max(a + u * (b - a), 1e-12), 1 - 1e-12)), self.low), self.high
        )

    @property
    def data(self) -> Any:
        """The TOML/JSON form: ``[low, high]`` for a uniform, else a table with ``dist``."""
        if self.kind == "uniform":
            return [self.low, self.high]
        if self.kind == "loguniform":
            return {"dist": self.kind, "low": self.low, "high": self.high}
        if self.kind == "triangular":
            return {"dist": self.kind, "low": self.low, "mode": self.mode, "high": self.high}
        return {"dist": self.kind, "mean": self.mean, "sd": self.sd}

    @property
    def words(self) -> str:
        """In Dutch: ``uniform 0,35 – 1``, ``driehoek 0,5 – 0,7 – 1``, ``normaal 0,01 ± 0,005``."""
        if self.kind == "uniform":
            return f"uniform {dutch_value(self.low)} – {dutch_value(self.high)}"
        if self.kind == "loguniform":
            return f"log-uniform {dutch_value(self.low)} – {dutch_value(self.high)}"
        if self.kind == "triangular":
            return (
                f"driehoek {dutch_value(self.low)} – {dutch_value(self.mode)} – "
                f"{dutch_value(self.high)}"
            )
        return f"normaal {dutch_value(self.mean)} ± {dutch_value(self.sd)} (sd)"


# -- the validated scenario -----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Scenario:
    """A validated scenario: its name, where it came from and every parameter value."""

    name: str
    source: str
    values: dict[str, Any]
    description: str = ""
    targets: tuple[str, ...] = ()
    shipped: bool = False
    graph: ChartGraph = field(default_factory=lambda: _default_graph(), repr=False)
    uncertainty: dict[str, Distribution] = field(default_factory=dict)
    """Per assumption, the distribution it is drawn from per replication."""
    choices: frozenset[str] = frozenset()
    """Keys this scenario fixes on purpose (``"key" = "keuze"``): provenance keuze."""
    reference: str = ""
    """The reference (high, low: :mod:`.references`) applied to this policy variant, or ""."""
    reference_text: str = ""
    """The reference's description (Dutch), for the bijsluiter."""
    policy: str = ""
    """The policy variant's own name (``trend``) when :attr:`name` carries a reference."""

    @property
    def variant(self) -> str:
        """The policy variant: ``trend`` for ``trend-hoog``."""
        return self.policy or self.name

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def hash(self) -> str:
        """SHA-256 of the canonical JSON of the validated parameters (the model's input),
        with their ranges when the scenario has any."""
        data = dict(self.values)
        if self.uncertainty or self.choices:
            data["uncertainty"] = dict(sorted(uncertainty_data(self).items()))
        return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()

    def with_values(self, changes: Mapping[str, Any], *, name: str | None = None) -> Scenario:
        """A copy with some values changed (dotted keys), validated again; a changed key is
        fixed at its new value (it loses its range)."""
        values = {**self.values, **changes}
        data = _unflatten({**values, "description": self.description})
        data["targets"] = list(self.targets)
        data["uncertainty"] = {k: v for k, v in uncertainty_data(self).items() if k not in changes}
        changed = from_mapping(data, name=name or self.name, source=self.source, graph=self.graph)
        return replace(
            changed,
            reference=self.reference,
            reference_text=self.reference_text,
            policy=self.policy,
        )

    def graph_keys(self) -> list[str]:
        """Every key of this scenario's registry, in its order (for the parameter draws)."""
        return list(registry(self.graph))

    def without_uncertainty(self) -> Scenario:
        """The same scenario with every assumption fixed at its value (chance alone)."""
        return replace(self, uncertainty={})

    def provenance(self, key: str) -> str:
        """``keuze``, ``aanname`` (or, for fitted values, ``data``: set by the caller)."""
        return CHOICE if key in self.choices else registry(self.graph)[key].provenance


def uncertainty_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario's ``[uncertainty]`` table as TOML data (loads back to the same)."""
    data: dict[str, Any] = {k: d.data for k, d in scenario.uncertainty.items()}
    data.update({k: CHOICE for k in sorted(scenario.choices)})
    return data


def canonical_json(values: Mapping[str, Any]) -> str:
    """The canonical JSON form that :attr:`Scenario.hash` is taken over."""
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def shipped_path(name: str) -> Path:
    """The file of a shipped scenario."""
    return Path(str(SCENARIO_DIR / f"{name}.toml"))


def load_scenario(name_or_path: str | Path, *, graph: ChartGraph | None = None) -> Scenario:
    """Load and validate a shipped scenario by name, or a scenario file by path."""
    text = str(name_or_path)
    if text in SHIPPED and not Path(text).suffix:
        path, shipped = shipped_path(text), True
    else:
        path, shipped = Path(text), False
        if not path.is_file():
            raise InvalidInput(
                f"scenario {text!r}: no shipped scenario of that name and no such file; "
                f"shipped: {', '.join(SHIPPED)}"
            )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: not valid TOML: {exc}") from None
    scenario = from_mapping(data, name=path.stem, source=str(path), graph=graph)
    return replace(scenario, shipped=shipped)


def from_mapping(
    data: Mapping[str, Any], *, name: str, source: str, graph: ChartGraph | None = None
) -> Scenario:
    """Validate nested TOML data; every message names ``source`` and the key."""
    graph = graph or _default_graph()
    data = dict(data)
    ranges = data.pop("uncertainty", {})
    flat = _flatten(data)
    _check_lifecycle_keys(flat, source, graph)
    params = registry(graph)
    for key in flat:
        if key not in params:
            raise InvalidInput(f"{source}: unknown key {key!r}{_hint(key, params)}")
    values = {k: _check_value(params[k], flat.get(k, params[k].default), source) for k in params}
    _check_together(values, source, graph)
    targets = tuple(values.pop("targets"))
    description = values.pop("description")
    _check_targets(targets, source)
    uncertainty, choices = _check_uncertainty(ranges, values, params, source)
    return Scenario(
        name,
        source,
        values,
        description,
        targets,
        graph=graph,
        uncertainty=uncertainty,
        choices=choices,
    )


def _check_uncertainty(
    ranges: Any, values: Mapping[str, Any], params: Mapping[str, Param], source: str
) -> tuple[dict[str, Distribution], frozenset[str]]:
    """``[uncertainty]``: per numeric assumption ``[low, high]`` (uniform), a table with
    ``dist`` (``loguniform``: low, high; ``triangular``: low, mode, high; ``normal``: mean,
    sd), or ``"keuze"`` (fixed on purpose by this scenario)."""
    if not isinstance(ranges, dict):
        raise InvalidInput(f'{source}: [uncertainty] must be a table of "key" = [low, high]')
    checked: dict[str, Distribution] = {}
    choices = set()
    for key, given in ranges.items():
        param = params.get(key)
        if param is None:
            raise InvalidInput(f"{source}: uncertainty: unknown key {key!r}{_hint(key, params)}")
        if param.kind not in ("float", "int") or param.provenance != "aanname":
            raise InvalidInput(
                f"{source}: uncertainty.{key}: only a numeric assumption can have a distribution"
            )
        if given == CHOICE:
            choices.add(key)
            continue
        checked[key] = _distribution(key, given, param, source)
        if key.startswith("lifecycle.branch.") and (checked[key].low <= 0 or values[key] <= 0):
            raise InvalidInput(
                f"{source}: uncertainty.{key}: a drawn branch weight must stay above 0 "
                "(its value and the lower end of its distribution)"
            )
    return checked, frozenset(choices)


_DISTRIBUTION_KEYS = {
    "uniform": ("low", "high"),
    "loguniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "normal": ("mean", "sd"),
}


def _distribution(key: str, given: Any, param: Param, source: str) -> Distribution:
    where = f"{source}: uncertainty.{key} = {_show(given)}"
    kind, n = _distribution_numbers(given, where)
    bottom = param.low if param.low is not None else -math.inf
    top = param.high if param.high is not None else math.inf
    if kind == "normal":
        if n["sd"] < 0:
            raise InvalidInput(f"{where}: sd must be 0 or more")
        if not bottom <= n["mean"] <= top:
            raise InvalidInput(f"{where}: mean is out of range {param.range_text}")
        low = max(n["mean"] - 3 * n["sd"], bottom)
        high = min(n["mean"] + 3 * n["sd"], top)
        return Distribution(kind, low, high, mean=n["mean"], sd=n["sd"])
    low, high = n["low"], n["high"]
    if not low <= high:
        raise InvalidInput(
            f"{source}: uncertainty.{key}: low {_fmt(low)} is above high {_fmt(high)}"
        )
    if not (bottom <= low and high <= top):
        raise InvalidInput(f"{where} is out of range {param.range_text}")
    if kind == "loguniform" and low <= 0:
        raise InvalidInput(f"{where}: a log-uniform needs low above 0")
    if kind == "triangular" and not low <= n["mode"] <= high:
        raise InvalidInput(f"{where}: mode must lie between low and high")
    return Distribution(kind, low, high, mode=n.get("mode"))


def _distribution_numbers(given: Any, where: str) -> tuple[str, dict[str, float]]:
    """The kind and the numbers of a distribution as written; refused with ``where``."""
    if isinstance(given, list):
        if len(given) != 2:
            raise InvalidInput(f"{where}: use [low, high] or a table with dist")
        given = {"dist": "uniform", "low": given[0], "high": given[1]}
    if not isinstance(given, dict):
        raise InvalidInput(f'{where}: use [low, high], a table with dist, or "{CHOICE}"')
    kind = given.get("dist")
    if kind not in _DISTRIBUTION_KEYS:
        raise InvalidInput(f"{where}: dist must be one of {', '.join(DISTRIBUTIONS)}")
    wanted = _DISTRIBUTION_KEYS[kind]
    extra = sorted(set(given) - {"dist", *wanted})
    if extra:
        raise InvalidInput(f"{where}: {kind} takes {', '.join(wanted)}, not {extra[0]}")
    numbers = {k: _as_float(given.get(k)) for k in wanted}
    missing = [k for k, v in numbers.items() if v is None]
    if missing:
        raise InvalidInput(f"{where}: {kind} needs a number for {missing[0]}")
    return kind, {k: float(v) for k, v in numbers.items() if v is not None}


def draw_values(
    scenario_values: Mapping[str, Any],
    uncertainty: Mapping[str, Distribution],
    uniforms: Any,
    order: Sequence[str],
) -> dict[str, Any]:
    """The values of one replication: each uncertain key drawn from its distribution.

    ``uniforms[k]`` belongs to key ``order[k]`` (every key of the registry, in its order), so
    scenarios with the same distributions draw the same values (common random numbers).
    """
    drawn = dict(scenario_values)
    for k, key in enumerate(order):
        if key in uncertainty:
            value = uncertainty[key].ppf(float(uniforms[k]))
            drawn[key] = round(value) if isinstance(scenario_values[key], int) else value
    return drawn


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def _unflatten(values: Mapping[str, Any]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for key, value in values.items():
        *tables, leaf = key.split(".")
        node = nested
        for table in tables:
            node = node.setdefault(table, {})
        node[leaf] = value
    return nested


def _hint(key: str, params: Mapping[str, Param]) -> str:
    close = difflib.get_close_matches(key, list(params), n=1, cutoff=0.75)
    if close:
        return f"; did you mean {close[0]!r}?"
    section = key.rpartition(".")[0]
    siblings = [k.rpartition(".")[2] for k in params if k.rpartition(".")[0] == section]
    if siblings and section:
        return f"; known keys in [{section}]: {', '.join(siblings)}"
    return ""


def _check_lifecycle_keys(flat: Mapping[str, Any], source: str, graph: ChartGraph) -> None:
    chart = "the case lifecycle (CaseLifecycle in spreiding/statemachine/chart.py)"
    for key in flat:
        section, _, name = key.rpartition(".")
        if section == "lifecycle.branch" and name not in graph.events:
            raise InvalidInput(
                f"{source}: {key} is not an event of {chart}; events: {', '.join(graph.events)}"
            )
        if section == "lifecycle.days" and name not in graph.waiting_states:
            why = (
                "is a final state: a case does not wait there"
                if name in graph.final
                else f"is not a state of {chart}"
            )
            raise InvalidInput(
                f"{source}: {key} {why}; states with a duration: {', '.join(graph.waiting_states)}"
            )


def _check_value(param: Param, value: Any, source: str) -> Any:
    checker = _CHECKERS[param.kind]
    checked = checker(value)
    if checked is None:
        raise InvalidInput(
            f"{source}: {param.key} = {_show(value)} is not valid; expected {_kind_text(param)}"
        )
    low, high = param.low, param.high
    if low is not None and high is not None and not low <= checked <= high:
        raise InvalidInput(
            f"{source}: {param.key} = {_show(value)} is out of range {param.range_text}"
        )
    return checked


def _kind_text(param: Param) -> str:
    names = {"float": "a number", "int": "a whole number", "bool": "true or false"}
    return names.get(param.kind, param.range_text)


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, float) else repr(value)


def _as_float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _as_date(value: Any) -> str | None:
    """A date as ISO text (TOML may give a date or a string)."""
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(value).isoformat() if isinstance(value, str) else None
    except ValueError:
        return None


def _as_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _as_sectors(value: Any) -> list[str] | None:
    if not isinstance(value, list) or not all(v in SECTORS for v in value):
        return None
    return sorted(set(value), key=SECTORS.index)


def _as_strings(value: Any) -> list[str] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return list(value)


_CHECKERS = {
    "float": _as_float,
    "int": _as_int,
    "bool": lambda v: v if isinstance(v, bool) else None,
    "str": lambda v: v if isinstance(v, str) else None,
    "date": lambda v: _as_date(v),
    "sectors": _as_sectors,
    "targets": _as_strings,
}


def _check_together(values: Mapping[str, Any], source: str, graph: ChartGraph) -> None:
    weights = {e: values[f"lifecycle.branch.{e}"] for e in graph.events}
    for state in states_without_exit(graph, weights):
        raise InvalidInput(f"{source}: {no_exit_message(graph, state)}")
    if values["growth.source"] not in GROWTH_SOURCES:
        raise InvalidInput(
            f"{source}: growth.source = {_show(values['growth.source'])} is not valid; "
            f"expected one of: {', '.join(GROWTH_SOURCES)}"
        )
    first, last = values["taakstelling.first_year"], values["taakstelling.last_year"]
    if first > last:
        raise InvalidInput(
            f"{source}: taakstelling.first_year = {first} is after taakstelling.last_year = {last}"
        )


def _check_targets(targets: Iterable[str], source: str) -> None:
    for text in targets:
        try:
            parse_target(text)
        except InvalidInput as exc:
            raise InvalidInput(f"{source}: targets: {exc}") from None


# -- writing a scenario back as documented TOML ----------------------------------------------


def render_toml(scenario: Scenario) -> str:
    """The scenario as TOML with every key documented: valid input for :func:`load_scenario`."""
    params = registry(scenario.graph)
    lines = [
        f"# Scenario {scenario.name!r} ({scenario.source})",
        f"# Parameter hash (sha256): {scenario.hash}",
        "# Every key is documented: what it means, its range and its default.",
        "# Copy this file, edit it and pass its path as SCENARIO to 'spreiding simulate'.",
        "",
    ]
    values = {
        "description": scenario.description,
        "targets": list(scenario.targets),
        **scenario.values,
    }
    section = ""
    for key, param in params.items():
        table, _, leaf = key.rpartition(".")
        if table != section:
            lines += ["", f"[{table}]"]
            lines += _section_note(table, scenario)
            section = table
        doc = f"{param.doc} [{param.range_text}; default {_toml(param.default)}]"
        lines += textwrap.wrap(doc, width=99, initial_indent="# ", subsequent_indent="# ")
        lines.append(f"{leaf} = {_toml(values[key])}")
    if scenario.uncertainty or scenario.choices:
        lines += [
            "",
            "[uncertainty]",
            "# Per assumption the distribution it is drawn from in each replication: [low, high]",
            '# (uniform), {dist = "loguniform", low, high}, {dist = "triangular", low, mode,',
            '# high} or {dist = "normal", mean, sd}; "keuze" fixes a key on purpose (what this',
            "# scenario is about). 'spreiding simulate --chance-only' fixes every assumption.",
        ]
        lines += [f'"{k}" = {_toml_value(v)}' for k, v in uncertainty_data(scenario).items()]
    return "\n".join(lines) + "\n"


def _section_note(table: str, scenario: Scenario) -> list[str]:
    if table != "lifecycle.branch":
        return []
    weights = {
        k.rpartition(".")[2]: v for k, v in scenario.values.items() if k.startswith(table + ".")
    }
    lines = ["# With these weights, the chance of each event per state for a case of >= 100 fte:"]
    for state, chances in branch_probabilities(scenario.graph, weights).items():
        text = ", ".join(f"{e} {p:.0%}" for e, p in chances.items())
        lines.append(f"#   {state}: {text}")
    return lines


def _toml_value(value: Any) -> str:
    """A distribution's TOML form: a list, an inline table or a string."""
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return _toml(value)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def assumed(scenario: Scenario) -> list[str]:
    """The keys of ``scenario`` whose values are assumptions (provenance ``aanname``)."""
    return [key for key in scenario.values if scenario.provenance(key) == "aanname"]


def illustrative(scenarios: Iterable[Scenario]) -> bool:
    """Whether any assumption drives a result of these scenarios (then say so everywhere)."""
    return any(assumed(s) for s in scenarios)


def parameter_rows(scenario: Scenario) -> list[dict[str, Any]]:
    """Key, Dutch value, label, provenance and whether it differs from the default."""
    params = registry(scenario.graph)
    return [
        {
            "key": key,
            "value": dutch_value(value),
            "label": params[key].label,
            "provenance": scenario.provenance(key),
            "distribution": scenario.uncertainty[key].words if key in scenario.uncertainty else "",
            "changed": value != params[key].default,
        }
        for key, value in scenario.values.items()
    ]


def dutch_value(value: Any) -> str:
    """A parameter value as policy staff read it: ``0,7``, ``540``, ``ja``, ``ministeries, zbo``."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return str(value) if 1900 <= value <= 2200 else number(value)  # years stay years
    if isinstance(value, float):
        text = repr(value)
        decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 4
        return number(value, min(decimals, 6)) if not value.is_integer() else number(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and _as_date(value) == value:
        return date_text(date.fromisoformat(value))
    return str(value)
