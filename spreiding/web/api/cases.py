"""``/cases``: list, show, register, send events, draw the lifecycle of one case.

The same service functions as ``spreiding case ...``, with the signed-in account as the
principal. A case the principal may not see answers 404 (as an unknown one does); an event
its role may not send answers 403 with the reason; an event the case's state or data refuse
answers 409 with the lifecycle's own message.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import Field

from spreiding.accounts.errors import Forbidden
from spreiding.core.errors import InvalidInput, NotFound
from spreiding.core.principal import Principal
from spreiding.models.registry import EMAIL_LIMIT, get_organisation
from spreiding.models.tables import Confidentiality
from spreiding.statemachine import rules
from spreiding.statemachine.diagram import render
from spreiding.statemachine.service import (
    case_json,
    cases_json,
    find_cases,
    get_case,
    register_case,
    send_event,
)
from spreiding.web.api.schemas import Number, RequestBody, WholeNumber
from spreiding.web.deps import (
    CaseReader,
    ContextDep,
    CurrentPrincipal,
    SessionDep,
    own_ministry,
    role_kind,
)

router = APIRouter(tags=["cases"])
CaseId = Path(ge=1, le=2**31 - 1, description="The case number.")


class NewCase(RequestBody):
    """A plan to register as a case (the fields of ``spreiding case register``)."""

    organisation: str = Field(min_length=1, max_length=200, description="Code or name.")
    case_type: str = Field(max_length=32, description="groei, krimp, nieuw, ...")
    fte: Number | None = Field(
        None,
        ge=0,
        le=rules.MAX_PLAN_FTE,
        description="The change in fte; a masterplan sums its covers.",
    )
    location: str | None = Field(
        None,
        max_length=100,
        description="Municipality; nieuw, masterplan and vtw may leave it to BZK's proposal.",
    )
    target: str | None = Field(None, max_length=100)
    confidentiality: str = Field(Confidentiality.INTERN.value, max_length=32)
    title: str | None = Field(None, max_length=rules.TITLE_LIMIT)
    handler_email: str | None = Field(None, max_length=EMAIL_LIMIT)
    stage: str | None = Field(
        None, max_length=32, description="voornemen (an intention, reported early) or plan."
    )
    period: str | None = Field(
        None, max_length=rules.PERIOD_LIMIT, description="An intention's time frame."
    )
    area: str | None = Field(
        None, max_length=64, description="A masterplan's area: a province or DEN-HAAG."
    )
    covers: list[str] | None = Field(
        None,
        max_length=200,
        description="A masterplan's or VtW's organisations, each as ORG:FTE (e.g. BD:120).",
    )
    masterplan: WholeNumber | None = Field(
        None, ge=1, le=2**31 - 1, description="The masterplan case a VtW changes."
    )
    rvb_contact: str | None = Field(
        None, max_length=200, description="The contact at the Rijksvastgoedbedrijf."
    )


class Event(RequestBody):
    """An event with its data, as ``spreiding case send ID EVENT --set KEY=VALUE``."""

    event: str = Field(min_length=1, max_length=64, description="e.g. issue_advice")
    payload: dict[str, Any] = Field(default_factory=dict)
    expected_version: WholeNumber | None = Field(None, ge=1, le=2**31 - 1)


def visible_case(session: Any, case_id: int, principal: Principal) -> Any:
    """The case as the principal may see it; hidden or unknown: 404, never 403."""
    if role_kind(principal) == "beheer":
        raise NotFound(f"Zaak {case_id} bestaat niet (of is niet zichtbaar voor de rol beheer)")
    return get_case(session, case_id, principal)


@router.get("/cases")
def index(
    principal: CaseReader,
    session: SessionDep,
    ctx: ContextDep,
    response: Response,
    state: str | None = Query(None, max_length=64, description="Only cases in this state."),
    ministry: str | None = Query(None, max_length=16, description="Only this ministry's."),
    case_type: str | None = Query(None, alias="type", max_length=32),
    due_within: int | None = Query(None, ge=0, le=2600, description="Working days."),
    overdue: bool = False,
    q: str | None = Query(None, max_length=200, description="Text in title or organisation."),
    limit: int = Query(100, ge=1, le=1000, description="At most this many cases."),
    offset: int = Query(0, ge=0, le=2**31 - 1, description="Skip this many first."),
) -> list[dict]:
    """The cases the account may see, by due date, with the filters given: one page of them.

    The ``X-Total-Count`` header says how many cases match in all.
    """
    found = find_cases(
        session, ctx, principal, state=state,
        ministry=ministry.strip().upper() if ministry else None,
        case_type=case_type.strip().lower() if case_type else None,
        text=q.strip() if q else None, search=("title", "organisation"),
        overdue=overdue, due_within=due_within, limit=limit, offset=offset,
    )  # fmt: skip
    response.headers["X-Total-Count"] = str(found.total)
    return cases_json(session, found.cases, principal)


@router.get("/cases/{case_id}")
def show(principal: CurrentPrincipal, session: SessionDep, case_id: int = CaseId) -> dict:
    """One case: plan, state, what the account may do now, dossier and audit trail."""
    return case_json(session, visible_case(session, case_id, principal), principal)


def _check_may_register(session: Any, principal: Principal, organisation: str) -> None:
    kind = role_kind(principal)
    if kind == "bzk":
        return
    if kind != "ministry":
        raise Forbidden(
            f"Een zaak meldt BZK (bzk) of een ministerie (ministry:<CODE>); de rol "
            f"{rules.role_label(principal.role)} mag dit niet."
        )
    org = get_organisation(session, organisation)
    if org.ministry_code != own_ministry(principal):
        raise Forbidden(
            f"{org.code} hoort bij ministerie {org.ministry_code}: de rol "
            f"{rules.role_label(principal.role)} meldt alleen plannen van het eigen ministerie."
        )


@router.post("/cases", status_code=201)
def create(
    form: NewCase, principal: CurrentPrincipal, session: SessionDep, ctx: ContextDep
) -> dict:
    """Register a plan as a new case (state Aangemeld), or an intention (stage voornemen)."""
    _check_may_register(session, principal, form.organisation)
    if form.fte is None and not form.covers:
        raise InvalidInput("Geef bij 'fte' de omvang van de verandering in fte")
    fields = form.model_dump()
    fields["fte"] = form.fte or 0.0
    case = register_case(session, ctx, principal, **fields)
    return case_json(session, case, principal)


@router.post("/cases/{case_id}/events")
def send(
    form: Event,
    principal: CurrentPrincipal,
    session: SessionDep,
    ctx: ContextDep,
    case_id: int = CaseId,
) -> dict:
    """Send an event to a case; answers the case as it is after the event."""
    case = visible_case(session, case_id, principal)
    refusal = rules.role_refusal(form.event, principal.role, case.ministry_code)
    if refusal is not None:
        raise Forbidden(refusal)
    case = send_event(
        session,
        ctx,
        principal,
        case_id,
        form.event,
        form.payload,
        expected_version=form.expected_version,
    )
    return case_json(session, case, principal)


@router.get(
    "/cases/{case_id}/diagram.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}},
)
def diagram(principal: CurrentPrincipal, session: SessionDep, case_id: int = CaseId) -> Response:
    """The lifecycle with this case's state highlighted (needs Graphviz on the server)."""
    case = visible_case(session, case_id, principal)
    return Response(str(render("svg", current=case.state)), media_type="image/svg+xml")
