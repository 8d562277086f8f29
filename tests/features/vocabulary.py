"""The Dutch words of the feature files and what they mean to the system.

Pure translations, no database: dates ("maandag 20 april 2026"), plans ("groei met 150 fte
in Zwolle"), state and event labels (from the StateChart itself, never copied), the three
considerations, provinces, and the reasons a refusal gives. A phrase that is not known
raises ``ValueError`` listing the phrases that are, so a typo in a feature file fails with
a message a policy owner can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from spreiding.core.dutch import MONTHS as MONTHS_NL
from spreiding.geography.reference import gazetteer
from spreiding.statemachine.chart import EVENT_LABELS, STATE_LABELS

MONTHS = MONTHS_NL  # the month names the mails use, so the two cannot differ
DAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_DATE = re.compile(
    r"(?:(?P<weekday>[a-z]+dag) )?(?P<day>\d{1,2}) (?P<month>[a-z]+) (?P<year>\d{4})"
)


def parse_date(text: str) -> date:
    """``"maandag 20 april 2026"`` (weekday optional, but checked when given) as a date."""
    match = _DATE.fullmatch(text.strip())
    if match is None or match["month"] not in MONTHS:
        raise ValueError(f"expected a date like 'maandag 20 april 2026', got {text!r}")
    day = date(int(match["year"]), MONTHS.index(match["month"]) + 1, int(match["day"]))
    if match["weekday"] and match["weekday"] != DAYS[day.weekday()]:
        raise ValueError(f"{text!r}: {day.isoformat()} is a {DAYS[day.weekday()]}")
    return day


def dutch_date(day: date) -> str:
    """A date as the feature files write it: ``"woensdag 6 mei 2026"``."""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year}"


# -- lifecycle labels ----------------------------------------------------------------------


def _by_label(labels: dict[str, str], kind: str, text: str) -> str:
    wanted = text.strip()
    for ident, label in labels.items():
        if label == wanted:
            return ident
    known = ", ".join(labels.values())
    raise ValueError(f"{wanted!r} is not a {kind} of the lifecycle; known: {known}")


def state_id(label: str) -> str:
    """The state id of a Dutch state label (``"Gezamenlijk overleg"`` -> ``consultation``)."""
    return _by_label(STATE_LABELS, "state", label)


def event_id(label: str) -> str:
    """The event id of a Dutch event label (``"Opschorten"`` -> ``suspend``)."""
    return _by_label(EVENT_LABELS, "event", label)


# -- plans ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Plan:
    """What an organisation registers: the kind of case, its size and where."""

    case_type: str
    fte: float
    location: str | None
    target: str | None = None


_PLANS: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(r"(?P<type>groei|krimp) met (?P<fte>\d+) fte in (?P<location>.+)"), None),
    (
        re.compile(r"groei met (?P<fte>\d+) fte van (?P<location>.+) naar (?P<target>.+)"),
        "groei",
    ),
    (re.compile(r"een nieuwe (?:dienst|eenheid) van (?P<fte>\d+) fte zonder locatie"), "nieuw"),
    (
        re.compile(r"een nieuwe (?:dienst|eenheid) van (?P<fte>\d+) fte in (?P<location>.+)"),
        "nieuw",
    ),
    (
        re.compile(r"hervestiging van (?P<fte>\d+) fte van (?P<location>.+) naar (?P<target>.+)"),
        "hervestiging",
    ),
    (re.compile(r"een nieuw masterplan kantoorhuisvesting in (?P<location>.+)"), "masterplan"),
    (re.compile(r"een Verzoek tot Wijziging op het masterplan in (?P<location>.+)"), "vtw"),
)
PLAN_FORMS = (
    "groei met 150 fte in Zwolle",
    "krimp met 150 fte in Den Haag",
    "groei met 150 fte van Den Haag naar Groningen",
    "een nieuwe dienst van 200 fte in Assen",
    "een nieuwe dienst van 200 fte zonder locatie",
    "hervestiging van 150 fte van Den Haag naar Emmen",
    "een nieuw masterplan kantoorhuisvesting in Zwolle",
    "een Verzoek tot Wijziging op het masterplan in Zwolle",
)


def parse_plan(text: str) -> Plan:
    """A plan in words (see :data:`PLAN_FORMS`) as case type, fte and places."""
    for pattern, case_type in _PLANS:
        match = pattern.fullmatch(text.strip())
        if match is None:
            continue
        found = match.groupdict()
        return Plan(
            case_type=case_type or found["type"],
            fte=float(found.get("fte") or 0),
            location=found.get("location"),
            target=found.get("target"),
        )
    raise ValueError(f"unknown plan {text!r}; write it like one of: {'; '.join(PLAN_FORMS)}")


def organisation_name(text: str) -> str:
    """``"de Belastingdienst"`` -> ``"Belastingdienst"``: the name (or code) the registry knows."""
    return re.sub(r"^(?:de|het) ", "", text.strip())


def province_codes(text: str) -> list[str]:
    """``"Noord-Holland, Zuid-Holland en Utrecht"`` as CBS province codes."""
    names = [part for part in re.split(r",\s*|\s+en\s+", text.strip()) if part]
    return [gazetteer().province(name).code for name in names]


def municipality_code(name: str) -> str:
    """The CBS code of a municipality named in a feature (``"Groningen"`` -> ``GM0014``)."""
    return gazetteer().municipality(name).code


# -- considerations and answers ------------------------------------------------------------

CONSIDERATIONS = {
    "primair proces": "primary_process",
    "wettelijke vestigingsplaats": "legal_location",
    "huisvestingskosten": "housing_cost",
}
"""The three considerations of the decision memo (a, b, c) by their short Dutch names."""


def consideration_key(name: str) -> str:
    """The payload key of a consideration named in Dutch."""
    try:
        return CONSIDERATIONS[name.strip()]
    except KeyError:
        raise ValueError(
            f"unknown consideration {name!r}; known: {', '.join(CONSIDERATIONS)}"
        ) from None


def yes_no(text: str) -> bool:
    """``ja`` or ``nee``."""
    answer = text.strip().lower()
    if answer not in ("ja", "nee"):
        raise ValueError(f"expected ja or nee, got {text!r}")
    return answer == "ja"


FOLLOWS_ADVICE = {"conform het advies": True, "afwijkend van het advies": False}


def follows_advice(text: str) -> bool:
    """``conform het advies`` or ``afwijkend van het advies``."""
    try:
        return FOLLOWS_ADVICE[text.strip()]
    except KeyError:
        raise ValueError(f"expected one of {', '.join(FOLLOWS_ADVICE)}, got {text!r}") from None


REASONS = {
    "de zaak niet binnen de reikwijdte valt": "kan alleen als de zaak binnen de reikwijdte valt",
    "de zaak onder de drempel moet liggen": "kan alleen als de zaak onder de drempel blijft",
    "een ministerie alleen handelt in zaken van het eigen ministerie": (
        "handelt alleen in zaken van het eigen ministerie"
    ),
    "een ministerie alleen plannen van het eigen ministerie aanmeldt": (
        "meldt BZK (bzk) of het ministerie zelf (ministry:"
    ),
    "de zaak is afgesloten": "de zaak is afgesloten",
    "eerst het advies heroverwogen moet worden": "kiest u eerst Advies heroverwegen (reconsider)",
    "eerst het ministerie een tegenvoorstel moet doen": "als het ministerie een tegenvoorstel",
    "BZK de keuze van het departement niet invult": "BZK geeft de keuze van het departement niet",
    "een afwijking van het advies gemotiveerd moet worden": (
        "een afwijking vraagt om 'motivation'"
    ),
    "elk signaal gemotiveerd moet worden": "en het advies motiveert dat niet",
    "een groot verschil met het plan gemotiveerd moet worden": "fte in het plan; geef 'motivation'",
    "follows_advice berekend wordt": "volgt uit de geadviseerde en de besloten locatie",
}
"""Each reason a feature gives for a refusal, and what the system's message says then."""


def reason_text(reason: str) -> str:
    """The part of the system's refusal message that a Dutch reason stands for."""
    try:
        return REASONS[reason.strip()]
    except KeyError:
        raise ValueError(f"unknown reason {reason!r}; known: {'; '.join(REASONS)}") from None
