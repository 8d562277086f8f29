"""What each lifecycle event does to a case besides moving it: scope, dossier and clock.

One table per lifecycle version (:data:`EFFECTS` for version 2, :data:`EFFECTS_V1`), keyed by
event id, says it for every event of the chart:
whether the event screens the case against the scope rule, which dossier section it writes
(and how), and what it does to the clock (``restart`` for the new state's norm, ``stop`` on
suspension, ``resume`` giving back the working days the clock stood still).

Two steps, so that the live path and the replay share one definition:

* :func:`decide` works out the *outcome* from the rules and the day: the screening's scope,
  rule-set version and flags; the clock's effective date, due date and suspension date.
  Only the live path calls it (a replay cannot: the rules and norms may have changed since).
* :func:`apply` writes an outcome and the event's payload onto a case: scope, dossier, clock.
  The live path (:func:`~spreiding.statemachine.service.send_event`) calls it with the
  outcome it just decided and records that outcome in the audit event
  (:func:`record_outcome`); the replay of ``case verify`` reads it back from the trail
  (:func:`split_outcome`) and calls the same :func:`apply`.

The case is any object with the fields named in :class:`EffectModel`; this module imports no
store (it reads the geography's municipalities for the screening).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Protocol

from spreiding.core.settings import ServiceNorms
from spreiding.geography.reference import gazetteer
from spreiding.statemachine import calendar, rules
from spreiding.statemachine.norms import service_norm

Clock = Literal["restart", "stop", "resume"]
SCREENING_OUTCOME = ("in_scope", "ruleset_version", "flags")
"""What start_screening decides, recorded flat in its audit event (as trails always had)."""
CLOCK_OUTCOME = "clock"
"""The payload key under which every event records ``{on, due_date, suspended_on}``."""


class EffectModel(Protocol):
    """The fields of a case that the effects read and write."""

    state: str
    case_type: str
    fte: float
    location_code: str
    target_code: str | None
    in_scope: bool | None
    ruleset_version: str | None
    flags: list[str]
    dossier: dict[str, Any]
    state_since: date | None
    due_date: date | None
    suspended_on: date | None


Section = Callable[[Any, Mapping[str, Any]], tuple[str, dict[str, Any]]]


Place = Callable[[Any, Mapping[str, Any]], "str | None"]


@dataclass(frozen=True, slots=True)
class Effect:
    """What one event does: screens the case, writes a dossier section, moves the clock.

    ``plan`` updates the plan's fte, location and target (``submit_plan``); ``moves`` names
    where the event puts the fte, so that the principle flags are recomputed there.
    """

    clock: Clock = "restart"
    screens: bool = False
    dossier: Callable[..., tuple[str, dict[str, Any]]] | None = None
    plan: bool = False
    moves: Place | None = None


Act = Mapping[str, Any]
"""Who acted and when: ``{"actor", "role", "on"}`` (the clock's date), for the dossier."""


# -- dossier sections -----------------------------------------------------------------------


def _justification(case: Any, considerations: Mapping[str, Any]) -> dict[str, list[str]]:
    """For each principle flag, the weighed considerations that apply and can justify it."""
    applying = [key for key, value in considerations.items() if value["applies"]]
    return {flag: applying for flag in case.flags}


def _advice(case: Any, recorded: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    justified = _justification(case, recorded["considerations"])
    return "advice", {**recorded, "flag_justification": justified}


def _agreement(_case: Any, recorded: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    return "agreement", dict(recorded)


def _escalation(case: Any, recorded: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    # The MR weighs the department's choice together with the BZK advice.
    return "escalation", {
        "department_location": recorded["location"],
        "motivation": recorded["motivation"],
        "bzk_advice": case.dossier.get("advice"),
    }


def _decision(by: str) -> Section:
    def section(case: Any, recorded: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
        advice = case.dossier.get("advice") or {}
        return "decision", {
            **recorded,
            "by": by,
            "advice_location": advice.get("location"),
            "deviates_from_advice": not recorded["follows_advice"],
        }

    return section


def _withdrawal(_case: Any, recorded: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    return "withdrawal", dict(recorded)


EFFECTS_V1: dict[str, Effect] = {
    "start_screening": Effect(screens=True),
    "declare_out_of_scope": Effect(),
    "open_consultation": Effect(),
    "issue_advice": Effect(dossier=_advice),
    "reconsider": Effect(),
    "agree": Effect(dossier=_agreement),
    "escalate_to_mr": Effect(dossier=_escalation),
    "decide": Effect(dossier=_decision("ministry")),
    "record_mr_decision": Effect(dossier=_decision("mr")),
    "withdraw": Effect(dossier=_withdrawal),
    "suspend": Effect(clock="stop"),
    "resume": Effect(clock="resume"),
}
"""Every event's effect on lifecycle version 1 (cases started before version 2), as it was."""


def _by(act: Act) -> dict[str, Any]:
    return {"role": act.get("role"), "actor": act.get("actor")}


def _advice_v2(case: Any, recorded: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    return "advice", {
        "location": recorded["location"],
        "rationale": recorded["rationale"],
        "considerations": recorded["considerations"],
        "justifications": dict(recorded.get("justifications") or {}),
        # The weighed considerations that apply, per flag (as on version 1).
        "flag_justification": _justification(case, recorded["considerations"]),
        **({"note": recorded["note"]} if recorded.get("note") else {}),
    }


def _advised(case: Any, _recorded: Mapping[str, Any]) -> str | None:
    return (case.dossier.get("advice") or {}).get("location")


def _proposed(case: Any, _recorded: Mapping[str, Any]) -> str | None:
    return (case.dossier.get("counter_proposal") or {}).get("location")


def _agreed(case: Any, recorded: Mapping[str, Any]) -> str | None:
    return recorded.get("location") or (case.dossier.get("agreement") or {}).get("location")


def _named(_case: Any, recorded: Mapping[str, Any]) -> str | None:
    return recorded.get("location")


def _stated(act: Act) -> dict[str, Any]:
    return {"stated_by": _by(act), "stated_at": act.get("on")}


def _counter_proposal(
    _case: Any, recorded: Mapping[str, Any], act: Act
) -> tuple[str, dict[str, Any]]:
    return "counter_proposal", {
        "location": recorded["location"],
        "motivation": recorded["motivation"],
        **_stated(act),
    }


def _agreement_at(place: Place, route: str) -> Any:
    def section(case: Any, recorded: Mapping[str, Any], act: Act) -> tuple[str, dict[str, Any]]:
        return "agreement", {
            "location": place(case, recorded),
            "route": route,
            "consented_by": _by(act),
            "consented_at": act.get("on"),
        }

    return section


def _escalation_v2(case: Any, recorded: Mapping[str, Any], act: Act) -> tuple[str, dict[str, Any]]:
    # The department's choice exactly as the ministry stated it: its counter-proposal, or the
    # location it sent when it took the advice to the MR itself.
    if recorded.get("location"):
        department = {"location": recorded["location"], "motivation": recorded["motivation"]}
        department |= _stated(act)
    else:
        department = dict(case.dossier.get("counter_proposal") or {})
    advice = case.dossier.get("advice") or {}
    return "escalation", {
        "department": department,
        "bzk_advice": {
            "location": advice.get("location"),
            "rationale": advice.get("rationale"),
            "justifications": dict(advice.get("justifications") or {}),
        },
        "escalated_by": {**_by(act), "at": act.get("on")},
        "motivation": recorded["motivation"],
    }


def _decision_v2(by: str) -> Any:
    def section(case: Any, recorded: Mapping[str, Any], act: Act) -> tuple[str, dict[str, Any]]:
        advised = (case.dossier.get("advice") or {}).get("location")
        where = _agreed(case, recorded) if by == "ministry" else recorded["location"]
        return "decision", {
            "location": where,
            "fte": recorded.get("fte", case.fte),
            "motivation": recorded.get("motivation"),
            "by": by,
            "decided_by": _by(act),
            "decided_at": act.get("on"),
            "advice_location": advised,
            "follows_advice": where == advised,
            "deviates_from_advice": where != advised,
        }

    return section


def _plain(section: Section) -> Any:
    def with_act(case: Any, recorded: Mapping[str, Any], _act: Act) -> tuple[str, dict[str, Any]]:
        return section(case, recorded)

    return with_act


EFFECTS: dict[str, Effect] = {
    "submit_plan": Effect(plan=True),
    "start_screening": Effect(screens=True),
    "declare_out_of_scope": Effect(),
    "open_consultation": Effect(),
    "issue_advice": Effect(dossier=_plain(_advice_v2)),
    "accept_advice": Effect(dossier=_agreement_at(_advised, "advice"), moves=_advised),
    "propose_alternative": Effect(dossier=_counter_proposal, moves=_named),
    "consent": Effect(dossier=_agreement_at(_proposed, "counter_proposal"), moves=_proposed),
    "reconsider": Effect(),
    "escalate_to_mr": Effect(dossier=_escalation_v2),
    "decide": Effect(dossier=_decision_v2("ministry"), moves=_agreed),
    "record_mr_decision": Effect(dossier=_decision_v2("mr"), moves=_named),
    "withdraw": Effect(dossier=_plain(_withdrawal)),
    "suspend": Effect(clock="stop"),
    "resume": Effect(clock="resume"),
}
"""Every event's effect on the current lifecycle (version 2); a test checks that it covers
the chart's events exactly. Its dossier sections also receive who acted and when."""

EFFECTS_BY_VERSION: dict[int, dict[str, Effect]] = {1: EFFECTS_V1, 2: EFFECTS}


# -- deciding an outcome (live path only) ---------------------------------------------------


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def due_for(state: str, since: date, norms: ServiceNorms | None = None) -> date | None:
    """The due date of a case that entered ``state`` on ``since``; None without a norm."""
    norm = service_norm(state, norms)
    return calendar.add_working_days(since, norm) if norm else None


def clock_for_new_case(state: str, today: date, norms: ServiceNorms) -> dict[str, Any]:
    """The clock of a case that starts in ``state`` today, in its recorded form."""
    return {"on": _iso(today), "due_date": _iso(due_for(state, today, norms)), "suspended_on": None}


def _clock(case: EffectModel, kind: Clock, today: date, norms: ServiceNorms) -> dict[str, Any]:
    if kind == "stop":
        return {"on": _iso(today), "due_date": _iso(case.due_date), "suspended_on": _iso(today)}
    if kind == "resume":
        due = case.due_date
        if case.suspended_on is not None and due is not None:
            lost = max(calendar.working_days_between(case.suspended_on, today), 0)
            due = calendar.add_working_days(due, lost)
        return {"on": _iso(today), "due_date": _iso(due), "suspended_on": None}
    return clock_for_new_case(case.state, today, norms)


def _province(code: str | None) -> str | None:
    return gazetteer().municipalities[code].province_code if code else None


def _screening(
    case: EffectModel,
    randstad: Collection[str],
    version: int,
    ruleset: rules.RuleSet | None = None,
) -> dict[str, Any]:
    """The scope under the rule set in force (kept on the case) and the principle flags."""
    ruleset = ruleset or rules.CURRENT_RULESET
    if version >= 2:
        place = rules.landing_place(case.case_type, case.location_code, case.target_code)
        flags = rules.flags_where(case.case_type, _province(place), randstad)
    else:
        flags = rules.principle_flags(
            case.case_type, _province(case.location_code), _province(case.target_code), randstad
        )
    return {
        "in_scope": rules.in_scope(case.case_type, case.fte, ruleset),
        "ruleset_version": ruleset.version,
        "flags": flags,
    }


def effects_of(version: int | None) -> dict[str, Effect]:
    """The effect table of lifecycle ``version`` (None or unknown: version 1)."""
    return EFFECTS_BY_VERSION.get(version or 1, EFFECTS_V1)


def flags_after(
    case: EffectModel,
    event: str,
    recorded: Mapping[str, Any],
    randstad: Collection[str],
    version: int,
) -> list[str] | None:
    """The principle flags where ``event`` puts the fte, or None when it does not move them."""
    effect = effects_of(version).get(event)
    if effect is None or effect.moves is None:
        return None
    place = effect.moves(case, recorded)
    if place is None:
        return None
    return rules.flags_where(case.case_type, _province(place), randstad)


def decide(
    case: EffectModel,
    event: str,
    *,
    today: date,
    norms: ServiceNorms,
    randstad: Collection[str],
    recorded: Mapping[str, Any] | None = None,
    version: int = 1,
    ruleset: rules.RuleSet | None = None,
) -> dict[str, Any]:
    """The outcome of ``event`` on ``case`` (already moved to its new state) on ``today``.

    On version 2 an event that moves the fte (a counter-proposal, an agreement, a decision)
    records the flags recomputed where they land.
    """
    effect = effects_of(version)[event]
    outcome: dict[str, Any] = _screening(case, randstad, version, ruleset) if effect.screens else {}
    moved = flags_after(case, event, recorded or {}, randstad, version)
    if moved is not None:
        outcome["flags"] = moved
    # The screening's flags are part of the case before its clock and dossier are written.
    outcome[CLOCK_OUTCOME] = _clock(case, effect.clock, today, norms)
    return outcome


# -- applying an outcome (live path and replay) ----------------------------------------------


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def apply_clock(case: EffectModel, clock: Mapping[str, Any], restarts: bool) -> None:
    """Write a recorded clock onto the case; ``restarts`` when the case entered a new state."""
    case.due_date = _day(clock.get("due_date"))
    case.suspended_on = _day(clock.get("suspended_on"))
    if restarts:
        case.state_since = _day(clock.get("on"))


_PLAN_FIELDS = (("fte", "fte"), ("location", "location_code"), ("target", "target_code"))


def apply(
    case: EffectModel,
    event: str,
    recorded: Mapping[str, Any],
    outcome: Mapping[str, Any],
    *,
    version: int = 1,
    act: Act | None = None,
) -> None:
    """Write ``outcome`` and the event's dossier section onto ``case``.

    The dossier is replaced, not changed in place: an in-place change of a JSON column on an
    object created in the same session is not seen by the ORM and would be lost. A trail
    written before the clock was recorded has no clock outcome; the clock is then left as is.
    """
    effect = effects_of(version)[event]
    clock = outcome.get(CLOCK_OUTCOME)
    if effect.screens:
        case.in_scope = outcome.get("in_scope")
        case.ruleset_version = outcome.get("ruleset_version")
        case.flags = list(outcome.get("flags") or [])
    if effect.plan:
        for name, column in _PLAN_FIELDS:
            if recorded.get(name) is not None:
                setattr(case, column, float(recorded[name]) if name == "fte" else recorded[name])
    if effect.dossier is not None:
        if version >= 2:
            when = {**(act or {}), "on": (clock or {}).get("on")}
            section, content = effect.dossier(case, recorded, when)
        else:
            section, content = effect.dossier(case, recorded)
        case.dossier = {**case.dossier, section: content}
    if effect.moves is not None and "flags" in outcome:
        case.flags = list(outcome["flags"] or [])
    if clock is not None:
        apply_clock(case, clock, restarts=effect.clock == "restart")


def record_outcome(recorded: Mapping[str, Any], outcome: Mapping[str, Any]) -> dict[str, Any]:
    """The payload to store in the audit event: the normalised data plus the outcome."""
    return {**recorded, **outcome}


def split_outcome(payload: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A stored payload as (the data the event was sent with, the outcome recorded with it)."""
    data = dict(payload)
    outcome = {k: data.pop(k) for k in (*SCREENING_OUTCOME, CLOCK_OUTCOME) if k in data}
    return data, outcome
