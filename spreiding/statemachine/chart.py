"""The lifecycle of a BZK location case as a python-statemachine 3.2 ``StateChart``.

A case is registered, screened against the scope rule, and then either declared out of
scope or taken into joint consultation ("gezamenlijk overleg"). BZK issues its advice; the
ministry agrees and decides, or the case goes to the council of ministers (MR), whose
decision settles it. Any active case can be withdrawn, and suspended and resumed.

Design choices, and why:

* **Refuse, never swallow.** ``StateChart`` follows SCXML and by default ignores an event
  without a transition and turns an exception in a callback into an ``error.execution``
  event while the transition still completes. We set ``allow_event_without_transition`` and
  ``catch_errors_as_events`` to ``False``. :meth:`CaseLifecycle.send` turns the library's
  ``TransitionNotAllowed`` into :class:`~spreiding.core.errors.TransitionRefused` with a message
  that names what is needed.
* **Rules enforced by the machine.** Every transition carries the validator ``check_rules``,
  which applies :func:`~spreiding.statemachine.rules.check_role` and
  :func:`~spreiding.statemachine.rules.check_payload` to the ``role`` and ``payload`` sent
  with the event. Validators run before the transition and their exception propagates, so no
  caller can send an event past the role and payload rules; the state stays unchanged.
* **Suspension is a flat state plus one model field.** ``suspended`` is an ordinary state;
  ``suspend`` writes the state it left to ``model.suspended_from`` and ``resume`` has one
  guarded transition back to each resumable state (guard ``returns_to_target``). We did not
  use a compound state with a ``HistoryState``: the library keeps history in
  ``machine.history_values``, in memory, so a case rebuilt in a fresh process would forget
  where to resume; and a compound configuration is stored as a set (``OrderedSet``), not
  one value. With the flat design the stored state is always one JSON string and
  ``suspended_from`` is a plain string or ``None``.
* **Restoring is checked.** The library accepts any stored value at build time and fails
  later with a bare ``KeyError``. Building a :class:`CaseLifecycle` on a model with a bad
  state (or an inconsistent ``suspended_from``) raises
  :class:`~spreiding.core.errors.IntegrityError` at once; :func:`restore` is the explicit way to
  rebuild a stored case.

The model is any object with the attributes ``state`` (str, ``None`` for a new case),
``in_scope`` (bool or ``None`` when not yet judged), ``ministry_code`` (str) and
``suspended_from`` (str or ``None``; set exactly while the case is suspended).

Send events as ``machine.send(event_id, role=..., payload={...})`` or, to get the
normalised payload back for the audit record, ``machine.fire(event_id, role=..., payload=...)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from statemachine import Event, State, StateChart
from statemachine.exceptions import TransitionNotAllowed

from spreiding.core.errors import IntegrityError, TransitionRefused
from spreiding.statemachine import rules

RULES = "check_rules"
"""Name of the validator every transition carries; :mod:`.checks` verifies that it does."""


class CaseModel(Protocol):
    """The fields of a case the lifecycle reads and writes."""

    state: str | None
    in_scope: bool | None
    ministry_code: str
    suspended_from: str | None


class CaseLifecycle(StateChart):
    """The lifecycle of one location case; labels are the Dutch names policy staff read."""

    allow_event_without_transition = False
    catch_errors_as_events = False

    registered = State("Aangemeld", initial=True)
    screening = State("In beoordeling")
    out_of_scope = State("Buiten reikwijdte", final=True)
    consultation = State("Gezamenlijk overleg")
    advice_issued = State("BZK-advies uitgebracht")
    agreed = State("Overeenstemming")
    mr_escalation = State("Voorgelegd aan de ministerraad")
    decided = State("Besloten", final=True)
    withdrawn = State("Ingetrokken", final=True)
    suspended = State("Opgeschort")

    start_screening = Event(registered.to(screening, validators=RULES), name="Beoordeling starten")
    declare_out_of_scope = Event(
        screening.to(out_of_scope, cond="is_below_threshold", validators=RULES),
        name="Buiten reikwijdte verklaren",
    )
    open_consultation = Event(
        screening.to(consultation, cond="is_in_scope", validators=RULES),
        name="Gezamenlijk overleg openen",
    )
    issue_advice = Event(
        consultation.to(advice_issued, validators=RULES), name="BZK-advies uitbrengen"
    )
    reconsider = Event(advice_issued.to(consultation, validators=RULES), name="Advies heroverwegen")
    agree = Event(advice_issued.to(agreed, validators=RULES), name="Overeenstemming bereiken")
    escalate_to_mr = Event(
        advice_issued.to(mr_escalation, validators=RULES), name="Voorleggen aan de ministerraad"
    )
    decide = Event(agreed.to(decided, validators=RULES), name="Besluit nemen")
    record_mr_decision = Event(
        mr_escalation.to(decided, validators=RULES), name="MR-besluit vastleggen"
    )
    # Every active state but ``suspended`` itself: where a case can be suspended from and
    # resumed to. ``resume`` has one guarded transition to each; the guard picks the one
    # whose target is the stored ``suspended_from``.
    _resumable = (registered, screening, consultation, advice_issued, agreed, mr_escalation)
    withdraw = Event(withdrawn.from_(*_resumable, suspended, validators=RULES), name="Intrekken")
    suspend = Event(suspended.from_(*_resumable, validators=RULES), name="Opschorten")
    resume = Event(
        suspended.to(*_resumable, cond="returns_to_target", validators=RULES), name="Hervatten"
    )
    del _resumable

    def __init__(self, model: Any = None, state_field: str = "state", **kwargs: Any) -> None:
        if model is not None and getattr(model, state_field, None) is not None:
            _check_stored(model, state_field)
        super().__init__(model=model, state_field=state_field, **kwargs)

    # -- guards (the names appear in transitions() and the diagrams) ----------------------

    def is_in_scope(self) -> bool:
        """The case meets the scope rule (``model.in_scope is True``)."""
        return self.model.in_scope is True

    def is_below_threshold(self) -> bool:
        """The case was judged and is below the threshold (``model.in_scope is False``)."""
        return self.model.in_scope is False

    def returns_to_target(self, target: State) -> bool:
        """This resume transition leads back to the state the case was suspended from."""
        return self.model.suspended_from == target.id

    # -- validator and actions -------------------------------------------------------------

    def check_rules(
        self, event: str, role: str | None = None, payload: Mapping[str, object] | None = None
    ) -> None:
        """Refuse the event unless ``role`` may send it and ``payload`` is complete."""
        rules.check_role(str(event), role, self.model.ministry_code)
        rules.check_payload(str(event), payload)

    def on_suspend(self, source: State) -> None:
        """Remember where the case was, on the model, so a rebuilt machine can resume."""
        self.model.suspended_from = source.id

    def on_resume(self) -> None:
        self.model.suspended_from = None

    def on_withdraw(self) -> None:
        # Withdrawing a suspended case ends the suspension too.
        self.model.suspended_from = None

    # -- sending -------------------------------------------------------------------------

    @property
    def current(self) -> str:
        """The id of the state the case is in."""
        return str(getattr(self.model, self.state_field))

    def send(self, event: str, *args: Any, **kwargs: Any) -> Any:
        """Send ``event``; a refusal raises TransitionRefused and leaves the case unchanged."""
        try:
            return super().send(event, *args, **kwargs)
        except TransitionNotAllowed:
            raise TransitionRefused(self._why_not(event)) from None

    def fire(
        self, event: str, *, role: str, payload: Mapping[str, object] | None = None
    ) -> dict[str, object]:
        """Send ``event`` as ``role`` and return the normalised payload to record with it."""
        self.send(event, role=role, payload=payload)
        return rules.check_payload(event, payload)

    def _why_not(self, event: str) -> str:
        state = self.current
        here = f"{state} ({STATE_LABELS[state]})"
        if event not in EVENT_LABELS:
            return f"unknown event {event!r}; known events: {', '.join(EVENT_LABELS)}"
        if state in FINAL_STATES:
            return f"{event} refused: the case is closed in state {here} and accepts no events"
        guards = sorted(
            {g for s, _t, e, gs in transitions() if s == state and e == event for g in gs}
        )
        if not guards:
            possible = ", ".join(_events_from(state))
            label = EVENT_LABELS[event]
            return f"{event} ({label}) is not possible in state {here}; possible: {possible}"
        needs = "; ".join(
            f"{GUARDS[g][1]}, now {GUARDS[g][2]}={getattr(self.model, GUARDS[g][2], None)!r}"
            for g in guards
        )
        return f"{event} ({EVENT_LABELS[event]}) needs {needs}"


# -- the graph, read from the class -----------------------------------------------------------

GUARDS: dict[str, tuple[str, str, str]] = {
    "is_in_scope": ("binnen reikwijdte", "the case to be in scope", "in_scope"),
    "is_below_threshold": ("onder de drempel", "the case to be below the threshold", "in_scope"),
    "returns_to_target": (
        "terug naar de toestand vóór opschorting",
        "the state the case was suspended from",
        "suspended_from",
    ),
}
"""Each guard: (Dutch label for diagrams, English requirement for refusals, model field)."""

STATE_LABELS: dict[str, str] = {s.id: str(s.name) for s in CaseLifecycle.states}
EVENT_LABELS: dict[str, str] = {e.id: str(e.name) for e in CaseLifecycle.events}
FINAL_STATES: frozenset[str] = frozenset(s.id for s in CaseLifecycle.final_states)
INITIAL_STATE: str = CaseLifecycle.registered.id
ACTIVE_STATES: tuple[str, ...] = tuple(s for s in STATE_LABELS if s not in FINAL_STATES)
RESUMABLE_STATES: tuple[str, ...] = tuple(s for s in ACTIVE_STATES if s != "suspended")
WAITING_STATES: tuple[str, ...] = RESUMABLE_STATES
"""The states in which a case waits for someone to act, with a service norm and a running clock
(every state but the final ones and ``suspended``)."""
CLOCK_STOPPED_STATES: frozenset[str] = frozenset(STATE_LABELS) - frozenset(WAITING_STATES)
"""The states whose clock stands still: the final states and ``suspended`` (for queries)."""


def clock_runs(state: str, due_date: date | str | None) -> bool:
    """Whether a case's clock runs: not suspended, not final, and it has a due date."""
    return state in WAITING_STATES and due_date is not None


