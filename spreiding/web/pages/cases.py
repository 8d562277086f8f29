"""Mijn werkvoorraad (``/`` once signed in), Zaken (``/zaken``) and Zaak N (``/zaken/N``).

Built on the lifecycle's service layer (:func:`find_cases`, :func:`get_case`,
:func:`send_event`) with the signed-in account as principal, so who sees what is decided
there. The actions a page offers are :func:`allowed_events` for the account, labelled with
the chart's Dutch names; each action's form shows every field of
:func:`~spreiding.statemachine.rules.describe_fields` up front. Nothing here names an event:
a new event in the lifecycle appears on the pages by itself.
"""

from __future__ import annotations

import math
import re
import shutil
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import and_, false, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select

from spreiding.core import dutch
from spreiding.core.dutch import NotANumber, read_number, whole_number
from spreiding.core.errors import (
    ConflictError,
    InvalidInput,
    NotFound,
    SpreidingError,
    TransitionRefused,
)
from spreiding.geography.reference import gazetteer
from spreiding.models.registry import EMAIL_LIMIT
from spreiding.models.tables import CASE_TYPE_LABELS, Case, CaseType, Ministry, Organisation
from spreiding.statemachine import calendar, rules
from spreiding.statemachine.chart import (
    EVENT_LABELS,
    RESUMABLE_STATES,
    STATE_LABELS,
    allowed_events,
    clock_runs,
    is_overdue,
    restore,
    transitions,
)
from spreiding.statemachine.diagram import render as draw
from spreiding.statemachine.service import (
    REGISTER,
    Context,
    find_cases,
    get_case,
    latest_event,
    send_event,
    trail,
    visible_to,
)
from spreiding.web.deps import ContextDep, SessionDep
from spreiding.web.pages.common import (
    CaseViewerDep,
    FormDep,
    PageNotFound,
    Viewer,
    check_form_csrf,
    date_text,
    field_named,
    render,
    role_text,
    too_long,
)

router = APIRouter()
CaseId = Annotated[int, Path(ge=1, le=2**31 - 1)]
SOON_DAYS = 5
PAGE_SIZE = 25
SEARCH_LIMIT = 200
TEXT_LIMIT = 5_000
"""The most characters a text field of an action takes: it stays in the audit trail for good."""
REGISTER_LABEL = "Zaak aangemeld"
CONFIDENTIALITY_LABELS = {
    "openbaar": "Openbaar",
    "intern": "Intern",
    "vertrouwelijk": "Vertrouwelijk",
}
FIELD_LABELS = {
    "location": "Gemeente",
    "rationale": "Motivering van het advies",
    "considerations": "Afwegingen",
    "motivation": "Motivering",
    "fte": "Aantal fte op de locatie",
    "follows_advice": "Volgt het besluit het BZK-advies?",
    "reason": "Reden",
    "target": "Naar gemeente",
    "period": "Periode",
    "route": "Route",
    "stated_at": "Op",
    "consented_at": "Ingestemd op",
    "decided_at": "Besloten op",
    "department_location": "Locatie van het departement",
    "justifications": "Motivering per aandachtspunt",
    "note": "Opmerking (niet verplicht)",
}
CONSIDERATION_LABELS = rules.CONSIDERATION_LABELS
SECTION_LABELS = {
    "advice": "BZK-advies",
    "agreement": "Overeenstemming",
    "escalation": "Voorgelegd aan de ministerraad",
    "decision": "Besluit",
    "withdrawal": "Intrekking",
    "counter_proposal": "Tegenvoorstel van het ministerie",
}
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
VIA_LABELS = {"web": "via de website", "api": "via de API", "cli": "via de opdrachtregel"}
SORTS = {
    "termijn": "Termijn",
    "nummer": "Zaaknummer",
    "fte": "Aantal fte",
    "toestand": "Toestand",
}


def label(field: str) -> str:
    """The Dutch label of a payload field (its own description for one not known here)."""
    return FIELD_LABELS.get(field, field.replace("_", " ").capitalize())


def event_label(event: str) -> str:
    """The Dutch label of an audit event."""
    return REGISTER_LABEL if event == REGISTER else EVENT_LABELS.get(event, event)


def _generic_events() -> frozenset[str]:
    """Events possible from every running state (withdraw, suspend): always there, so a case
    offering only these does not wait for anyone. Read from the graph, not from names."""
    sources: dict[str, set[str]] = {}
    for source, _target, event, _guards in transitions():
        sources.setdefault(event, set()).add(source)
    return frozenset(e for e, s in sources.items() if set(RESUMABLE_STATES) <= s)


