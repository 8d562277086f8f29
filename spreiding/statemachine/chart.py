"""The lifecycle of a BZK location case as a python-statemachine 3.2 ``StateChart``.

Version 2 (:class:`CaseLifecycle`, every new case): a ministry may report an intention early
(Voornemen) and submit the plan; a plan is screened against the scope rule, and then either
declared out of scope or taken into joint consultation ("gezamenlijk overleg"). BZK issues
its advice; the ministry takes it over, or makes a counter-proposal that BZK may consent to
(both: Overeenstemming, then the ministry decides at the agreed place); where the two do not
agree the case goes to the council of ministers (MR), whose decision settles it. Any active
case can be withdrawn, and suspended and resumed.

Version 1 (:class:`CaseLifecycleV1`) is the chart cases started before version 2 keep: the
one-sided ``agree``. A case stores its version (``lifecycle_version``); :func:`restore`
rebuilds it on its own chart, so old trails replay. The rules that depend on the case (who
may escalate from where, the agreed place, motivations) are
:func:`~spreiding.statemachine.rules.check_procedure`, run by the same validator.

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
from datetime import date
from functools import lru_cache
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


class _Behaviour:
    """Guards, validator and actions shared by every version of the chart."""

    lifecycle_version: int
    model: Any
    state_field: str

    def __init__(self, model: Any = None, state_field: str = "state", **kwargs: Any) -> None:
        if model is not None and getattr(model, state_field, None) is not None:
            _check_stored(type(self), model, state_field)  # type: ignore[arg-type]
        super().__init__(model=model, state_field=state_field, **kwargs)  # type: ignore[call-arg]

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
        self,
        event: str,
        role: str | None = None,
        payload: Mapping[str, object] | None = None,
        flags: list[str] | None = None,
    ) -> None:
        """Refuse the event unless ``role`` may send it from here and ``payload`` is complete.

        On version 2 the procedure's rules that depend on the case are checked too
        (:func:`~spreiding.statemachine.rules.check_procedure`); ``flags`` are the principle
        flags where the event puts the fte (default: the case's flags).
        """
        version = self.lifecycle_version
        source = self.current
        rules.check_role(str(event), role, self.model.ministry_code, source=source, version=version)
        data = rules.check_payload(str(event), payload, version=version)
        if version >= 2:
            rules.check_procedure(
                str(event),
                source,
                rules.parse_role(role)[0],
                data,
                rules.CaseFacts.of(self.model, flags),
            )

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
            return super().send(event, *args, **kwargs)  # type: ignore[misc]
        except TransitionNotAllowed:
            raise TransitionRefused(self._why_not(event)) from None

    def fire(
        self,
        event: str,
        *,
        role: str,
        payload: Mapping[str, object] | None = None,
        flags: list[str] | None = None,
    ) -> dict[str, object]:
        """Send ``event`` as ``role`` and return the normalised payload to record with it."""
        self.send(event, role=role, payload=payload, flags=flags)
        return rules.check_payload(event, payload, version=self.lifecycle_version)

    def _why_not(self, event: str) -> str:
        state = self.current
        here = rules.state_label(state)
        known = [e.id for e in type(self).events]  # type: ignore[attr-defined]
        if event not in known:
            return f"Onbekende stap {event!r}; kies uit: {rules.steps(known)}"
        if state in FINAL_STATES:
            return (
                f"{rules.step(event)} is niet mogelijk: de zaak is afgesloten (toestand {here}) "
                "en neemt geen stappen meer aan."
            )
        edges = transitions(type(self))
        guards = sorted({g for s, _t, e, gs in edges if s == state and e == event for g in gs})
        if not guards:
            possible = rules.steps(dict.fromkeys(e for s, _t, e, _g in edges if s == state))
            return (
                f"{rules.step(event)} is nu niet mogelijk: de zaak is in {here}; "
                f"mogelijk: {possible}."
            )
        needs = "; ".join(
            f"{GUARDS[g][1]} (nu: {GUARDS[g][2]} = "
            f"{_value_text(getattr(self.model, GUARDS[g][2], None))})"
            for g in guards
        )
        return f"{rules.step(event)} kan alleen {needs}."


def _value_text(value: object) -> str:
    """A model field's value as a refusal writes it: ja, nee, onbekend, or the value."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return "onbekend" if value is None else repr(value)


class CaseLifecycleV1(_Behaviour, StateChart):
    """Lifecycle version 1: the chart of cases started before version 2 (one-sided ``agree``).

    Kept so that those cases run on and their trails, ``agree`` included, still replay.
    """

    lifecycle_version = 1
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


class CaseLifecycle(_Behaviour, StateChart):
    """Lifecycle version 2, for every new case: labels are the Dutch names policy staff read.

    A ministry may report an intention early (``intention``); the ministry answers BZK's
    advice by taking it over or by a counter-proposal, which BZK may consent to; the MR
    weighs the department's choice and BZK's advice where the two do not agree.
    """

    lifecycle_version = 2
    allow_event_without_transition = False
    catch_errors_as_events = False

    intention = State("Voornemen", initial=True)
    registered = State("Aangemeld")
    screening = State("In beoordeling")
    out_of_scope = State("Buiten reikwijdte", final=True)
    consultation = State("Gezamenlijk overleg")
    advice_issued = State("BZK-advies uitgebracht")
    counter_proposal = State("Tegenvoorstel ministerie")
    agreed = State("Overeenstemming")
    mr_escalation = State("Voorgelegd aan de ministerraad")
    decided = State("Besloten", final=True)
    withdrawn = State("Ingetrokken", final=True)
    suspended = State("Opgeschort")

    submit_plan = Event(intention.to(registered, validators=RULES), name="Plan indienen")
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
    accept_advice = Event(
        advice_issued.to(agreed, validators=RULES) | counter_proposal.to(agreed, validators=RULES),
        name="Advies overnemen",
    )
    propose_alternative = Event(
        advice_issued.to(counter_proposal, validators=RULES), name="Ander voorstel doen"
    )
    consent = Event(
        counter_proposal.to(agreed, validators=RULES), name="Instemmen met tegenvoorstel"
    )
    reconsider = Event(
        advice_issued.to(consultation, validators=RULES)
        | counter_proposal.to(consultation, validators=RULES)
        | agreed.to(consultation, validators=RULES),
        name="Advies heroverwegen",
    )
    escalate_to_mr = Event(
        advice_issued.to(mr_escalation, validators=RULES)
        | counter_proposal.to(mr_escalation, validators=RULES),
        name="Voorleggen aan de ministerraad",
    )
    decide = Event(agreed.to(decided, validators=RULES), name="Besluit nemen")
    record_mr_decision = Event(
        mr_escalation.to(decided, validators=RULES), name="MR-besluit vastleggen"
    )
    _resumable = (
        intention,
        registered,
        screening,
        consultation,
        advice_issued,
        counter_proposal,
        agreed,
        mr_escalation,
    )
    withdraw = Event(withdrawn.from_(*_resumable, suspended, validators=RULES), name="Intrekken")
    suspend = Event(suspended.from_(*_resumable, validators=RULES), name="Opschorten")
    resume = Event(
        suspended.to(*_resumable, cond="returns_to_target", validators=RULES), name="Hervatten"
    )
    del _resumable


# -- the graph, read from the class -----------------------------------------------------------

GUARDS: dict[str, tuple[str, str, str]] = {
    "is_in_scope": ("binnen reikwijdte", "als de zaak binnen de reikwijdte valt", "in_scope"),
    "is_below_threshold": (
        "onder de drempel",
        "als de zaak onder de drempel blijft",
        "in_scope",
    ),
    "returns_to_target": (
        "terug naar de toestand vóór opschorting",
        "naar de toestand van vóór de opschorting",
        "suspended_from",
    ),
}
"""Each guard: (label for diagrams, the requirement as a refusal states it, model field)."""

LIFECYCLES: dict[int, type[StateChart]] = {1: CaseLifecycleV1, 2: CaseLifecycle}
"""Every version of the chart by number; a case keeps the version it started under."""
CURRENT_LIFECYCLE: int = CaseLifecycle.lifecycle_version
"""The version every new case starts on."""


def chart_for(version: int | None) -> type[StateChart]:
    """The chart class of lifecycle ``version`` (None: the current one)."""
    try:
        return LIFECYCLES[version if version is not None else CURRENT_LIFECYCLE]
    except KeyError:
        raise IntegrityError(
            f"Onbekende versie van de levenscyclus {version!r}; bekend: "
            f"{', '.join(map(str, LIFECYCLES))}"
        ) from None


def _labels(kind: str) -> dict[str, str]:
    # The current chart's labels first, then what only an earlier version has (``agree``).
    out: dict[str, str] = {}
    for version in sorted(LIFECYCLES, reverse=True):
        for item in getattr(LIFECYCLES[version], kind):
            out.setdefault(item.id, str(item.name))
    return out


STATE_LABELS: dict[str, str] = _labels("states")
"""Every state of every lifecycle version with its Dutch label."""
EVENT_LABELS: dict[str, str] = _labels("events")
"""Every event of every lifecycle version with its Dutch label."""


def unknown_state(state: object) -> str:
    """The refusal of a state id no lifecycle has, listing the ids a user may type."""
    known = ", ".join(f"{label} ({s})" for s, label in STATE_LABELS.items())
    return f"Onbekende toestand {state!r}; kies uit: {known}"


CURRENT_EVENTS: tuple[str, ...] = tuple(e.id for e in CaseLifecycle.events)
"""The events of the current chart (what new cases can be sent)."""
FINAL_STATES: frozenset[str] = frozenset(
    s.id for cls in LIFECYCLES.values() for s in cls.final_states
)
INITIAL_STATE: str = CaseLifecycle.registered.id
"""Where ``case register`` starts a case without ``--stage``: a plan, Aangemeld."""
INTENTION_STATE: str = CaseLifecycle.intention.id
"""Where ``case register --stage voornemen`` starts a case: an intention, Voornemen."""
START_STATES: dict[int, tuple[str, ...]] = {
    1: (INITIAL_STATE,),
    2: (INTENTION_STATE, INITIAL_STATE),
}
"""The states a case of each lifecycle version can be registered in."""
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


def allowed_events(
    machine_or_state: StateChart | str,
    role: str,
    ministry_code: str | None = None,
    in_scope: bool | None = None,
    version: int | None = None,
) -> list[str]:
    """The events ``role`` may send now: possible from the state, guard holds, role allowed.

    Given a machine, its model supplies the guards' data and, when ``ministry_code`` is None,
    the case's ministry. Given a bare state id, ``in_scope`` and ``ministry_code`` stand in
    for the case (of lifecycle ``version``, default the current one); a bare ``"suspended"``
    lists ``resume``, as any consistent suspended case can resume.
    """
    if isinstance(machine_or_state, StateChart):
        model = machine_or_state.model
        return events_for(
            getattr(machine_or_state, "lifecycle_version", CURRENT_LIFECYCLE),
            model.state,
            role,
            model.ministry_code if ministry_code is None else ministry_code,
            in_scope=model.in_scope,
        )
    return events_for(
        version if version is not None else CURRENT_LIFECYCLE,
        machine_or_state,
        role,
        ministry_code or "",
        in_scope=in_scope,
    )


def case_events(case: Any, role: str) -> list[str]:
    """The events ``role`` may send now on a stored ``case``, without building a machine.

    ``case`` has ``lifecycle_version``, ``state``, ``in_scope`` and ``ministry_code``; the
    answer comes from :func:`events_for`, derived once per (version, state, scope, role)
    from the chart class, which is what makes listing many cases cheap.
    """
    return events_for(
        getattr(case, "lifecycle_version", None) or 1,
        case.state,
        role,
        case.ministry_code,
        in_scope=case.in_scope,
    )


def events_for(
    version: int, state: str, role: str, ministry_code: str, *, in_scope: bool | None
) -> list[str]:
    """The events ``role`` may send on a case of ``ministry_code`` in ``state`` (cached).

    The guards read only ``in_scope`` and, for ``resume``, ``suspended_from`` (any consistent
    suspended case can resume, so it does not change the answer).
    """
    kind, code = rules.parse_role(role)
    own = kind == "ministry" and code == (ministry_code or "").upper()
    return list(_events_for(version, state, kind, own, in_scope))


@lru_cache(maxsize=1024)
def _events_for(
    version: int, state: str, kind: str, own: bool, in_scope: bool | None
) -> tuple[str, ...]:
    cls = chart_for(version)
    enabled = []
    for source, target, event, guards in transitions(cls):
        if source != state or event in enabled:
            continue
        if "is_in_scope" in guards and in_scope is not True:
            continue
        if "is_below_threshold" in guards and in_scope is not False:
            continue
        del target
        enabled.append(event)
    role = "ministry:X" if kind == "ministry" else kind
    ministry = "X" if own else "Y"
    return tuple(
        e
        for e in enabled
        if rules.role_refusal(e, role, ministry, source=state, version=version) is None
    )


def _check_stored(cls: type[StateChart], model: Any, state_field: str) -> None:
    value = getattr(model, state_field)
    states = [s.id for s in cls.states]
    if not isinstance(value, str) or value not in states:
        raise IntegrityError(
            f"De opgeslagen toestand {value!r} is geen toestand van de levenscyclus (versie "
            f"{getattr(cls, 'lifecycle_version', '?')}); verwacht een van: {', '.join(states)}"
        )
    resumable = [s for s in states if s in RESUMABLE_STATES]
    suspended_from = getattr(model, "suspended_from", None)
    if value == "suspended" and suspended_from not in resumable:
        raise IntegrityError(
            f"Een opgeschorte zaak bewaart de toestand van vóór de opschorting (een van "
            f"{', '.join(resumable)}), maar bewaart suspended_from={suspended_from!r}"
        )
    if value != "suspended" and suspended_from is not None:
        raise IntegrityError(
            f"Een zaak in toestand {value!r} is niet opgeschort, maar bewaart "
            f"suspended_from={suspended_from!r}"
        )


def restore(model: CaseModel) -> Any:
    """Rebuild the machine of a stored case on its own lifecycle version.

    A missing or bad state raises IntegrityError. No entry callbacks run: the model's fields
    are the whole truth. A model without ``lifecycle_version`` is a case of version 1.
    """
    if getattr(model, "state", None) is None:
        raise IntegrityError(
            "De opgeslagen zaak heeft geen toestand; een nieuwe zaak begint met CaseLifecycle()"
        )
    return chart_for(getattr(model, "lifecycle_version", None) or 1)(model=model)
