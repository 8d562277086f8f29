"""The declarative rules: roles, payloads, allowed events, scope rule sets and principles."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from spreiding.core.errors import InvalidInput, TransitionRefused
from spreiding.core.settings import DEFAULT_RANDSTAD
from spreiding.statemachine import chart, rules
from spreiding.statemachine.chart import CURRENT_EVENTS as EVENT_LABELS
from spreiding.statemachine.chart import CaseLifecycle


@dataclass
class Case:
    """A case as the store keeps it: plain fields only."""

    state: str | None = None
    in_scope: bool | None = None
    ministry_code: str = "VWS"
    suspended_from: str | None = None


# -- yes/no ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [True, "ja", "JA ", "j", "yes", "true", "waar", "1"])
def test_yes(value: object) -> None:
    assert rules.parse_yes_no(value) is True


@pytest.mark.parametrize("value", [False, "nee", "Nee", "n", "no", "false", "onwaar", "0"])
def test_no(value: object) -> None:
    assert rules.parse_yes_no(value) is False


@pytest.mark.parametrize("value", [None, "", "misschien", 1, 0, 2.0, []])
def test_neither_yes_nor_no(value: object) -> None:
    with pytest.raises(InvalidInput, match="geef ja of nee"):
        rules.parse_yes_no(value)


# -- payloads --------------------------------------------------------------------------------


def test_every_event_has_a_rule_and_an_example_that_passes_it() -> None:
    assert set(rules.EVENT_RULES) == set(EVENT_LABELS)
    for event in EVENT_LABELS:
        assert rules.check_payload(event, rules.example_payload(event)) is not None


ADVICE = {
    "location": "  Zwolle ",
    "rationale": "Regio versterken",
    "considerations": {
        "primary_process": {"applies": "ja", "note": "  wisselende werklast "},
        "legal_location": False,
        "housing_cost": {"applies": "nee", "note": ""},
    },
    "note": "besproken met RVB",
}


def test_advice_payload_is_normalised() -> None:
    assert rules.check_payload("issue_advice", ADVICE) == {
        "location": "Zwolle",
        "rationale": "Regio versterken",
        "considerations": {
            "primary_process": {"applies": True, "note": "wisselende werklast"},
            "legal_location": {"applies": False, "note": None},
            "housing_cost": {"applies": False, "note": None},
        },
        "note": "besproken met RVB",
    }


def test_a_normalised_payload_passes_again_unchanged() -> None:
    # The service replays recorded (normalised) payloads through the machine.
    payloads = [("issue_advice", ADVICE)] + [(e, rules.example_payload(e)) for e in EVENT_LABELS]
    for event, payload in payloads:
        once = rules.check_payload(event, payload)
        assert rules.check_payload(event, once) == once


@pytest.mark.parametrize(
    ("considerations", "message"),
    [
        (
            {},
            "ontbreekt: Primair of complex proces, of fluctuerende werklast (primary_process); "
            "Locatie bij wet vastgelegd (legal_location); Hoge huisvestingskosten",
        ),
        (
            {"primary_process": "ja", "legal_location": "nee"},
            "ontbreekt: Hoge huisvestingskosten of desinvestering op de huidige locatie "
            "(housing_cost)",
        ),
        (
            {"primary_process": "ja", "legal_location": "nee", "housing_cost": "nee", "x": "ja"},
            "onbekende afweging 'x'; kies uit: primary_process, legal_location, housing_cost",
        ),
        (
            {"primary_process": {"note": "?"}, "legal_location": "nee", "housing_cost": "nee"},
            "{applies: ja/nee, note: toelichting}",
        ),
        ("ja", "geef elk van de drie afwegingen met ja of nee"),
    ],
)
def test_advice_without_all_three_considerations_is_refused(
    considerations: object, message: str
) -> None:
    payload = {"location": "Zwolle", "rationale": "r", "considerations": considerations}
    with pytest.raises(
        TransitionRefused,
        match=r"^Stap 'BZK-advies uitbrengen' \(issue_advice\) vraagt om 'considerations'",
    ) as refused:
        rules.check_payload("issue_advice", payload)
    assert message in str(refused.value)


@pytest.mark.parametrize(
    ("fte", "normalised"), [(120, 120), ("120", 120), ("12,5", 12.5), (0.5, 0.5), ("7.0", 7)]
)
def test_fte_is_a_number_above_zero(fte: object, normalised: float) -> None:
    payload = {"location": "Emmen", "fte": fte}
    assert rules.check_payload("decide", payload)["fte"] == normalised


@pytest.mark.parametrize("fte", [0, -5, "veel", True, float("nan"), float("inf"), [1]])
def test_fte_that_is_no_positive_number_is_refused(fte: object) -> None:
    payload = {"location": "Emmen", "fte": fte}
    with pytest.raises(
        TransitionRefused,
        match=r"\(decide\) vraagt om 'fte' \(het aantal fte op de locatie\): "
        r"(geef een getal groter|'veel' is geen getal)",
    ):
        rules.check_payload("decide", payload)


def test_blank_text_counts_as_missing() -> None:
    with pytest.raises(
        TransitionRefused, match=r"^Stap 'Intrekken' \(withdraw\) vraagt om 'reason': waarom"
    ):
        rules.check_payload("withdraw", {"reason": "   "})


def test_data_must_come_as_named_fields() -> None:
    with pytest.raises(TransitionRefused, match="geef de gegevens als benoemde velden"):
        rules.check_payload("propose_alternative", ["Assen"])  # type: ignore[arg-type]


def test_unknown_fields_are_refused_with_the_accepted_ones() -> None:
    with pytest.raises(
        TransitionRefused,
        match="kent het veld 'lokatie' niet; velden van deze stap: location, motivation, note",
    ):
        rules.check_payload("propose_alternative", {"location": "Assen", "lokatie": "Assen"})


def test_a_computed_field_is_refused_with_the_reason() -> None:
    with pytest.raises(
        TransitionRefused, match="follows_advice volgt uit de geadviseerde en de besloten locatie"
    ):
        rules.check_payload("decide", {"fte": 150, "follows_advice": "ja"})
    # Version 1 (cases started before version 2) still takes it.
    assert (
        rules.check_payload(
            "decide", {"location": "Assen", "fte": 150, "follows_advice": "ja"}, version=1
        )["follows_advice"]
        is True
    )


# -- roles -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "kind", "code"),
    [("bzk", "bzk", None), ("mr", "mr", None), ("viewer", "viewer", None),
     ("ministry:VWS", "ministry", "VWS"), (" ministry: OCW ", "ministry", "OCW")],
)  # fmt: skip
def test_roles_parse(role: str, kind: str, code: str | None) -> None:
    assert rules.parse_role(role) == (kind, code)


@pytest.mark.parametrize("role", ["", "ministry", "ministry:", "bzk:VWS", "minister:VWS", "BZK:"])
def test_malformed_roles_are_refused(role: str) -> None:
    with pytest.raises(
        TransitionRefused,
        match=r"^(Onbekende rol|Geen rol opgegeven).*; kies uit: bzk, mr, viewer of ministry:",
    ):
        rules.parse_role(role)


@pytest.mark.parametrize(
    ("role", "canonical"),
    [("BZK", "bzk"), (" bzk ", "bzk"), ("MINISTRY: fin", "ministry:FIN"), ("Mr", "mr")],
)
def test_roles_are_stored_in_one_form_whatever_the_case_or_spaces(role, canonical) -> None:
    assert rules.canonical_role(role) == canonical


def test_a_ministry_acts_only_on_its_own_cases() -> None:
    rules.check_role("accept_advice", "ministry:VWS", "VWS")
    with pytest.raises(
        TransitionRefused,
        match=r"de rol ministerie FIN \(ministry:FIN\) handelt alleen in zaken van het eigen "
        r"ministerie; deze zaak hoort bij VWS",
    ):
        rules.check_role("accept_advice", "ministry:FIN", "VWS")


def test_roles_per_event_follow_the_procedure() -> None:
    may_send = {
        kind: {e for e in EVENT_LABELS if rules.role_refusal(e, role, "VWS") is None}
        for kind, role in [("bzk", "bzk"), ("ministry", "ministry:VWS"), ("mr", "mr")]
    }
    assert may_send["ministry"] == {
        "submit_plan", "accept_advice", "propose_alternative", "reconsider", "escalate_to_mr",
        "decide", "withdraw",
    }  # fmt: skip
    assert may_send["mr"] == {"record_mr_decision"}
    assert may_send["bzk"] == set(EVENT_LABELS) - {
        "submit_plan",
        "accept_advice",
        "propose_alternative",
        "decide",
        "record_mr_decision",
    }
    # BZK takes a case to the MR only from a counter-proposal.
    assert rules.role_refusal("escalate_to_mr", "bzk", "VWS", source="advice_issued")
    assert rules.role_refusal("escalate_to_mr", "bzk", "VWS", source="counter_proposal") is None


# -- allowed events --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "role", "in_scope", "expected"),
    [
        ("registered", "bzk", None, ["start_screening", "withdraw", "suspend"]),
        ("registered", "ministry:VWS", None, ["withdraw"]),
        ("registered", "viewer", None, []),
        ("screening", "bzk", True, ["open_consultation", "withdraw", "suspend"]),
        ("screening", "bzk", False, ["declare_out_of_scope", "withdraw", "suspend"]),
        ("screening", "bzk", None, ["withdraw", "suspend"]),
        ("intention", "ministry:VWS", None, ["submit_plan", "withdraw"]),
        ("advice_issued", "ministry:VWS", True, ["accept_advice", "propose_alternative",
                                                 "reconsider", "escalate_to_mr", "withdraw"]),
        ("advice_issued", "bzk", True, ["reconsider", "withdraw", "suspend"]),
        ("counter_proposal", "bzk", True, ["consent", "reconsider", "escalate_to_mr",
                                           "withdraw", "suspend"]),
        ("advice_issued", "ministry:FIN", True, []),
        ("mr_escalation", "mr", True, ["record_mr_decision"]),
        ("suspended", "bzk", True, ["withdraw", "resume"]),
        ("decided", "bzk", True, []),
    ],
)  # fmt: skip
def test_allowed_events_for_a_state(
    state: str, role: str, in_scope: bool | None, expected: list[str]
) -> None:
    assert chart.allowed_events(state, role, "VWS", in_scope) == expected


def test_allowed_events_for_a_machine_use_its_case() -> None:
    machine = CaseLifecycle(model=Case(in_scope=False, ministry_code="OCW"))
    machine.send("submit_plan", role="ministry:OCW", payload={"location": "Emmen"})
    machine.send("start_screening", role="bzk")
    assert chart.allowed_events(machine, "ministry:OCW") == ["withdraw"]
    assert chart.allowed_events(machine, "bzk") == ["declare_out_of_scope", "withdraw", "suspend"]


# -- rule sets -------------------------------------------------------------------------------


@pytest.mark.parametrize("case_type", ["groei", "krimp", "nieuw", "hervestiging"])
@pytest.mark.parametrize(
    ("fte", "expected"), [(99, False), (99.9, False), (100, True), (101, True)]
)
def test_threshold_of_100_fte(case_type: str, fte: float, expected: bool) -> None:
    assert rules.in_scope(case_type, fte) is expected


@pytest.mark.parametrize("case_type", ["masterplan", "vtw"])
@pytest.mark.parametrize("fte", [None, 0, 5])
def test_masterplan_and_vtw_are_always_in_scope(case_type: str, fte: float | None) -> None:
    assert rules.in_scope(case_type, fte) is True


def test_a_later_rule_set_can_change_the_threshold_and_keeps_its_version() -> None:
    stricter = rules.RuleSet(version="test-50", threshold_fte=50, always_in_scope_types=("vtw",))
    assert rules.in_scope("groei", 60, stricter) is True
    assert rules.in_scope("groei", 60, rules.CURRENT_RULESET) is False
    with pytest.raises(InvalidInput):
        rules.in_scope("masterplan", None, stricter)
    assert rules.RULESETS[rules.CURRENT_RULESET.version] is rules.CURRENT_RULESET
    assert rules.get_ruleset(rules.CURRENT_RULESET.version) is rules.CURRENT_RULESET


@pytest.mark.parametrize(
    ("case_type", "fte", "message"),
    [("fusie", 100, "Onbekende soort zaak 'fusie'; kies uit: groei, krimp"),
     ("groei", None, "omvang in fte"), ("krimp", -120, "0 of meer, niet -120")],
)  # fmt: skip
def test_bad_scope_input_is_refused(case_type: str, fte: float | None, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        rules.in_scope(case_type, fte)


def test_unknown_rule_set_version() -> None:
    with pytest.raises(InvalidInput, match=r"Onbekende regelset '1999'; bekend: 2024.1"):
        rules.get_ruleset("1999")


# -- guiding principles 3 and 4 --------------------------------------------------------------

RANDSTAD = set(DEFAULT_RANDSTAD)  # Noord-Holland, Zuid-Holland, Utrecht
WITH_FLEVOLAND = RANDSTAD | {"PV24"}


@pytest.mark.parametrize(
    ("case_type", "location", "target", "randstad", "flags"),
    [
        ("krimp", "PV21", None, RANDSTAD, [rules.FLAG_KRIMP]),  # Friesland
        ("krimp", "PV28", None, RANDSTAD, []),  # Zuid-Holland
        ("krimp", "PV24", None, RANDSTAD, [rules.FLAG_KRIMP]),
        ("krimp", "PV24", None, WITH_FLEVOLAND, []),
        ("groei", "PV27", None, RANDSTAD, [rules.FLAG_GROEI]),  # Noord-Holland
        ("groei", "PV22", None, RANDSTAD, []),  # Drenthe
        ("groei", "PV24", None, RANDSTAD, []),
        ("groei", "PV24", None, WITH_FLEVOLAND, [rules.FLAG_GROEI]),
        ("nieuw", "PV26", None, RANDSTAD, [rules.FLAG_GROEI]),  # Utrecht
        ("hervestiging", "PV22", "PV28", RANDSTAD, [rules.FLAG_GROEI]),
        ("hervestiging", "PV28", "PV22", RANDSTAD, []),
        ("hervestiging", "PV27", "PV24", RANDSTAD, []),
        ("hervestiging", "PV27", "PV24", WITH_FLEVOLAND, [rules.FLAG_GROEI]),
        ("masterplan", "PV27", None, RANDSTAD, []),
        ("vtw", "PV21", None, RANDSTAD, []),
    ],
)
def test_principle_flags(
    case_type: str, location: str, target: str | None, randstad: set[str], flags: list[str]
) -> None:
    assert rules.principle_flags(case_type, location, target, randstad) == flags
