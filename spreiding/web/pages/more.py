"""Regionale kansen, zbo-gesprekken, Projecties, the living specification and Beheer.

Each reads what its API route reads (:mod:`spreiding.web.api`), with the same rules of who
sees what: the zbo talks for BZK, the MR and a ministry (its own zbo's only); projections
for everyone who reads cases; Beheer (accounts) for role ``beheer`` only, which sees no cases.
The Prefect UI's address is ``PREFECT_UI_URL`` (default ``http://127.0.0.1:4200``). The
living specification is the report ``make spec`` wrote, served to every signed-in account as
it is, under a policy of its own (:func:`spec_policy`).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from datetime import date
from typing import Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import select

from spreiding.accounts.form_tokens import settle
from spreiding.accounts.passwords import generate_password
from spreiding.accounts.store import (
    add_account,
    check_role,
    disable_account,
    enable_account,
    find_account,
    list_accounts,
    normalise_email,
    reset_password,
    set_role,
)
from spreiding.core import dutch
from spreiding.core.errors import SpreidingError
from spreiding.models.accounts import Account
from spreiding.models.registry import EMAIL_LIMIT, is_email_address
from spreiding.models.tables import Ministry
from spreiding.opportunities.store import is_synthetic, list_opportunities, opportunity_json
from spreiding.web.api.projections import _describe, _folders
from spreiding.web.deps import SessionDep, StateDep
from spreiding.web.pages.common import (
    FORM_EXPIRED,
    FORM_TOKEN_FIELD,
    CaseViewerDep,
    FormDep,
    PageForbidden,
    PageNotFound,
    Viewer,
    ViewerDep,
    check_form_csrf,
    claim_form,
    form_token_for,
    render,
    sent_before,
    year_filter,
)
from spreiding.zbo.consultations import state_json, zbo_states

router = APIRouter()
SPEC_PAGE = "index.html"
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S | re.I)
PREFECT_UI = os.environ.get("PREFECT_UI_URL", "http://127.0.0.1:4200")
BIJSLUITER = "bijsluiter.html"
ECHO_LIMIT = 1_000  # the most characters of a refused field the form shows back
AccountId = Path(ge=1, le=2**31 - 1)


def role_choices(session: Any) -> list[tuple[str, str]]:
    """The roles an account may get, as (value, Dutch label): BZK, each ministry by name, the
    MR secretariat, lezer and beheer (the same set :func:`check_role` accepts)."""
    ministries = session.exec(select(Ministry).order_by(Ministry.code))
    return [
        ("bzk", "BZK (behandelaar)"),
        *((f"ministry:{m.code}", f"{m.name} ({m.code})") for m in ministries),
        ("mr", "Secretariaat ministerraad"),
        ("viewer", "Lezer"),
        ("beheer", "Beheer (accounts)"),
    ]


@router.get("/kansen")
def opportunities_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    jaar: str = "",  # any text: one that is no year gets its message at the field
) -> Response:
    """The regional opportunities, per year and region; of every year when ``jaar`` is blank
    or no year (that with the message at the field)."""
    year, wrong = year_filter(jaar)
    found = list_opportunities(session, year=year)
    rows = [opportunity_json(o) for o in found]
    return render(
        request,
        session,
        "opportunities.html.j2",
        viewer,
        title="Regionale kansen",
        rows=rows,
        synthetic_rows=is_synthetic(found),
        years=sorted({r["year"] for r in rows}),
        year=year,
        errors={"jaar": wrong} if wrong else {},
        status_code=422 if wrong else 200,
    )


@router.get("/zbo")
def zbo_page(request: Request, session: SessionDep, state: StateDep, viewer: ViewerDep) -> Response:
    """Every zbo the account may see: cycle, next talk due, the last talk."""
    if viewer.kind not in ("bzk", "mr", "ministry"):
        raise PageForbidden("De zbo-gesprekken zijn voor BZK, de ministerraad en de ministeries.")
    today = state.settings.current_date()
    rows = [state_json(s, today) for s in zbo_states(session, today)]
    rows = [r for r in rows if viewer.ministry is None or r["ministry_code"] == viewer.ministry]
    return render(
        request,
        session,
        "zbo.html.j2",
        viewer,
        title="Zbo-gesprekken",
        rows=rows,
        today=today,
        as_date=date.fromisoformat,
    )


@router.get("/projecties")
def projections_page(
    request: Request, session: SessionDep, state: StateDep, viewer: CaseViewerDep
) -> Response:
    """The projection output folders under the data folder, each with its bijsluiter."""
    root = state.settings.data_dir.resolve()
    folders = [_describe(root, f, summary=True) for f in _folders(root)] if root.is_dir() else []
    return render(
        request,
        session,
        "projections.html.j2",
        viewer,
        title="Projecties",
        folders=folders,
        bijsluiter=BIJSLUITER,
        prefect_ui=PREFECT_UI,
    )


def spec_policy(html: str) -> str:
    """The content security policy for the living specification: no script at all, and of
    inline styles only the report's own ``<style>`` blocks (by their SHA-256), so the report
    keeps its look without ``'unsafe-inline'``."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(block.encode()).digest()).decode() + "'"
        for block in _STYLE_BLOCK.findall(html)
    )
    return (
        f"default-src 'none'; script-src 'none'; style-src 'self' {hashes}; "
        "img-src 'self' data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
    )


