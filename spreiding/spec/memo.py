"""The memo's rules and which scenarios illustrate them: the memo coverage and its gate.

The rules of the decision memo are listed once, with the words of the memo each stands for,
in ``memo_rules.toml`` next to this module (:func:`load_rules`). A scenario in
``features/*.feature`` says which rules it illustrates with tags named after the rules'
ids (``@principe-3``, ``@mr``). A tag above ``Functionaliteit:`` or ``Regel:`` counts for
every scenario under it, so a new scenario in a tagged file is tagged already.

:func:`evaluate` is **the memo gate** (run by ``tests/features/test_gate.py``). It fails when

* a rule in the list has no scenario (unless the list says in ``volgt`` where its scenarios
  will come from; such a rule that has scenarios after all fails too, so the note goes);
* a tag names no rule in the list (a typo, or a rule that was renamed on one side only);
* a scenario carries no rule at all (one tag on its ``Functionaliteit`` fixes that).

The gate reads the feature files only: which scenarios passed is the report's business
(:mod:`spreiding.spec.report` shows the matrix rule x scenarios with their results).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from spreiding.core.errors import InvalidInput

RULES_FILE = "memo_rules.toml"
SYSTEM_SOURCE = "systeem"
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class MemoRule:
    """One rule of the memo: its tag, a heading, a short name and the words it stands for."""

    id: str
    group: str
    title: str
    quote: str
    source: str = "nota"
    pending: str | None = None
    """Why no scenario exists yet and where it will come from (None: it must have one)."""

    @property
    def from_memo(self) -> bool:
        """Whether the quote is the memo's own words (not a requirement of the system)."""
        return self.source != SYSTEM_SOURCE


def parse_rules(data: Mapping[str, Any], origin: str = RULES_FILE) -> list[MemoRule]:
    """The rules in ``data`` (the TOML read as a dict); a bad entry raises one clear line."""
    rules: list[MemoRule] = []
    for number, entry in enumerate(data.get("regel", []), start=1):
        missing = [k for k in ("id", "groep", "titel", "citaat") if not entry.get(k)]
        if missing:
            raise InvalidInput(f"{origin}: regel {number} mist {', '.join(missing)}")
        rule_id = entry["id"]
        if not _ID.match(rule_id):
            raise InvalidInput(
                f"{origin}: regel {number}: id {rule_id!r} is geen tag (kleine letters, cijfers, -)"
            )
        if any(r.id == rule_id for r in rules):
            raise InvalidInput(f"{origin}: regel {number}: id {rule_id!r} staat er twee keer in")
        rules.append(
            MemoRule(
                id=rule_id,
                group=entry["groep"],
                title=entry["titel"],
                quote=entry["citaat"],
                source=entry.get("bron", "nota"),
                pending=entry.get("volgt") or None,
            )
        )
    if not rules:
        raise InvalidInput(f"{origin}: geen enkele [[regel]]")
    return rules


def load_rules(path: Path | None = None) -> list[MemoRule]:
    """The memo's rules from ``path`` (default: the list shipped with this package)."""
    if path is None:
        text = resources.files("spreiding.spec").joinpath(RULES_FILE).read_text("utf-8")
        origin = RULES_FILE
    else:
        text, origin = path.read_text("utf-8"), str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{origin}: {exc}") from exc
    return parse_rules(data, origin)


# -- the tags in the feature files -------------------------------------------------------------


class _Tagged(Protocol):
    tags: set[str]


class _Template(Protocol):
    name: str
    line_number: int
    tags: set[str]
    rule: _Tagged | None


class _Feature(Protocol):
    filename: str
    tags: set[str]
    scenarios: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class TaggedScenario:
    """A scenario of a feature file and the tags that apply to it (its own and inherited)."""

    feature: str
    name: str
    line: int
    tags: frozenset[str]


def tagged_scenarios(features: Iterable[_Feature]) -> list[TaggedScenario]:
    """Every scenario of ``features`` with its tags and those of its ``Regel`` and feature."""
    found = []
    for feature in features:
        for template in feature.scenarios.values():
            rule_tags = template.rule.tags if template.rule is not None else set()
            tags = frozenset(template.tags | rule_tags | feature.tags)
            found.append(
                TaggedScenario(
                    Path(feature.filename).name, template.name, template.line_number, tags
                )
            )
    return found


# -- the gate --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UnknownTag:
    """A tag that names no rule, and a scenario that carries it."""

    tag: str
    scenario: TaggedScenario


@dataclass(frozen=True, slots=True)
class MemoGate:
    """The memo gate's verdict over the rules and the tagged scenarios."""

    rules: tuple[MemoRule, ...]
    scenarios: tuple[TaggedScenario, ...]
    missing: tuple[MemoRule, ...]
    pending: tuple[MemoRule, ...]
    stale_pending: tuple[MemoRule, ...]
    unknown: tuple[UnknownTag, ...]
    untagged: tuple[TaggedScenario, ...]

    @property
    def ok(self) -> bool:
        """Every rule illustrated (or pending), every tag a rule, every scenario tagged."""
        return not (self.missing or self.stale_pending or self.unknown or self.untagged)

    def scenarios_of(self, rule_id: str) -> list[TaggedScenario]:
        """The scenarios that illustrate the rule ``rule_id``."""
        return [s for s in self.scenarios if rule_id in s.tags]

    def problems(self) -> list[str]:
        """What is wrong, one line each (empty when :attr:`ok`)."""
        lines = [f"memo rule without a scenario: @{r.id} ({r.title})" for r in self.missing]
        lines += [
            f"memo rule @{r.id} has scenarios now: remove its 'volgt' line in {RULES_FILE}"
            for r in self.stale_pending
        ]
        lines += [
            f"{u.scenario.feature}:{u.scenario.line}: the tag @{u.tag} names no rule in "
            f"{RULES_FILE} (scenario {u.scenario.name!r})"
            for u in self.unknown
        ]
        lines += [
            f"{s.feature}:{s.line}: scenario {s.name!r} illustrates no memo rule: tag it, or "
            "tag its Functionaliteit"
            for s in self.untagged
        ]
        return lines


def evaluate(rules: Sequence[MemoRule], scenarios: Sequence[TaggedScenario]) -> MemoGate:
    """Apply the memo gate to the rule list and the tagged scenarios."""
    known = {r.id for r in rules}
    used = {t for s in scenarios for t in s.tags}
    unknown = tuple(
        UnknownTag(tag, s) for s in scenarios for tag in sorted(s.tags) if tag not in known
    )
    return MemoGate(
        rules=tuple(rules),
        scenarios=tuple(scenarios),
        missing=tuple(r for r in rules if r.id not in used and not r.pending),
        pending=tuple(r for r in rules if r.id not in used and r.pending),
        stale_pending=tuple(r for r in rules if r.id in used and r.pending),
        unknown=unknown,
        untagged=tuple(s for s in scenarios if not s.tags),
    )