GENERIC_EVENTS = _generic_events()


def place(code: str | None) -> str:
    """A municipality by name."""
    if not code:
        return ""
    found = gazetteer().municipalities.get(code)
    return found.name if found else code


def municipality_names() -> list[str]:
    """Every municipality's name, for the suggestions (``<datalist>``)."""
    return sorted(m.name for m in gazetteer().municipalities.values())


@dataclass(frozen=True)
class Row:
    """A case as a list shows it."""

    case: Case
    organisation: Organisation
    status: str  # "overdue", "soon" or ""

    @property
    def location(self) -> str:
        """The municipality by name."""
        return place(self.case.location_code)

    @property
    def paused(self) -> bool:
        """Whether the case's clock stands still (it is suspended)."""
        return self.case.suspended_from is not None


def _status(case: Case, today: date, horizon: date) -> str:
    if is_overdue(case.state, case.due_date, today):
        return "overdue"
    if clock_runs(case.state, case.due_date) and case.due_date and case.due_date <= horizon:
        return "soon"
    return ""


def _organisations(session: Session, cases: list[Case]) -> dict[int, Organisation]:
    """The organisations of these cases, in one query."""
    ids = {c.organisation_id for c in cases}
    if not ids:
        return {}
    query = select(Organisation).where(Organisation.id.in_(ids))  # type: ignore[union-attr]
    return {o.id: o for o in session.exec(query)}  # type: ignore[misc]


def _rows(session: Session, ctx: Context, cases: list[Case]) -> list[Row]:
    """The cases as rows, with their organisations and deadline status."""
    orgs = _organisations(session, cases)
    horizon = calendar.add_working_days(ctx.today, SOON_DAYS)
    return [Row(c, orgs[c.organisation_id], _status(c, ctx.today, horizon)) for c in cases]


@lru_cache(maxsize=4096)
def _allowed_in(
    state: str, role: str, ministry: str, in_scope: bool | None, version: int | None
) -> tuple[str, ...]:
    """The chart's events for a case in ``state`` (its guards read ``in_scope`` and, when
    suspended, the state to return to, which any consistent case has): one machine per kind
    of case instead of one per case. ``version`` is the case's lifecycle version, if the
    store keeps one."""
    if version is None:
        return tuple(allowed_events(state, role, ministry, in_scope))
    return tuple(allowed_events(state, role, ministry, in_scope, version=version))


def waiting(case: Case, role: str) -> list[str]:
    """The events the role may send now that move the case on (not only withdraw/suspend)."""
    try:
        events = _allowed_in(
            case.state, role, case.ministry_code, case.in_scope, case.lifecycle_version
        )
    except AttributeError:  # a guard that reads more of the case than the bare state gives
        events = tuple(allowed_events(restore(case), role))
    return [e for e in events if e not in GENERIC_EVENTS]


KIND_OF_CASE = (Case.state, Case.ministry_code, Case.in_scope, Case.lifecycle_version)
"""What :func:`_allowed_in` reads of a case: the cases alike in these wait alike."""


def _waiting_kinds(session: Session, viewer: Viewer) -> list[Any]:
    """A condition per kind of visible case that waits for the viewer's role (see
    :data:`KIND_OF_CASE`), so that only those cases are loaded; a kind whose guards need the
    whole case is kept by its state alone and its cases are checked one by one."""
    role = viewer.principal.role
    kinds = session.exec(
        select(*KIND_OF_CASE).where(visible_to(viewer.principal)).distinct()  # type: ignore[call-overload]
    ).all()
    conditions = []
    for kind in kinds:
        state, ministry, in_scope, version = kind
        try:
            events = _allowed_in(state, role, ministry, in_scope, version)
        except AttributeError:
            conditions.append(Case.state == state)
            continue
        if [e for e in events if e not in GENERIC_EVENTS]:
            alike = zip(KIND_OF_CASE, kind, strict=True)
            conditions.append(and_(*(c.is_(None) if v is None else c == v for c, v in alike)))
    return conditions


def _waiting_condition(session: Session, viewer: Viewer) -> ColumnElement[bool]:
    """One condition for the cases waiting for the viewer's role (none: nothing matches)."""
    kinds = _waiting_kinds(session, viewer)
    return or_(*kinds) if kinds else false()


