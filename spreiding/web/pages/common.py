"""What every HTML page shares: rendering, who is signed in, CSRF on forms, Dutch formats.

Pages are rendered with the one Jinja environment of :mod:`spreiding.core.templates` (the
``spreiding.web`` package's ``templates`` folder, autoescaped). They use the same session
cookie as the API (:data:`spreiding.web.deps.COOKIE`); every form carries the session's CSRF
token in the hidden field ``csrf_token``; a form whose second submit would do harm (a second
plan, a second account) also carries a token of its own (``formulier``,
:mod:`spreiding.accounts.form_tokens`) and changes something once only. The sign-in form,
which has no session yet, carries a token that must match the ``spreiding_csrf`` cookie
(double submit).
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from spreiding.accounts import form_tokens
from spreiding.accounts.sessions import account_for_session, check_csrf, csrf_token
from spreiding.accounts.store import principal_of
from spreiding.core import dutch
from spreiding.core.principal import Principal
from spreiding.core.synthetic import SYNTHETIC_MARK
from spreiding.core.templates import environment
from spreiding.models.accounts import Account, FormToken
from spreiding.models.figures import FIRST_YEAR, LAST_YEAR
from spreiding.models.tables import Organisation
from spreiding.web.deps import COOKIE, SessionDep, StateDep, role_kind

LOCAL = ZoneInfo("Europe/Amsterdam")
LOGIN_CSRF_COOKIE = "spreiding_csrf"
ROLE_NAMES = {
    "bzk": "BZK",
    "ministry": "ministerie",
    "mr": "secretariaat ministerraad",
    "viewer": "lezer",
    "beheer": "beheer",
}


def role_text(role: str) -> str:
    """A role in Dutch: ``ministry:FIN`` is ``ministerie FIN``."""
    kind, _, code = role.partition(":")
    name = ROLE_NAMES.get(kind, kind)
    return f"{name} {code}" if code else name


class SignInNeeded(Exception):
    """A page that needs a signed-in account was asked for without one: back to Inloggen.

    ``expired`` when the browser still sent a session cookie that no longer counts.
    """

    def __init__(self, *, expired: bool = False) -> None:
        super().__init__("sign in first")
        self.expired = expired


class PageNotFound(Exception):
    """A page or a case that does not exist for this account: the 'niet gevonden' page."""

    def __init__(
        self, what: str = "De gevraagde pagina bestaat niet of is niet voor u zichtbaar."
    ) -> None:
        super().__init__(what)
        self.what = what


class PageForbidden(Exception):
    """A page the account's role may not use (403)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def local_time(at: datetime | None) -> str:
    """A moment as policy staff read it, in Amsterdam time: ``12 mei 2026 14:03``."""
    if at is None:
        return ""
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    here = aware.astimezone(LOCAL)
    return f"{dutch.date_text(here.date())} {here:%H:%M}"


def date_text(d: date | str | None) -> str:
    """A date (or its ISO text) as ``12 mei 2026``; blank for None."""
    if d is None or d == "":
        return ""
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return dutch.date_text(d)


def fte_text(value: float | None) -> str:
    """Fte with at most one decimal: ``1.234,5`` or ``150``."""
    if value is None:
        return ""
    return dutch.number(value, 0 if float(value).is_integer() else 1)


def field_named(message: str, names: Iterable[str]) -> str | None:
    """The field of ``names`` that a service message quotes first (``'fte'``, ``fte=``), if
    any: where a refusal belongs on a form whose fields carry the service's names."""
    found = []
    for name in names:
        match = re.search(rf"'{re.escape(name)}'|\b{re.escape(name)}=", message)
        if match:
            found.append((match.start(), name))
    return min(found)[1] if found else None


def too_long(text: str, limit: int, what: str) -> str:
    """The Dutch message for ``text`` above ``limit`` characters (``what`` names it, with its
    article: ``De zoektekst``), or blank when it fits."""
    if len(text) <= limit:
        return ""
    return (
        f"{what} is te lang ({dutch.whole(len(text))} tekens); gebruik er ten hoogste "
        f"{dutch.whole(limit)}."
    )


YEAR_TYPED_LIMIT = 16
"""How much of a year that is none a page shows back in its field."""


def year_filter(text: str | None) -> tuple[int | None, str]:
    """The year asked for in a page's address: ``(None, "")`` when blank, ``(None, message)``
    when it is no year from :data:`FIRST_YEAR` to :data:`LAST_YEAR` in the digits 0-9."""
    typed = (text or "").strip()
    if not typed:
        return None, ""
    year = dutch.whole_number(typed) if len(typed) <= len(str(LAST_YEAR)) else None
    if year is not None and FIRST_YEAR <= year <= LAST_YEAR:
        return year, ""
    return None, (
        f"Dit is geen jaar: vul een jaar in van {FIRST_YEAR} tot en met {LAST_YEAR}, "
        "bijvoorbeeld 2024."
    )


def _filters() -> dict[str, Any]:
    return {
        "datum": date_text,
        "tijd": local_time,
        "fte": fte_text,
        "getal": dutch.whole,
        "verschil": dutch.signed,
        "procent": dutch.percentage,
        "procentpunt": dutch.points,
    }


def env() -> Any:
    """The pages' Jinja environment (the one factory's, with the Dutch filters)."""
    environment_ = environment("spreiding.web")
    environment_.filters.update(_filters())
    return environment_


