"""The scenario's world: one case in a real store, driven through the real service.

Each scenario gets a clean migrated store with the demo set (``stores.py``) and a
:class:`SpecWorld` that remembers the case under discussion,
the last refusal and the length of the audit trail before an attempt. Every action is one
unit of work through :func:`spreiding.models.db.session_scope` and the service functions,
with the settings (database, Randstad, today) read from ``SPREIDING_*`` variables, exactly
as the command line does; nothing of our own code is replaced.
"""

from __future__ import annotations

import tempfile
from collections import deque
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from spreiding.core.errors import SpreidingError
from spreiding.core.settings import get_settings
from spreiding.geography.reference import gazetteer
from spreiding.models import Ministry
from spreiding.models.db import get_engine, session_scope
from spreiding.models.registry import get_organisation
from spreiding.statemachine import rules, service
from spreiding.statemachine.chart import transitions
from tests.conftest import Database
from tests.features.vocabulary import Plan

DEFAULT_TODAY = date(2026, 4, 20)
"""The date a scenario runs on unless it says otherwise ("Gegeven het is ...")."""

_ROLE_NAMES = {"bzk": "BZK-behandelaar", "mr": "Secretaris ministerraad", "viewer": "Lezer"}
_FIXED_ROLES = {"BZK": "bzk", "de ministerraad": "mr", "een lezer": "viewer"}
_ROUTE_SKIPS = frozenset({"suspend", "resume", "withdraw", "reconsider"})


# -- the world ----------------------------------------------------------------------------------