# -- Mijn werkvoorraad --------------------------------------------------------------------

QUEUE_SHOWN = 25
"""The cases shown per group of the work queue; the rest is one link away, in Zaken."""
QUEUE_MORE = {
    "overdue": "te_laat=ja&wacht=ja",
    "soon": "binnenkort=ja&wacht=ja",
    "later": "wacht=ja",
}
"""Per group, the Zaken filters that show all of its cases (``soon`` includes overdue ones)."""


def work_queue(request: Request, session: SessionDep, ctx: ContextDep, viewer: Viewer) -> Response:
    """The cases waiting for an action of the viewer's role: overdue, soon, the rest."""
    role = viewer.principal.role
    where = [_waiting_condition(session, viewer)]
    found = find_cases(session, ctx, viewer.principal, where=where, light=True).cases
    mine = [c for c in found if waiting(c, role)]
    rows = _rows(session, ctx, mine)
    groups = [
        ("overdue", "Termijn verstreken", [r for r in rows if r.status == "overdue"]),
        (
            "soon",
            f"Termijn verloopt binnen {SOON_DAYS} werkdagen",
            [r for r in rows if r.status == "soon"],
        ),
        ("later", "Later of zonder lopende termijn", [r for r in rows if not r.status]),
    ]
    return render(
        request,
        session,
        "work_queue.html.j2",
        viewer,
        title="Mijn werkvoorraad",
        groups=groups,
        total=len(rows),
        shown=QUEUE_SHOWN,
        more=QUEUE_MORE,
        labels=STATE_LABELS,
        types=CASE_TYPE_LABELS,
        waiting={r.case.id: [event_label(e) for e in waiting(r.case, role)] for r in rows},
    )


# -- Zaken ---------------------------------------------------------------------------------


SORT_ORDERS = {"termijn": "due", "nummer": "id", "fte": "fte", "toestand": "state"}
"""Each of :data:`SORTS` as the service's order (``service.LIST_SORTS``)."""
SEARCHED = ("title", "organisation", "number", "place")
"""What the search box looks in: title, organisation (code and name), number, municipality."""


PAGE_LIMIT = (2**31 - 1) // PAGE_SIZE
"""The highest page number read: beyond it (past every end) the offset would not fit SQL."""


def _page_number(text: str) -> int:
    """The page asked for; 1 for anything that is not a whole number of at least 1."""
    number = whole_number(text)
    return 1 if number is None else min(max(1, number), PAGE_LIMIT)