@dataclass(frozen=True)
class Viewer:
    """Who looks at a page: the account, its principal and its session's CSRF token."""

    account: Account
    principal: Principal
    session_id: str

    @property
    def kind(self) -> str:
        """``bzk``, ``ministry``, ``mr``, ``viewer`` or ``beheer``."""
        return role_kind(self.principal)

    @property
    def ministry(self) -> str | None:
        """The ministry code of a ministry's account."""
        kind, _, code = self.principal.role.partition(":")
        return code if kind == "ministry" else None

    @property
    def role_name(self) -> str:
        """The role in Dutch: ``ministerie FIN``."""
        return role_text(self.principal.role)

    @property
    def csrf(self) -> str:
        """The CSRF token every form of this session carries."""
        return csrf_token(self.session_id)


def optional_viewer(request: Request, session: SessionDep, state: StateDep) -> Viewer | None:
    """The signed-in account of the request, or None."""
    session_id = request.cookies.get(COOKIE)
    if not session_id:
        return None
    account = account_for_session(session, state.settings.accounts, session_id, state.clock())
    if account is None:
        return None
    return Viewer(account, principal_of(account, "web"), session_id)


def required_viewer(
    request: Request, viewer: Annotated[Viewer | None, Depends(optional_viewer)]
) -> Viewer:
    """The signed-in account; without one the page sends the browser to Inloggen."""
    if viewer is None:
        raise SignInNeeded(expired=bool(request.cookies.get(COOKIE)))
    return viewer


MaybeViewer = Annotated[Viewer | None, Depends(optional_viewer)]
ViewerDep = Annotated[Viewer, Depends(required_viewer)]


def case_viewer(viewer: ViewerDep) -> Viewer:
    """A viewer that may read cases: everyone but ``beheer``."""
    if viewer.kind == "beheer":
        raise PageForbidden("De rol beheer beheert accounts en ziet geen zaken.")
    return viewer


CaseViewerDep = Annotated[Viewer, Depends(case_viewer)]


async def form_data(request: Request) -> dict[str, str]:
    """The fields of a posted form (text fields only), read before the route runs."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


FormDep = Annotated[dict[str, str], Depends(form_data)]


def check_form_csrf(viewer: Viewer, form: dict[str, str]) -> None:
    """Refuse (403) a posted form without this session's CSRF token."""
    if not check_csrf(viewer.session_id, form.get("csrf_token")):
        raise PageForbidden(
            "Het formulier is verlopen of komt niet van deze site. Laad de pagina opnieuw."
        )


NEXT_FIELD = "volgende"
"""The query parameter and hidden field of Inloggen that name the page asked for."""
NEXT_LIMIT = 2_000


def safe_next(text: str | None) -> str | None:
    """``text`` if it is a path on this site to go to after sign-in, else None.

    Only a relative path from the root is honoured: ``/zaken/5?x=1``. Refused, so that the
    sign-in form cannot send anyone elsewhere: ``//evil.example`` and ``/\\evil.example``
    (which browsers read as another host), any scheme (``https://...``, ``javascript:``),
    control characters, white space and backslashes anywhere, and very long text.
    """
    if not text or len(text) > NEXT_LIMIT or not text.startswith("/"):
        return None
    if text.startswith("//") or "\\" in text:
        return None
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return None
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        return None
    return text


FORM_TOKEN_FIELD = "formulier"
"""The hidden field with the token that lets a form change something once only."""
FORM_EXPIRED = (
    "Het formulier was langer dan 24 uur open en is niet verstuurd. Controleer de gegevens "
    "en verstuur het opnieuw."
)


def form_token_for(state: Any, form: dict[str, str] | None = None) -> str:
    """The token a (re-)rendered form carries: the one it was sent with while that is still
    good, else a fresh one."""
    sent = (form or {}).get(FORM_TOKEN_FIELD, "")
    now = state.clock()
    return sent if form_tokens.fresh(sent, now) else form_tokens.new_form_token(now)


def sent_before(session: Session, viewer: Viewer, form: dict[str, str]) -> Response | None:
    """To where this form's first submit led, if this account sent it before; else None."""
    earlier = form_tokens.used(session, viewer.account.id or 0, form.get(FORM_TOKEN_FIELD, ""))
    return RedirectResponse(earlier, status_code=303) if earlier else None


def claim_form(
    session: Session, state: Any, viewer: Viewer, form: dict[str, str]
) -> FormToken | Response:
    """Claim the form's token before its change is made; a submit that loses the race to a
    concurrent one of the same form goes where that one went."""
    token = form.get(FORM_TOKEN_FIELD, "")
    try:
        return form_tokens.claim(session, viewer.account.id or 0, token, state.clock())
    except IntegrityError:
        session.rollback()
        earlier = form_tokens.used(session, viewer.account.id or 0, token)
        return RedirectResponse(earlier or "/", status_code=303)


def new_login_token() -> str:
    """A random token for the sign-in form and its cookie."""
    return secrets.token_urlsafe(24)


def login_token_ok(request: Request, form: dict[str, str]) -> bool:
    """Whether the sign-in form's token matches its cookie."""
    cookie, field = request.cookies.get(LOGIN_CSRF_COOKIE), form.get("csrf_token")
    return bool(cookie and field) and hmac.compare_digest(cookie, field)


def demo_loaded(session: Session) -> bool:
    """Whether the synthetic demo set is in the store (its organisations are marked)."""
    query = select(Organisation.id).where(Organisation.synthetic.is_(True)).limit(1)  # type: ignore[union-attr]
    return session.exec(query).first() is not None


def render(
    request: Request,
    session: Session,
    name: str,
    viewer: Viewer | None,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render the page ``name`` with the layout's context (who, banner, navigation)."""
    html = (
        env()
        .get_template(name)
        .render(
            viewer=viewer,
            synthetic=SYNTHETIC_MARK if demo_loaded(session) else None,
            path=request.url.path,
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status_code)
    response.headers["cache-control"] = "no-store"
    return response
