"""Plan melden: a ministry (or BZK) registers a plan as a new case, with :func:`register_case`.

A ministry chooses from its own organisations only; the municipality field suggests the
municipalities by name (``<datalist>``). Every field is checked before anything is written;
a message stands next to the field it is about. The form carries a token of its own
(:mod:`spreiding.accounts.form_tokens`): sent twice, it registers one case.
"""

from __future__ import annotations

import inspect
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import select

from spreiding.accounts.form_tokens import settle
from spreiding.core import dutch
from spreiding.core.dutch import NotANumber, read_number
from spreiding.core.errors import InvalidInput, NotFound, SpreidingError
from spreiding.geography.reference import gazetteer
from spreiding.models.registry import is_email_address
from spreiding.models.tables import CASE_TYPE_LABELS, Confidentiality, Organisation
from spreiding.statemachine import rules
from spreiding.statemachine.service import REGISTER, register_case
from spreiding.web.deps import ContextDep, SessionDep, StateDep
from spreiding.web.pages.cases import CONFIDENTIALITY_LABELS, municipality_names
from spreiding.web.pages.common import (
    FORM_EXPIRED,
    FORM_TOKEN_FIELD,
    FormDep,
    PageForbidden,
    Viewer,
    ViewerDep,
    check_form_csrf,
    claim_form,
    field_named,
    form_token_for,
    render,
    sent_before,
)

router = APIRouter()
FIELDS = (
    "organisation",
    "case_type",
    "fte",
    "location",
    "target",
    "confidentiality",
    "title",
    "handler_email",
    "stage",
    "period",
)
TEXT_LIMITS = {"title": rules.TITLE_LIMIT, "period": rules.PERIOD_LIMIT}
"""The most characters each free-text field takes (the service's limits); a longer one is
refused at its field."""
ECHO_LIMIT = 5_000
"""The most characters of a refused field that the form shows back."""


def _registrar(viewer: Viewer) -> Viewer:
    if viewer.kind not in ("bzk", "ministry"):
        raise PageForbidden("Een plan wordt gemeld door een ministerie of door BZK.")
    return viewer


def _organisations(session: Any, viewer: Viewer) -> list[Organisation]:
    query = select(Organisation).order_by(Organisation.ministry_code, Organisation.name)
    if viewer.ministry is not None:
        query = query.where(Organisation.ministry_code == viewer.ministry)
    return list(session.exec(query))


def _page(
    request: Request,
    session: Any,
    viewer: Viewer,
    values: dict[str, str],
    errors: dict[str, str],
    *,
    status_code: int = 200,
    message: str = "",
    form_token: str,
) -> Response:
    return render(
        request,
        session,
        "plan.html.j2",
        viewer,
        status_code=status_code,
        title="Plan melden",
        organisations=_organisations(session, viewer),
        types=CASE_TYPE_LABELS,
        levels=CONFIDENTIALITY_LABELS,
        municipalities=municipality_names(),
        values=values,
        errors=errors,
        message=message,
        form_token=form_token,
        stages=STAGES,
        text_limits=TEXT_LIMITS,
        location_optional=[CASE_TYPE_LABELS[t].lower() for t in LOCATION_OPTIONAL],
    )


@router.get("/plan-melden")
def plan_form(
    request: Request, session: SessionDep, state: StateDep, viewer: ViewerDep
) -> Response:
    """The empty form, with a token of its own so that it registers one case only."""
    _registrar(viewer)
    values = dict.fromkeys(FIELDS, "")
    values["confidentiality"] = Confidentiality.INTERN.value
    values["stage"] = "plan"
    return _page(request, session, viewer, values, {}, form_token=form_token_for(state))


def _fte(text: str, errors: dict[str, str]) -> float:
    text = text.strip()
    if not text:
        errors["fte"] = "Geef het aantal fte als getal, bijvoorbeeld 150 of 12,5."
        return 0.0
    try:
        fte = read_number(text)
    except NotANumber as exc:
        errors["fte"] = f"Geef het aantal fte als getal: {exc}"
        return 0.0
    if not 0 <= fte <= rules.MAX_PLAN_FTE:
        errors["fte"] = f"Geef een aantal fte van 0 tot {dutch.whole(rules.MAX_PLAN_FTE)}."
    return fte


STAGES = "stage" in inspect.signature(register_case).parameters
"""Whether the lifecycle takes an intention (voornemen) as well as a plan."""
LOCATION_OPTIONAL = rules.LOCATION_OPTIONAL_TYPES
"""The kinds of plan that may leave the location to BZK's advice."""


