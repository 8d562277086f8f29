"""The memo gate: every rule of the memo has a scenario, and every tag names a rule.

Small feature files in a temporary folder and a small rule list show each way the gate
fails, and that a tag on a ``Functionaliteit`` or ``Regel`` counts for the scenarios under it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spreiding.core.errors import InvalidInput
from spreiding.spec import memo
from spreiding.spec.report import parse_feature

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
"""


def _gate(tmp_path: Path, feature: str, rules: str = RULES) -> memo.MemoGate:
    (tmp_path / "rules.toml").write_text(rules, "utf-8")
    (tmp_path / "klein.feature").write_text(feature, "utf-8")
    parsed = [parse_feature(tmp_path / "klein.feature")]
    return memo.evaluate(memo.load_rules(tmp_path / "rules.toml"), memo.tagged_scenarios(parsed))


def _feature(*scenarios: str, feature_tags: str = "") -> str:
    head = f"# language: nl\n{feature_tags}\nFunctionaliteit: Klein\n\n"
    return head + "\n".join(scenarios)


KRIMP = "  @principe-3\n  Scenario: Krimp\n    Gegeven iets\n"
MR = "  @mr\n  Scenario: Ministerraad\n    Gegeven iets\n"


def test_every_rule_illustrated_and_every_tag_known_passes(tmp_path: Path) -> None:
    gate = _gate(tmp_path, _feature(KRIMP, MR))
    assert gate.ok, gate.problems()
    assert [s.name for s in gate.scenarios_of("mr")] == ["Ministerraad"]


def test_a_rule_without_a_scenario_fails_the_gate(tmp_path: Path) -> None:
    gate = _gate(tmp_path, _feature(KRIMP))
    assert not gate.ok
    assert [r.id for r in gate.missing] == ["mr"]
    assert gate.problems() == ["memo rule without a scenario: @mr (De ministerraad weegt af)"]


def test_a_tag_that_names_no_rule_fails_the_gate(tmp_path: Path) -> None:
    typo = "  @principe-33\n  Scenario: Tikfout\n    Gegeven iets\n"
    gate = _gate(tmp_path, _feature(KRIMP, MR, typo))
    assert not gate.ok
    assert [(u.tag, u.scenario.name) for u in gate.unknown] == [("principe-33", "Tikfout")]
    assert "klein.feature:" in gate.problems()[0]
    assert "@principe-33 names no rule" in gate.problems()[0]


def test_a_scenario_without_any_rule_fails_the_gate(tmp_path: Path) -> None:
    bare = "  Scenario: Zonder regel\n    Gegeven iets\n"
    gate = _gate(tmp_path, _feature(KRIMP, MR, bare))
    assert not gate.ok
    assert [s.name for s in gate.untagged] == ["Zonder regel"]


def test_a_tag_on_the_feature_or_a_rule_counts_for_every_scenario_under_it(
    tmp_path: Path,
) -> None:
    bare = "  Scenario: Zonder eigen tag\n    Gegeven iets\n"
    under_rule = "  @principe-3\n  Regel: Krimp\n\n    Scenario: In de regel\n      Gegeven iets\n"
    gate = _gate(tmp_path, _feature(bare, under_rule, feature_tags="@mr"))
    assert gate.ok, gate.problems()
    assert {s.name for s in gate.scenarios_of("mr")} == {"Zonder eigen tag", "In de regel"}
    assert [s.name for s in gate.scenarios_of("principe-3")] == ["In de regel"]


def test_a_pending_rule_may_wait_but_not_once_it_has_scenarios(tmp_path: Path) -> None:
    pending = RULES.replace('citaat = "aan de MR voorgelegd"', 'citaat = "x"\nvolgt = "issue 11"')
    waiting = _gate(tmp_path, _feature(KRIMP), rules=pending)
    assert waiting.ok and [r.id for r in waiting.pending] == ["mr"]
    stale = _gate(tmp_path, _feature(KRIMP, MR), rules=pending)
    assert not stale.ok
    assert "remove its 'volgt' line" in stale.problems()[0]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('[[regel]]\nid = "a"\ngroep = "g"\ntitel = "t"\n', "regel 1 mist citaat"),
        ('[[regel]]\nid = "Principe 3"\ngroep = "g"\ntitel = "t"\ncitaat = "c"\n', "geen tag"),
        (RULES + RULES.split("\n\n")[0], "'principe-3' staat er twee keer in"),
        ("regel = [", "rules.toml"),
    ],
)
def test_a_bad_rule_list_is_refused_in_one_line(tmp_path: Path, bad: str, message: str) -> None:
    (tmp_path / "rules.toml").write_text(bad, "utf-8")
    with pytest.raises(InvalidInput, match=message) as refused:
        memo.load_rules(tmp_path / "rules.toml")
    assert "\n" not in str(refused.value).strip()


def test_the_shipped_list_names_the_memos_rules() -> None:
    ids = {r.id for r in memo.load_rules()}
    expected = {f"principe-{n}" for n in range(1, 6)} | {f"maatregel-{n}" for n in range(1, 6)}
    expected |= {"gezamenlijk-besluit", "mr", "advies-niet-bindend", "leidraad"}
    expected |= {"afweging-primair-proces", "afweging-wettelijke-locatie", "afweging-huisvesting"}
    assert expected <= ids