@router.get("/zaken")
def case_list(
    request: Request,
    session: SessionDep,
    ctx: ContextDep,
    viewer: CaseViewerDep,
    toestand: str = "",
    ministerie: str = "",
    soort: str = "",
    behandelaar: str = "",  # any length: a long one gets its message at the field
    binnenkort: str = "",
    te_laat: str = "",
    wacht: str = "",
    zoek: str = "",  # any length: a long one gets its message at the field
    sorteer: str = "termijn",
    pagina: str = Query("1", max_length=32),
) -> Response:
    """All cases the account may see, filtered, searched, sorted and paginated.

    A page number that is not one (``-1``, ``abc``) shows the first page, one past the end
    the last; a search text above :data:`SEARCH_LIMIT` characters or a handler longer than
    any e-mail address is refused at its field; a value no list offers (a state, a ministry,
    a kind, a sort order) counts as none chosen.
    """
    zoek, behandelaar = zoek.strip(), behandelaar.strip()
    errors = {
        "zoek": too_long(zoek, SEARCH_LIMIT, "De zoektekst"),
        "behandelaar": too_long(behandelaar, EMAIL_LIMIT, "Het e-mailadres van de behandelaar"),
    }
    errors = {k: v for k, v in errors.items() if v}
    zoek, behandelaar = zoek[:SEARCH_LIMIT], behandelaar[:EMAIL_LIMIT]
    ministries = list(session.exec(select(Ministry).order_by(Ministry.code)))
    ministerie = ministerie.strip().upper()
    ministerie = ministerie if ministerie in {m.code for m in ministries} else ""
    soort = soort if soort in CASE_TYPE_LABELS else ""
    state = toestand if toestand in STATE_LABELS else None
    filters: dict[str, Any] = {
        "state": state,
        "ministry": ministerie or None,
        "case_type": soort or None,
        "handler": behandelaar or None,
        "text": zoek or None,
        "search": SEARCHED,
        "overdue": bool(te_laat),
        "due_within": SOON_DAYS if binnenkort else None,
        "sort": SORT_ORDERS.get(sorteer, "due"),
        "where": [_waiting_condition(session, viewer)] if wacht else [],
    }
    wanted = _page_number(pagina)
    found = find_cases(
        session, ctx, viewer.principal, **filters, limit=PAGE_SIZE,
        offset=(wanted - 1) * PAGE_SIZE, light=True,
    )  # fmt: skip
    total = found.total
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(wanted, pages)
    if page != wanted:  # past the end: the last page
        found = find_cases(
            session, ctx, viewer.principal, **filters, limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE, light=True, count=False,
        )  # fmt: skip
    shown = _rows(session, ctx, found.cases)
    chosen = {
        "toestand": toestand,
        "ministerie": ministerie,
        "soort": soort,
        "behandelaar": behandelaar,
        "binnenkort": binnenkort,
        "te_laat": te_laat,
        "wacht": wacht,
        "zoek": zoek,
        "sorteer": sorteer if sorteer in SORTS else "termijn",
    }
    kept = {k: v for k, v in chosen.items() if v}

    def page_url(n: int) -> str:
        return "/zaken?" + urlencode({**kept, "pagina": n})

    def sort_url(key: str) -> str:
        return "/zaken?" + urlencode({**kept, "sorteer": key})

    return render(
        request,
        session,
        "cases.html.j2",
        viewer,
        title="Zaken",
        rows=shown,
        total=total,
        page=page,
        pages=pages,
        page_url=page_url,
        sort_url=sort_url,
        chosen=chosen,
        labels=STATE_LABELS,
        types=CASE_TYPE_LABELS,
        sorts=SORTS,
        ministries=ministries,
        soon_days=SOON_DAYS,
        errors=errors,
        status_code=422 if errors else 200,
    )


# -- Zaak N --------------------------------------------------------------------------------


def _visible(session: Session, case_id: int, viewer: Viewer) -> Case:
    try:
        return get_case(session, case_id, viewer.principal)
    except NotFound:
        raise PageNotFound(f"Zaak {case_id} bestaat niet of is niet voor u zichtbaar.") from None


def _trail_rows(session: Session, case: Case) -> list[dict[str, Any]]:
    rows = []
    for event in trail(session, case.id):
        payload = dict(event.payload or {})
        rows.append(
            {
                "seq": event.seq,
                "at": event.at,
                "what": event_label(event.event),
                "source": STATE_LABELS.get(event.source or "", ""),
                "target": STATE_LABELS.get(event.target, event.target),
                "actor": event.actor,
                "role": role_text(event.role),
                "via": VIA_LABELS.get(str(payload.get("via")), ""),
                "reason": event.reason or payload.get("note") or "",
            }
        )
    return rows


def _yes_no(value: object) -> str:
    return "ja" if value is True else "nee" if value is False else str(value or "")


def _section_facts(section: dict[str, Any]) -> list[tuple[str, str]]:
    """A dossier section not known to this page, as label/value pairs (new lifecycle parts)."""
    facts = []
    for key, value in section.items():
        if isinstance(value, dict):
            continue
        if key.endswith("location") and isinstance(value, str):
            value = place(value)
        elif key.endswith(("_at", "_on")) and isinstance(value, str) and _ISO_DAY.match(value):
            value = date_text(value)
        facts.append((label(key), _yes_no(value) if isinstance(value, bool) else str(value)))
    return facts


def _flag_motivations(case: Case, advice: dict[str, Any]) -> list[tuple[str, str]]:
    """Each principle flag with how the advice motivates it (considerations or own words)."""
    weighed = advice.get("flag_justification") or {}
    worded = advice.get("justifications") or {}
    id_of = rules.FLAG_ID_OF
    rows = []
    for flag in case.flags:
        if id_of.get(flag) in worded:
            rows.append((flag, f"gemotiveerd: {worded[id_of[flag]]}"))
        elif weighed.get(flag):
            named = ", ".join(CONSIDERATION_LABELS.get(k, k).lower() for k in weighed[flag])
            rows.append((flag, f"gemotiveerd met {named}"))
        elif flag in weighed:
            rows.append((flag, "geen afweging van toepassing"))
        else:
            rows.append((flag, "nog niet gemotiveerd"))
    return rows


