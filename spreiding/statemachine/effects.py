"""What each lifecycle event does to a case besides moving it: scope, dossier and clock.

One table, :data:`EFFECTS`, keyed by event id, says it for every event of the chart:
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


@dataclass(frozen=True, slots=True)
class Effect:
    """What one event does: screens the case, writes a dossier section, moves the clock."""

    clock: Clock = "restart"
    screens: bool = False
    dossier: Section | None = None


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


EFFECTS: dict[str, Effect] = {
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
"""Every lifecycle event's effect; a test checks that it covers the chart's events exactly."""


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


def _screening(case: EffectModel, randstad: Collection[str]) -> dict[str, Any]:
    """The scope under the current rule set (kept on the case) and the principle flags."""
    ruleset = rules.CURRENT_RULESET
    places = gazetteer().municipalities
    target = places[case.target_code].province_code if case.target_code else None
    return {
        "in_scope": rules.in_scope(case.case_type, case.fte, ruleset),
        "ruleset_version": ruleset.version,
        "flags": rules.principle_flags(
            case.case_type, places[case.location_code].province_code, target, randstad
        ),
    }


def decide(
    case: EffectModel,
    event: str,
    *,
    today: date,
    norms: ServiceNorms,
    randstad: Collection[str],
) -> dict[str, Any]:
    """The outcome of ``event`` on ``case`` (already moved to its new state) on ``today``."""
    effect = EFFECTS[event]
    outcome: dict[str, Any] = _screening(case, randstad) if effect.screens else {}
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


def apply(
    case: EffectModel, event: str, recorded: Mapping[str, Any], outcome: Mapping[str, Any]
) -> None:
    """Write ``outcome`` and the event's dossier section onto ``case``.

    The dossier is replaced, not changed in place: an in-place change of a JSON column on an
    object created in the same session is not seen by the ORM and would be lost. A trail
    written before the clock was recorded has no clock outcome; the clock is then left as is.
    """
    effect = EFFECTS[event]
    if effect.screens:
        case.in_scope = outcome.get("in_scope")
        case.ruleset_version = outcome.get("ruleset_version")
        case.flags = list(outcome.get("flags") or [])
    if effect.dossier is not None:
        section, content = effect.dossier(case, recorded)
        case.dossier = {**case.dossier, section: content}
    clock = outcome.get(CLOCK_OUTCOME)
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