def _place(text: str, name: str, errors: dict[str, str], *, optional: bool = False) -> None:
    text = text.strip()
    if not text:
        if name == "location" and not optional:
            errors[name] = "Vul de gemeente in."
        return
    try:
        gazetteer().municipality(text)
    except (NotFound, InvalidInput):
        errors[name] = f"{text!r} is geen bekende gemeente; kies een gemeente uit de lijst."


def _lengths(values: dict[str, str], errors: dict[str, str]) -> None:
    """A message on each free-text field longer than its limit in :data:`TEXT_LIMITS`."""
    for name in ("title", "period") if STAGES else ("title",):
        length = len(values[name].strip())
        if length > TEXT_LIMITS[name]:
            errors[name] = (
                f"De tekst is te lang ({dutch.whole(length)} tekens); "
                f"gebruik er ten hoogste {dutch.whole(TEXT_LIMITS[name])}."
            )


def _check(
    session: Any, viewer: Viewer, values: dict[str, str]
) -> tuple[dict[str, str], dict[str, Any]]:
    """Per-field messages, and the arguments for :func:`register_case` when there are none."""
    errors: dict[str, str] = {}
    own = {o.code: o for o in _organisations(session, viewer)}
    if values["organisation"] not in own:
        errors["organisation"] = "Kies een organisatie uit de lijst."
    if values["case_type"] not in CASE_TYPE_LABELS:
        errors["case_type"] = "Kies de soort plan."
    fte = _fte(values["fte"], errors)
    for name in ("location", "target"):
        _place(values[name], name, errors, optional=values["case_type"] in LOCATION_OPTIONAL)
    if STAGES and values["stage"] not in ("plan", "voornemen"):
        errors["stage"] = "Kies of u een plan of een voornemen meldt."
    if (
        values["case_type"] == "hervestiging"
        and not values["target"].strip()
        and "target" not in errors
    ):
        errors["target"] = "Bij een hervestiging: vul in waar de dienst naartoe gaat."
    if values["confidentiality"] not in CONFIDENTIALITY_LABELS:
        errors["confidentiality"] = "Kies de vertrouwelijkheid."
    _lengths(values, errors)
    handler = values["handler_email"].strip()
    if handler and not is_email_address(handler):
        errors["handler_email"] = f"{handler!r} is geen e-mailadres."
    arguments = {
        "organisation": values["organisation"],
        "case_type": values["case_type"],
        "fte": fte,
        "location": values["location"].strip(),
        "target": values["target"].strip() or None,
        "confidentiality": values["confidentiality"],
        "title": values["title"].strip() or None,
        "handler_email": handler or None,
    }
    if STAGES:
        arguments["stage"] = values["stage"]
        arguments["period"] = (
            values["period"].strip() or None if values["stage"] == "voornemen" else None
        )
    if not arguments["location"]:
        arguments["location"] = None
    return errors, arguments


@router.post("/plan-melden")
def plan_send(
    request: Request,
    session: SessionDep,
    state: StateDep,
    ctx: ContextDep,
    viewer: ViewerDep,
    form: FormDep,
) -> Response:
    """Register the plan; on success to its Zaak N page. The same form sent again (a double
    click, a reload) registers nothing and leads to the case its first submit registered."""
    _registrar(viewer)
    check_form_csrf(viewer, form)
    earlier = sent_before(session, viewer, form)
    if earlier is not None:
        return earlier
    values = {name: form.get(name, "")[:ECHO_LIMIT] for name in FIELDS}
    token = form_token_for(state, form)
    errors, arguments = _check(session, viewer, values)
    if errors:
        return _page(
            request, session, viewer, values, errors, status_code=422,
            message="Het plan is niet gemeld; zie de meldingen bij de velden.", form_token=token,
        )  # fmt: skip
    if token != form.get(FORM_TOKEN_FIELD):  # no token, or the form is older than a day
        return _page(
            request, session, viewer, values, {}, status_code=409, message=FORM_EXPIRED,
            form_token=token,
        )  # fmt: skip
    claimed = claim_form(session, state, viewer, form)
    if isinstance(claimed, Response):
        return claimed
    try:
        case = register_case(session, ctx, viewer.principal, **arguments)
    except SpreidingError as exc:
        session.rollback()
        where = field_named(str(exc), FIELDS)  # the service names the form's fields
        return _page(
            request, session, viewer, values, {where: str(exc)} if where else {},
            status_code=409, message=f"Het plan is niet gemeld: {exc}", form_token=token,
        )  # fmt: skip
    target = f"/zaken/{case.id}?gedaan={REGISTER}"
    settle(session, claimed, target)
    return RedirectResponse(target, status_code=303)