def _escalation(section: dict[str, Any] | None) -> dict[str, Any] | None:
    """The MR dossier in one shape, whichever lifecycle version wrote it."""
    if not section:
        return None
    department = section.get("department") or {}
    return {
        "location": section.get("department_location") or department.get("location"),
        "motivation": department.get("motivation") or section.get("motivation"),
        "why_mr": section.get("motivation") if department else None,
        "bzk_advice": section.get("bzk_advice") or {},
    }


def case_context(session: Session, ctx: Context, case: Case, viewer: Viewer) -> dict[str, Any]:
    """What the Zaak N page shows."""
    org = session.get(Organisation, case.organisation_id)
    ministry = session.get(Ministry, case.ministry_code)
    dossier = dict(case.dossier or {})
    known = set(SECTION_LABELS)  # each rendered in its own place on the page
    return {
        "case": case,
        "organisation": org,
        "ministry": ministry,
        "state_label": STATE_LABELS[case.state],
        "suspended_from": STATE_LABELS.get(case.suspended_from or "", ""),
        "type_label": CASE_TYPE_LABELS.get(case.case_type, case.case_type),
        "confidentiality": CONFIDENTIALITY_LABELS.get(case.confidentiality, case.confidentiality),
        "location": place(case.location_code),
        "target": place(case.target_code),
        "overdue": is_overdue(case.state, case.due_date, ctx.today),
        "dossier": dossier,
        "flag_rows": _flag_motivations(case, dossier.get("advice") or {}),
        "escalation": _escalation(dossier.get("escalation")),
        "flag_names": rules.FLAG_BY_ID,
        "other_sections": [
            (SECTION_LABELS.get(k, label(k)), _section_facts(v))
            for k, v in dossier.items()
            if k not in known and isinstance(v, dict)
        ],
        "considerations": CONSIDERATION_LABELS,
        "place": place,
        "yes_no": _yes_no,
        "actions": [
            (e, EVENT_LABELS[e]) for e in allowed_events(restore(case), viewer.principal.role)
        ],
        "trail": _trail_rows(session, case),
        "diagram": shutil.which("dot") is not None,
    }


@router.get("/zaken/{case_id}")
def case_page(
    request: Request,
    session: SessionDep,
    ctx: ContextDep,
    viewer: CaseViewerDep,
    case_id: CaseId,
    gedaan: str = Query("", max_length=64),
) -> Response:
    """One case: plan, flags, state on the lifecycle, deadlines, dossier, trail, actions."""
    case = _visible(session, case_id, viewer)
    context = case_context(session, ctx, case, viewer)
    return render(
        request,
        session,
        "case.html.j2",
        viewer,
        title=f"Zaak {case.id}",
        done=_done(gedaan, context["trail"], viewer),
        **context,
    )


def _done(event: str, trail_rows: list[dict[str, Any]], viewer: Viewer) -> str | None:
    """The label of the action just taken, for the success message: only when the trail's
    last event is that action by this account, so a link cannot claim one."""
    label_ = EVENT_LABELS.get(event) or (REGISTER_LABEL if event == REGISTER else None)
    if label_ is None or not trail_rows:
        return None
    last = trail_rows[-1]
    return label_ if last["what"] == label_ and last["actor"] == viewer.principal.name else None


@router.get("/zaken/{case_id}/levensloop.svg")
def case_diagram(session: SessionDep, viewer: CaseViewerDep, case_id: CaseId) -> Response:
    """The lifecycle with this case's state highlighted (Graphviz on the server)."""
    case = _visible(session, case_id, viewer)
    try:
        svg = draw("svg", current=case.state, compact=True)
    except SpreidingError:
        raise PageNotFound("De levensloop kan niet worden getekend (Graphviz ontbreekt).") from None
    return Response(str(svg), media_type="image/svg+xml", headers={"cache-control": "no-store"})


# -- actions -------------------------------------------------------------------------------


@dataclass
class Field:
    """One field of an action's form, with its value and its message."""

    name: str
    kind: str
    label: str
    hint: str
    required: bool
    value: Any = ""
    error: str = ""


def is_place_field(name: str) -> bool:
    """Whether a payload field names a municipality (suggestions, resolved by name)."""
    return name == "target" or name.endswith("location")


def flag_ids(case: Case) -> list[tuple[str, str]]:
    """(id, text) of the case's principle flags, where the rules name them by id."""
    id_of = rules.FLAG_ID_OF
    return [(id_of[f], f) for f in case.flags if f in id_of]