def is_overdue(state: str, due_date: date | None, today: date) -> bool:
    """Whether a case is past its due date while its clock runs."""
    return clock_runs(state, due_date) and due_date is not None and due_date < today


Edge = tuple[str, str, str, tuple[str, ...]]


def transitions(cls: type[StateChart] = CaseLifecycle) -> list[Edge]:
    """Every transition as (source id, target id, event id, guard names), from the class graph.

    A guard given as ``unless=`` is reported as ``"!name"``.
    """
    edges: list[Edge] = []
    for state in cls.states:
        for t in state.transitions:
            if t.initial or t.target is None:
                continue
            guards = tuple(str(spec) for spec in t.cond)
            edges.extend((state.id, t.target.id, str(e), guards) for e in t.events)
    return edges


def _events_from(state: str) -> list[str]:
    return list(dict.fromkeys(e for s, _t, e, _g in transitions() if s == state))


def allowed_events(
    machine_or_state: CaseLifecycle | str,
    role: str,
    ministry_code: str | None = None,
    in_scope: bool | None = None,
) -> list[str]:
    """The events ``role`` may send now: possible from the state, guard holds, role allowed.

    Given a machine, its model supplies the guards' data and, when ``ministry_code`` is None,
    the case's ministry. Given a bare state id, ``in_scope`` and ``ministry_code`` stand in
    for the case; a bare ``"suspended"`` lists ``resume``, as any consistent suspended case
    can resume.
    """
    if isinstance(machine_or_state, CaseLifecycle):
        machine = machine_or_state
        if ministry_code is None:
            ministry_code = machine.model.ministry_code
    else:
        machine = restore(
            _ScratchCase(
                state=machine_or_state,
                in_scope=in_scope,
                ministry_code=ministry_code or "",
                # Any resumable state will do: only the event id is reported.
                suspended_from=RESUMABLE_STATES[0] if machine_or_state == "suspended" else None,
            )
        )
    enabled = [str(event) for event in machine.enabled_events()]
    return [e for e in enabled if rules.role_refusal(e, role, ministry_code) is None]