class SpecWorld:
    """One scenario's view of the system: the case it talks about and what just happened."""

    def __init__(self, database: Database, monkeypatch: pytest.MonkeyPatch, cli: Any) -> None:
        self.database = database
        self.monkeypatch = monkeypatch
        self.cli = cli
        self.case_id: int | None = None
        self.ministry: str | None = None
        self.refusal: SpreidingError | None = None
        self.trail_before: int | None = None
        self.due_before_suspension: date | None = None

    # -- settings ------------------------------------------------------------------------------

    def setenv(self, name: str, value: str) -> None:
        """Change a ``SPREIDING_*`` setting, as an administrator would."""
        self.monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    def tmp_file(self, name: str, text: str) -> Path:
        """Write ``text`` to a file of this scenario's own."""
        path = Path(tempfile.mkdtemp(prefix="spec-")) / name
        path.write_text(text, encoding="utf-8")
        return path

    def set_today(self, day: date) -> None:
        """Pretend today is ``day`` (``SPREIDING_TODAY``)."""
        self.setenv("SPREIDING_TODAY", day.isoformat())

    @staticmethod
    def context() -> service.Context:
        """The rules' context from the settings, as the command line builds it."""
        settings = get_settings()
        return service.Context(settings.randstad, settings.norms, settings.current_date())

    # -- who acts ------------------------------------------------------------------------------

    def role(self, who: str) -> str:
        """The role of ``"BZK"``, ``"het ministerie"`` (of the case), ``"het ministerie van X"``."""
        who = who.strip()
        if who in _FIXED_ROLES:
            return _FIXED_ROLES[who]
        if who == "het ministerie":
            if self.ministry is None:
                raise ValueError("'het ministerie' needs a case first")
            return f"ministry:{self.ministry}"
        prefix = "het ministerie van "
        if who.startswith(prefix):
            return f"ministry:{self.ministry_code(who.removeprefix(prefix))}"
        raise ValueError(
            f"unknown actor {who!r}; use BZK, de ministerraad, een lezer, het ministerie "
            "or het ministerie van <naam>"
        )

    def ministry_code(self, name: str) -> str:
        """The code of the ministry named ``Ministerie van <name>`` in the registry."""
        wanted = f"ministerie van {name}".casefold()
        with session_scope() as session:
            for ministry in session.exec(select(Ministry)):
                if ministry.name.casefold() == wanted:
                    return ministry.code
        raise ValueError(f"no ministry named 'Ministerie van {name}' in the registry")

    def who(self, role: str) -> str:
        """How a feature names a role: the inverse of :meth:`role`."""
        kind, code = rules.parse_role(role)
        if kind != "ministry":
            return {v: k for k, v in _FIXED_ROLES.items()}[role]
        if code == self.ministry:
            return "het ministerie"
        with session_scope() as session:
            ministry = session.get(Ministry, code)
            name = ministry.name if ministry else f"Ministerie van {code}"
        return "het m" + name[1:]

    @staticmethod
    def actor(role: str) -> service.Actor:
        """A named actor for the audit trail."""
        name = _ROLE_NAMES.get(role) or f"Behandelaar {role.partition(':')[2]}"
        return service.Actor(name, role)

    # -- acting --------------------------------------------------------------------------------

    def register(
        self,
        organisation: str,
        plan: Plan,
        *,
        who: str | None = None,
        confidential: bool = False,
        stage: str | None = None,
        level: str = "intern",
    ) -> None:
        """Register ``plan``; by default the organisation's own ministry registers it."""
        with session_scope() as session:
            org = get_organisation(session, organisation)
            role = self.role(who) if who else f"ministry:{org.ministry_code}"
            housing: dict[str, Any] = {}
            if plan.case_type in ("masterplan", "vtw") and plan.location:
                # A masterplan's area is the province of its place; a VtW changes one.
                housing["area"] = gazetteer().municipality(plan.location).province_code
            if plan.case_type == "vtw":
                housing["masterplan"] = service.register_case(
                    session,
                    self.context(),
                    self.actor(role),
                    organisation=organisation,
                    case_type="masterplan",
                    fte=0,
                    area=housing["area"],
                ).id
            case = service.register_case(
                session,
                self.context(),
                self.actor(role),
                organisation=organisation,
                case_type=plan.case_type,
                fte=plan.fte,
                location=plan.location,
                target=plan.target,
                confidentiality="vertrouwelijk" if confidential else level,
                stage=stage,
                **housing,
            )
            self.case_id, self.ministry = case.id, case.ministry_code

    def send(self, role: str, event: str, payload: Mapping[str, Any] | None = None) -> None:
        """Send ``event``; a refusal fails the step (it was meant to succeed)."""
        if event == "suspend":
            self.due_before_suspension = self._due()
        with session_scope() as session:
            data = dict(self.default_payload(event) if payload is None else payload)
            service.send_event(session, self.context(), self.actor(role), self._id(), event, data)

    def attempt(self, role: str, event: str, payload: Mapping[str, Any] | None = None) -> None:
        """Try ``event``; remember the refusal (or None) and the trail before it."""
        self.trail_before = len(self.trail())
        self.refusal = None
        try:
            self.send(role, event, payload)
        except SpreidingError as exc:
            self.refusal = exc

    def attempt_register(self, who: str, organisation: str, plan: Plan) -> None:
        """Try to register ``plan`` as ``who``; remember the refusal (or None)."""
        self.refusal = None
        try:
            self.register(organisation, plan, who=who)
        except SpreidingError as exc:
            self.refusal = exc

    def default_payload(self, event: str) -> dict[str, Any]:
        """A complete payload for ``event`` about this case (its own location and size)."""
        case = self.case()
        payload: dict[str, Any] = rules.example_step(event, case["state"])[1]
        if "location" in payload:
            payload["location"] = (case["location"] or {}).get("code") or "Zwolle"
        if "motivation" in payload:
            payload["motivation"] = "Zo afgewogen in het overleg"
        if "fte" in payload:
            payload["fte"] = case["fte"]
        if "rationale" in payload:
            payload["rationale"] = "Past bij de kansen en opgaven van de regio"
        return payload

    def bring_to(self, state: str) -> None:
        """Drive the case from where it is to ``state`` along the shortest ordinary route."""
        for event in route_to(state, self.case()["state"]):
            self.send(self.sender(event), event)

    def sender(self, event: str) -> str:
        """A role that may send ``event`` on this case now (as the procedure's example)."""
        kind = rules.example_step(event, self.case()["state"])[0]
        return f"ministry:{self.ministry}" if kind == "ministry" else kind

    # -- reading ---------------------------------------------------------------------------------

    def case(self, role: str = "bzk") -> dict[str, Any]:
        """The case as ``role`` sees it (``case_json``), without the trail."""
        with session_scope() as session:
            case = service.get_case(session, self._id(), role)
            return service.case_json(session, case, role, with_events=False)

    def trail(self) -> list[dict[str, Any]]:
        """The audit trail of the case, oldest first."""
        with Session(get_engine()) as session:
            return [service.event_json(e) for e in service.trail(session, self._id())]

    def overdue(self) -> list[int]:
        """The ids of the cases past due today, as BZK sees them."""
        with session_scope() as session:
            cases = service.list_cases(session, self.context(), "bzk", overdue=True)
            return [c.id for c in cases if c.id is not None]

    def _due(self) -> date | None:
        due = self.case()["due_date"]
        return date.fromisoformat(due) if due else None

    def _id(self) -> int:
        if self.case_id is None:
            raise ValueError("this step needs a case: register a plan first")
        return self.case_id


def route_to(state: str, start: str = "registered") -> list[str]:
    """The events from ``start`` to ``state``: shortest path in the chart's own graph.

    Suspending, resuming, withdrawing and reconsidering are left out except as the last
    step to Opgeschort or Ingetrokken, so the route is the ordinary course of a case.
    """
    edges = transitions()
    if state in ("suspended", "withdrawn"):
        return [next(e for s, t, e, _g in edges if s == start and t == state)]
    paths: dict[str, list[str]] = {start: []}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for source, target, event, _guards in edges:
            if source == here and event not in _ROUTE_SKIPS and target not in paths:
                paths[target] = [*paths[here], event]
                queue.append(target)
    if state not in paths:
        raise ValueError(f"no ordinary route from {start} to {state}")
    return paths[state]