def _describe(event: str, case: Case) -> list[Any]:
    version = case.lifecycle_version
    if version is None:
        return rules.describe_fields(event)
    return rules.describe_fields(event, version)


def _fields(event: str, case: Case, form: dict[str, str] | None) -> list[Field]:
    advised = (case.dossier.get("advice") or {}).get("location")
    fields = []
    for rule in _describe(event, case):
        value: Any = ""
        if rule.kind == "justifications":
            value = {
                flag: (form or {}).get(f"{rule.name}.{flag}", "") for flag, _text in flag_ids(case)
            }
        elif rule.kind == "considerations":
            value = {
                key: {
                    "applies": (form or {}).get(f"{rule.name}.{key}", ""),
                    "note": (form or {}).get(f"{rule.name}.{key}.note", ""),
                }
                for key in rules.CONSIDERATIONS
            }
        elif form is not None:
            value = form.get(rule.name, "")
        elif rule.name == "location" and advised and rule.required:
            value = place(advised)
        fields.append(
            Field(
                rule.name,
                rule.kind,
                label(rule.name),
                "" if rule.name in FIELD_LABELS else rule.means,
                rule.required,
                value,
            )
        )
    return fields


def _considerations(f: Field) -> dict[str, Any] | None:
    if any(v["applies"] not in ("ja", "nee") for v in f.value.values()):
        f.error = "Kies bij elke afweging ja of nee."
        return None
    return {
        k: {"applies": v["applies"], "note": v["note"].strip() or None} for k, v in f.value.items()
    }


def _yes_no_value(f: Field, text: str) -> Any:
    try:
        rules.parse_yes_no(text)
    except InvalidInput:
        f.error = "Kies ja of nee."
        return None
    return text


def _number_value(f: Field, text: str) -> Any:
    try:
        number = read_number(text)
    except NotANumber as exc:
        f.error = str(exc)
        return None
    if not math.isfinite(number) or number <= 0:
        f.error = "Geef een getal groter dan 0."
        return None
    return number


def _place_value(f: Field, text: str) -> Any:
    try:
        return gazetteer().municipality(text).code
    except (NotFound, InvalidInput):
        f.error = f"{text!r} is geen bekende gemeente; kies een gemeente uit de lijst."
        return None


def _text_value(f: Field, text: str) -> Any:
    if len(text) > TEXT_LIMIT:
        f.error = (
            f"De tekst is te lang ({dutch.whole(len(text))} tekens); "
            f"gebruik er ten hoogste {dutch.whole(TEXT_LIMIT)}."
        )
        return None
    return text


def _value(f: Field) -> Any:
    """The field's value for the event, or None (with ``f.error`` set when it is wrong)."""
    if f.kind == "considerations":
        return _considerations(f)
    if f.kind == "justifications":
        given = {k: v.strip() for k, v in f.value.items() if v.strip()}
        return given or None
    text = str(f.value).strip()
    if not text:
        if f.required:
            f.error = f"Vul {f.label.lower()} in." if f.kind != "yes_no" else "Kies ja of nee."
        return None
    if f.kind == "yes_no":
        return _yes_no_value(f, text)
    if f.kind == "positive_number":
        return _number_value(f, text)
    if is_place_field(f.name):
        return _place_value(f, text)
    return _text_value(f, text)


def _payload(fields: list[Field]) -> dict[str, Any] | None:
    """The event's data from the form, or None with a message on each field that is wrong."""
    payload = {f.name: _value(f) for f in fields}
    if any(f.error for f in fields):
        return None
    return {k: v for k, v in payload.items() if v is not None}


def _action_page(
    request: Request,
    session: SessionDep,
    viewer: Viewer,
    case: Case,
    event: str,
    fields: list[Field],
    *,
    error: str = "",
    status_code: int = 200,
) -> Response:
    return render(
        request,
        session,
        "action.html.j2",
        viewer,
        status_code=status_code,
        title=f"{EVENT_LABELS[event]} - zaak {case.id}",
        case=case,
        event=event,
        event_label=EVENT_LABELS[event],
        state_label=STATE_LABELS[case.state],
        fields=fields,
        error=error,
        considerations=CONSIDERATION_LABELS,
        municipalities=municipality_names() if any(is_place_field(f.name) for f in fields) else [],
        flags=flag_ids(case),
        is_place=is_place_field,
    )


