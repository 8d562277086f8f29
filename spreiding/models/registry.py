"""Ministries and organisations: adding, listing and finding them by code or name.

The checks a user can trip over (unknown ministry, unknown sector, a code or name in use)
live here, each raising a domain error that names the bad value.
"""

from __future__ import annotations

import re

from sqlalchemy import func, or_
from sqlmodel import Session, select

from spreiding.core.errors import InvalidInput, NotFound
from spreiding.geography.reference import _key
from spreiding.models.tables import Ministry, Organisation, Sector

_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
# The widths of the code columns (tables.py): SQLite would not enforce them, PostgreSQL would.
_MAX_CODE = {"ministry": 16, "organisation": 32}
_KIND = {"ministry": "ministerie", "organisation": "organisatie"}  # as a message names it


EMAIL_LIMIT = 254
"""The most characters of an e-mail address (RFC 5321's path limit less its brackets)."""


def is_email_address(text: str) -> bool:
    """Whether ``text`` is one plain e-mail address (no list, no display name)."""
    local, at, domain = text.strip().partition("@")
    plain = not any(c in text.strip() for c in " ,;<>\r\n\t")
    return bool(plain and at and local and "." in domain and "@" not in domain)


def check_email_address(text: str | None, what: str) -> str | None:
    """``text`` stripped, or None; refuse anything but one plain e-mail address."""
    if text is None or not text.strip():
        return None
    if not is_email_address(text):
        raise InvalidInput(
            f"{what} {text!r} is geen geldig e-mailadres; geef één adres, zoals naam@minbzk.nl"
        )
    return text.strip()


def _check_code(kind: str, code: str) -> str:
    code = code.strip().upper()
    longest = _MAX_CODE[kind]
    if not _CODE.match(code) or len(code) > longest:
        raise InvalidInput(
            f"de code {code!r} van een {_KIND[kind]} begint met een letter en heeft hoogstens "
            f"{longest} letters, cijfers, '-' of '_'"
        )
    return code


def _check_name(kind: str, name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput(f"de naam van een {_KIND[kind]} is leeg; geef een naam")
    return name


def get_ministry(session: Session, code: str) -> Ministry:
    """The ministry with this code (case-insensitive); unknown raises :class:`NotFound`."""
    found = session.get(Ministry, code.strip().upper())
    if found is None:
        known = ", ".join(session.exec(select(Ministry.code).order_by(Ministry.code))) or "geen"
        raise NotFound(f"ministerie {code!r} bestaat niet (bekend: {known})")
    return found


def add_ministry(
    session: Session, *, code: str, name: str, contact_email: str | None = None
) -> Ministry:
    """Add a ministry; a code or name already in use is refused."""
    code, name = _check_code("ministry", code), _check_name("ministry", name)
    if session.get(Ministry, code) is not None:
        raise InvalidInput(f"ministerie {code!r} bestaat al")
    # The same name with other capitals or accents ("ministerie van financien") is the same.
    same = [other for other in session.exec(select(Ministry.name)) if _key(other) == _key(name)]
    if same:
        raise InvalidInput(f"een ministerie met de naam {same[0]!r} bestaat al")
    contact_email = check_email_address(contact_email, "contactadres")
    ministry = Ministry(code=code, name=name, contact_email=contact_email)
    session.add(ministry)
    session.flush()
    return ministry


def find_organisation(session: Session, text: str) -> Organisation | None:
    """The organisation with this code or name (both case-insensitive), or None."""
    wanted = text.strip()
    query = select(Organisation).where(
        or_(
            func.upper(Organisation.code) == wanted.upper(),
            func.lower(Organisation.name) == wanted.lower(),
        )
    )
    return session.exec(query).first()


def get_organisation(session: Session, text: str) -> Organisation:
    """Like :func:`find_organisation`, but an unknown one raises :class:`NotFound`."""
    found = find_organisation(session, text)
    if found is None:
        raise NotFound(
            f"organisatie {text.strip()!r} is onbekend; geef haar code of volledige naam"
        )
    return found


def add_organisation(
    session: Session, *, code: str, name: str, ministry_code: str, sector: str, is_zbo: bool
) -> Organisation:
    """Add an organisation; unknown ministry or sector and duplicates are refused."""
    code, name = _check_code("organisation", code), _check_name("organisation", name)
    ministry = get_ministry(session, ministry_code)
    sector = sector.strip().lower()
    if sector not in set(Sector):
        raise InvalidInput(
            f"sector {sector!r} bestaat niet; kies uit: {', '.join(s.value for s in Sector)}"
        )
    if find_organisation(session, code) or find_organisation(session, name):
        raise InvalidInput(
            f"er bestaat al een organisatie met de code {code!r} of de naam {name!r}"
        )
    org = Organisation(
        code=code, name=name, ministry_code=ministry.code, sector=sector, is_zbo=is_zbo
    )
    session.add(org)
    session.flush()
    return org


def organisation_json(org: Organisation) -> dict:
    """The stable JSON form of an organisation (schema in the README)."""
    return {
        "code": org.code,
        "name": org.name,
        "ministry_code": org.ministry_code,
        "sector": org.sector,
        "is_zbo": org.is_zbo,
        "synthetic": org.synthetic,
    }


def list_organisations(session: Session, *, ministry: str | None = None) -> list[dict]:
    """Every organisation (or one ministry's) as JSON objects, by code."""
    query = select(Organisation).order_by(Organisation.code)
    if ministry is not None:
        query = query.where(Organisation.ministry_code == get_ministry(session, ministry).code)
    return [organisation_json(org) for org in session.exec(query)]
