"""Reference scenarios in the manner of the WLO: a high and a low world to test policy in.

A *reference* says how the world develops (growth, taakstelling, the number and size of
plans), not what the government does; a *policy variant* (``trend``, ``nieuwe-aanpak``,
``strikt``) says what it does. ``spreiding simulate trend nieuwe-aanpak strikt --reference
hoog --reference laag`` runs every variant against every reference in one run, on common
random numbers, and reports each variant's effect against ``trend`` in the same reference.

A reference is a TOML file in ``references/`` (shipped: ``hoog``, ``midden``, ``laag``) or
a path: a ``description`` and keys of the sections :data:`WORLD` only, with their
distributions in ``[uncertainty]``. :func:`apply_reference` lays it over a variant; a key
the reference sets whose distribution the variant gives must get its distribution from the
reference too, else the range of the variant would override the reference's value.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path
from typing import Any

from spreiding.core.errors import InvalidInput
from spreiding.simulation.parameters import (
    Scenario,
    _flatten,
    _unflatten,
    from_mapping,
    registry,
    uncertainty_data,
)

WORLD = ("growth", "taakstelling", "events")
"""The sections a reference may set: the world, not the policy."""
SHIPPED_REFERENCES = ("hoog", "midden", "laag")
REFERENCE_DIR = files("spreiding.simulation") / "references"


@dataclass(frozen=True)
class Reference:
    """A validated reference: its name, file, description, values and distributions."""

    name: str
    source: str
    description: str
    values: dict[str, Any]
    uncertainty: dict[str, Any]


def reference_path(name: str) -> Path:
    """The file of a shipped reference."""
    return Path(str(REFERENCE_DIR / f"{name}.toml"))


def load_reference(name_or_path: str | Path) -> Reference:
    """Load and check a shipped reference by name, or a reference file by path."""
    text = str(name_or_path)
    if text in SHIPPED_REFERENCES and not Path(text).suffix:
        path = reference_path(text)
    else:
        path = Path(text)
        if not path.is_file():
            raise InvalidInput(
                f"--reference {text!r}: no shipped reference of that name and no such file; "
                f"shipped: {', '.join(SHIPPED_REFERENCES)}"
            )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: not valid TOML: {exc}") from None
    description = data.pop("description", "")
    if not isinstance(description, str):
        raise InvalidInput(f"{path}: description must be text")
    ranges = data.pop("uncertainty", {})
    if not isinstance(ranges, dict):
        raise InvalidInput(f"{path}: [uncertainty] must be a table")
    flat = _flatten(data)
    params = registry()
    for key in [*flat, *ranges]:
        section = key.partition(".")[0]
        if section not in WORLD:
            raise InvalidInput(
                f"{path}: {key}: a reference describes the world, not the policy; "
                f"only keys of {', '.join(f'[{w}]' for w in WORLD)}"
            )
        if key not in params:
            raise InvalidInput(f"{path}: unknown key {key!r}")
    # validate the values and distributions as a scenario would
    from_mapping({**data, "uncertainty": ranges}, name=path.stem, source=str(path))
    return Reference(path.stem, str(path), description, flat, dict(ranges))


def apply_reference(scenario: Scenario, reference: Reference) -> Scenario:
    """``scenario`` in the world of ``reference``: named ``<variant>-<reference>``."""
    ranges = uncertainty_data(scenario)
    for key in reference.values:
        if key in ranges and key not in reference.uncertainty:
            raise InvalidInput(
                f"{reference.source}: {key} is set, but scenario {scenario.name} draws it from "
                f"a distribution; give {key!r} a distribution in the reference's [uncertainty]"
            )
    data = _unflatten({**scenario.values, **reference.values})
    data["description"] = scenario.description
    data["targets"] = list(scenario.targets)
    data["uncertainty"] = {**ranges, **reference.uncertainty}
    name = f"{scenario.variant}-{reference.name}"
    combined = from_mapping(data, name=name, source=scenario.source, graph=scenario.graph)
    return replace(
        combined,
        shipped=scenario.shipped,
        reference=reference.name,
        reference_text=reference.description,
        policy=scenario.variant,
    )


def combine(scenarios: list[Scenario], references: list[Reference]) -> list[Scenario]:
    """Every variant in every reference, reference by reference; the variants alone if none."""
    if not references:
        return scenarios
    names = [r.name for r in references]
    if len(set(names)) != len(names):
        raise InvalidInput(f"--reference: a reference is named twice ({', '.join(names)})")
    return [apply_reference(s, r) for r in references for s in scenarios]