def _allowed(case: Case, viewer: Viewer, event: str) -> bool:
    return event in allowed_events(restore(case), viewer.principal.role)


def _not_now(
    request: Request, session: SessionDep, viewer: Viewer, case: Case, event: str
) -> Response:
    what = EVENT_LABELS.get(event, event)
    if event in EVENT_LABELS and _another_role_may(case, event):
        return render(
            request, session, "message.html.j2", viewer, status_code=403,
            title="Niet toegestaan",
            text=f"{what} in zaak {case.id} doet een andere rol dan de uwe "
            f"({viewer.role_name}); uw rol mag dit niet.",
        )  # fmt: skip
    return render(
        request,
        session,
        "message.html.j2",
        viewer,
        status_code=409 if event in EVENT_LABELS else 404,
        title="Niet mogelijk",
        text=f"{what} is nu niet mogelijk in zaak {case.id} (toestand "
        f"{STATE_LABELS[case.state]}) voor uw rol.",
    )


def _another_role_may(case: Case, event: str) -> bool:
    """Whether a role acting in cases (BZK, the case's ministry, the MR) may send the event
    now: then the account's role is what refuses it (403), not the case's state (409)."""
    roles = ("bzk", f"ministry:{case.ministry_code}", "mr")
    return any(event in allowed_events(restore(case), role) for role in roles)


@router.get("/zaken/{case_id}/acties/{event}")
def action_form(
    request: Request, session: SessionDep, viewer: CaseViewerDep, case_id: CaseId, event: str
) -> Response:
    """The form of one action, with every field it needs."""
    case = _visible(session, case_id, viewer)
    if not _allowed(case, viewer, event):
        return _not_now(request, session, viewer, case, event)
    return _action_page(request, session, viewer, case, event, _fields(event, case, None))


def _sent_already(session: Session, case: Case, viewer: Viewer, event: str, version: str) -> bool:
    """Whether this form was sent before and done: the case moved on from the version the
    form was made at, and its newest event is this action by this account (a double click,
    or Back and send again). Anything else is refused or sent as usual."""
    made_at = whole_number(version)
    if made_at is None or case.version <= made_at:
        return False
    last = latest_event(session, case.id)
    return (
        last is not None
        and last.event == event
        and (last.payload or {}).get("actor_account") == viewer.principal.account_id
    )


@router.post("/zaken/{case_id}/acties/{event}")
def action_send(
    request: Request,
    session: SessionDep,
    ctx: ContextDep,
    viewer: CaseViewerDep,
    form: FormDep,
    case_id: CaseId,
    event: str,
) -> Response:
    """Send the action; on success back to the case, else the form with its messages."""
    check_form_csrf(viewer, form)
    case = _visible(session, case_id, viewer)
    if _sent_already(session, case, viewer, event, form.get("version", "")):
        return RedirectResponse(f"/zaken/{case.id}?gedaan={event}", status_code=303)
    if not _allowed(case, viewer, event):
        return _not_now(request, session, viewer, case, event)
    fields = _fields(event, case, form)
    payload = _payload(fields)
    if payload is None:
        return _action_page(
            request, session, viewer, case, event, fields,
            error="Het formulier is nog niet compleet; zie de meldingen bij de velden.",
            status_code=422,
        )  # fmt: skip
    version = form.get("version", "")
    try:
        send_event(
            session,
            ctx,
            viewer.principal,
            case.id,
            event,
            payload,
            expected_version=whole_number(version),
        )
    except ConflictError:
        session.rollback()
        return _action_page(
            request, session, viewer, _visible(session, case_id, viewer), event, fields,
            error=f"Niet opgeslagen: zaak {case.id} is intussen gewijzigd door iemand anders. "
            "Bekijk de zaak opnieuw en kies dan opnieuw deze actie.",
            status_code=409,
        )  # fmt: skip
    except (TransitionRefused, InvalidInput) as exc:
        session.rollback()
        message = str(exc)
        where = field_named(message, [f.name for f in fields])
        for f in fields:
            if f.name == where:
                f.error = message
        return _action_page(
            request, session, viewer, _visible(session, case_id, viewer), event, fields,
            error=f"Niet opgeslagen: {message}", status_code=409,
        )  # fmt: skip
    return RedirectResponse(f"/zaken/{case.id}?gedaan={event}", status_code=303)


CASE_TYPES = [t.value for t in CaseType]