@router.get("/specificatie")
def spec_page(
    request: Request, session: SessionDep, state: StateDep, viewer: ViewerDep
) -> Response:
    """The living specification that ``make spec`` wrote (``spec_dir/index.html``), as is,
    under its own strict policy; a Dutch page saying how to make it when it is not there."""
    path = state.settings.spec_dir / SPEC_PAGE
    if not path.is_file():
        return render(
            request, session, "message.html.j2", viewer, status_code=404,
            title="Levende specificatie nog niet gemaakt",
            text="De levende specificatie (de regels met hun voorbeelden en of ze slagen) is "
            "nog niet gemaakt. Maak haar op de server met 'make spec'; die schrijft haar in de "
            "map die SPREIDING_SPEC_DIR noemt (standaard build/spec). Laad daarna deze pagina "
            "opnieuw.",
        )  # fmt: skip
    html = path.read_text(encoding="utf-8")
    headers = {"content-security-policy": spec_policy(html), "cache-control": "no-store"}
    return HTMLResponse(html, headers=headers)


def _administrator(viewer: Viewer) -> Viewer:
    if viewer.kind != "beheer":
        raise PageForbidden("Beheer van accounts is alleen voor de rol beheer.")
    return viewer


def _accounts_page(
    request: Request,
    session: Any,
    viewer: Viewer,
    *,
    status_code: int = 200,
    form: dict[str, str] | None = None,
    **context: Any,
) -> Response:
    context.setdefault("error", "")
    context.setdefault("form_token", form_token_for(request.app.state.spreiding, form))
    context.setdefault("created", None)
    context.setdefault("errors", {})
    context.setdefault("values", {"email": "", "name": "", "role": ""})
    return render(
        request,
        session,
        "accounts.html.j2",
        viewer,
        status_code=status_code,
        title="Beheer: accounts",
        accounts=list_accounts(session),
        roles=role_choices(session),
        **context,
    )