@dataclass
class _ScratchCase:
    state: str
    in_scope: bool | None
    ministry_code: str
    suspended_from: str | None


def _check_stored(model: Any, state_field: str) -> None:
    value = getattr(model, state_field)
    if not isinstance(value, str) or value not in STATE_LABELS:
        raise IntegrityError(
            f"stored case state {value!r} is not a lifecycle state; "
            f"expected one of: {', '.join(STATE_LABELS)}"
        )
    suspended_from = getattr(model, "suspended_from", None)
    if value == "suspended" and suspended_from not in RESUMABLE_STATES:
        raise IntegrityError(
            f"a suspended case must store the state it was suspended from "
            f"(one of {', '.join(RESUMABLE_STATES)}), got suspended_from={suspended_from!r}"
        )
    if value != "suspended" and suspended_from is not None:
        raise IntegrityError(
            f"a case in state {value!r} is not suspended but stores "
            f"suspended_from={suspended_from!r}"
        )


def restore(model: CaseModel) -> CaseLifecycle:
    """Rebuild the machine of a stored case; a missing or bad state raises IntegrityError.

    No entry callbacks run: the model's fields are the whole truth.
    """
    if getattr(model, "state", None) is None:
        raise IntegrityError("stored case has no state; a new case is built with CaseLifecycle()")
    return CaseLifecycle(model=model)