@router.get("/beheer")
def accounts_page(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    """Every account, and a form to add one."""
    return _accounts_page(request, session, _administrator(viewer))


NAME_LIMIT = 200
"""The most characters an account's name takes (the audit trail shows it)."""


def _account_errors(session: Any, values: dict[str, str]) -> dict[str, str]:
    """A Dutch message per field of the new account that is wrong (empty when all is well)."""
    errors: dict[str, str] = {}
    email = normalise_email(values["email"])
    if not email:
        errors["email"] = "Vul het e-mailadres in."
    elif not is_email_address(email) or len(email) > EMAIL_LIMIT:
        errors["email"] = f"{values['email']!r} is geen e-mailadres (zoals naam@minbzk.nl)."
    elif find_account(session, email) is not None:
        errors["email"] = f"Er bestaat al een account met e-mailadres {email!r}."
    name = " ".join(values["name"].split())
    if not name:
        errors["name"] = "Vul de naam in."
    elif len(name) > NAME_LIMIT:
        length = dutch.whole(len(name))
        errors["name"] = f"De naam is te lang ({length} tekens); ten hoogste {NAME_LIMIT}."
    try:
        check_role(session, values["role"])
    except SpreidingError:
        given = values["role"].strip()
        kind, _, code = given.partition(":")
        errors["role"] = (
            f"Ministerie {code.strip().upper()!r} bestaat niet; kies een bestaande code."
            if kind.strip().lower() == "ministry" and code.strip()
            else "Kies een rol uit de lijst."
        )
    return errors


@router.post("/beheer")
def accounts_add(
    request: Request, session: SessionDep, state: StateDep, viewer: ViewerDep, form: FormDep
) -> Response:
    """Add an account; its made password is shown once. Every field is checked first. The
    same form sent again adds nothing and leads to the account its first submit added."""
    _administrator(viewer)
    check_form_csrf(viewer, form)
    earlier = sent_before(session, viewer, form)
    if earlier is not None:  # the same form again: the account exists, its password was shown
        return earlier
    typed = {k: form.get(k, "").strip() for k in ("email", "name", "role")}
    errors = _account_errors(session, typed)  # on what was typed, not on the part shown back
    values = {k: v[:ECHO_LIMIT] for k, v in typed.items()}
    if errors:
        return _accounts_page(
            request, session, viewer, status_code=422, values=values, errors=errors,
            error="Het account is niet aangemaakt; zie de meldingen bij de velden.", form=form,
        )  # fmt: skip
    if form_token_for(state, form) != form.get(FORM_TOKEN_FIELD):
        return _accounts_page(
            request, session, viewer, status_code=409, values=values, error=FORM_EXPIRED
        )
    claimed = claim_form(session, state, viewer, form)
    if isinstance(claimed, Response):
        return claimed
    password = generate_password()
    try:
        account = add_account(
            session, state.settings.accounts, email=values["email"], name=values["name"],
            role=values["role"], password=password,
        )  # fmt: skip
    except SpreidingError as exc:
        session.rollback()
        return _accounts_page(
            request, session, viewer, status_code=422, values=values,
            error=f"Het account is niet aangemaakt: {exc}", form=form,
        )  # fmt: skip
    settle(session, claimed, f"/beheer/accounts/{account.id}?gedaan=aangemaakt")
    session.commit()
    return _accounts_page(
        request, session, viewer, status_code=201, created=(account.email, password)
    )


def _account(session: Any, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise PageNotFound("Dit account bestaat niet.")
    return account


def _account_page(
    request: Request,
    session: Any,
    viewer: Viewer,
    account: Account,
    *,
    status_code: int = 200,
    **context: Any,
) -> Response:
    """One account with its forms: role, new password, blocking or unblocking."""
    context.setdefault("errors", {})
    context.setdefault("done", request.query_params.get("gedaan", ""))
    context.setdefault("password", None)
    return render(
        request,
        session,
        "account.html.j2",
        viewer,
        status_code=status_code,
        title=f"Beheer: account {account.email}",
        account=account,
        own=account.id == viewer.account.id,
        roles=role_choices(session),
        role_name=dict(role_choices(session)).get(account.role, account.role),
        **context,
    )


def _account_action(
    viewer: Viewer, form: dict[str, str], session: Any, account_id: int
) -> tuple[Viewer, Account]:
    """The checks every account form passes first: role beheer, CSRF, an existing account."""
    _administrator(viewer)
    check_form_csrf(viewer, form)
    return viewer, _account(session, account_id)


def _refused(
    request: Request, session: Any, viewer: Viewer, account_id: int, field: str, text: str
) -> Response:
    session.rollback()
    account = _account(session, account_id)
    return _account_page(request, session, viewer, account, status_code=422, errors={field: text})


def _done(account: Account, what: str) -> Response:
    return RedirectResponse(f"/beheer/accounts/{account.id}?gedaan={what}", status_code=303)


@router.get("/beheer/accounts/{account_id}")
def account_page(
    request: Request, session: SessionDep, viewer: ViewerDep, account_id: int = AccountId
) -> Response:
    """One account: change its role, give it a new password, block or unblock it."""
    _administrator(viewer)
    return _account_page(request, session, viewer, _account(session, account_id))


@router.post("/beheer/accounts/{account_id}/rol")
def account_role(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    form: FormDep,
    account_id: int = AccountId,
) -> Response:
    """Give the account the role chosen from the list (through :func:`set_role`)."""
    viewer, account = _account_action(viewer, form, session, account_id)
    role = form.get("role", "")[:64]
    try:
        check_role(session, role)
    except SpreidingError:
        return _refused(request, session, viewer, account_id, "role", "Kies een rol uit de lijst.")
    try:
        set_role(session, account.email, role, by=viewer.principal)
    except SpreidingError as exc:
        return _refused(request, session, viewer, account_id, "role", str(exc))
    return _done(account, "rol")


@router.post("/beheer/accounts/{account_id}/wachtwoord")
def account_password(
    request: Request,
    session: SessionDep,
    state: StateDep,
    viewer: ViewerDep,
    form: FormDep,
    account_id: int = AccountId,
) -> Response:
    """Give the account a new made password, shown once; its sessions end."""
    viewer, account = _account_action(viewer, form, session, account_id)
    password = generate_password()
    try:
        reset_password(
            session, state.settings.accounts, account.email, password, by=viewer.principal
        )
    except SpreidingError as exc:
        return _refused(request, session, viewer, account_id, "password", str(exc))
    session.commit()
    return _account_page(request, session, viewer, account, password=password)


CONFIRM_FIELD = "bevestig"


@router.post("/beheer/accounts/{account_id}/blokkeren")
def account_disable(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    form: FormDep,
    account_id: int = AccountId,
) -> Response:
    """Block the account once the box confirming it is ticked: its sessions and API tokens
    stop working at once (through :func:`disable_account`)."""
    viewer, account = _account_action(viewer, form, session, account_id)
    if form.get(CONFIRM_FIELD) != "ja":
        return _refused(
            request, session, viewer, account_id, CONFIRM_FIELD,
            "Vink aan dat u dit account wilt blokkeren.",
        )  # fmt: skip
    try:
        disable_account(session, account.email, by=viewer.principal)
    except SpreidingError as exc:
        return _refused(request, session, viewer, account_id, CONFIRM_FIELD, str(exc))
    return _done(account, "geblokkeerd")


@router.post("/beheer/accounts/{account_id}/deblokkeren")
def account_enable(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    form: FormDep,
    account_id: int = AccountId,
) -> Response:
    """Let a blocked account sign in again (through :func:`enable_account`)."""
    viewer, account = _account_action(viewer, form, session, account_id)
    try:
        enable_account(session, account.email, by=viewer.principal)
    except SpreidingError as exc:
        return _refused(request, session, viewer, account_id, "enable", str(exc))
    return _done(account, "gedeblokkeerd")
