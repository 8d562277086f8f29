"""The declarative rules of a location case: who may send which event, with what data.

Three kinds of rule live here, all pure functions over plain values:

* **event rules** (:data:`EVENT_RULES`): for each lifecycle event the roles that may send it
  and the payload fields it needs. :func:`check_role` and :func:`check_payload` raise
  :class:`~spreiding.core.errors.TransitionRefused` with a one-line message naming what is missing.
* **rule sets** (:class:`RuleSet`): the versioned scope rule of the decision memo (a case is
  in scope from 100 fte; a masterplan or VtW always is), because the guideline ("leidraad")
  is adjusted from concrete cases and a case must keep the version it was judged by.
* **principle flags** (:func:`principle_flags`): guiding principles 3 and 4, which do not
  forbid a location but oblige the ministry to motivate it.

This module imports nothing of the lifecycle: the chart imports it (for its validator), and
what needs both the chart and these rules (:func:`~spreiding.statemachine.chart.allowed_events`)
lives in the chart. The one exception is the Dutch labels of steps and states, which its
messages name (:func:`step`): they are read from the chart when a message is written.

Messages are Dutch, for the policy officer who reads them on a page, in the API's problem
``detail`` or on the command line alike: the step by its label with its id, the field to fix
by its id in quotes (``'location'``: the pages put the message next to that field).

Enforcement: the :class:`~spreiding.statemachine.chart.CaseLifecycle` calls
:func:`check_role` and :func:`check_payload` itself, as a validator on every transition, so
any event sent through the machine is checked; a service layer cannot forget to. The
service may call them earlier too (for a quick answer), which is harmless: they are pure.

Roles are strings: ``"bzk"``, ``"ministry:<CODE>"`` (acts only on its own ministry's
cases), ``"mr"`` (the council of ministers) and ``"viewer"`` (reads, never sends).
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Literal

from spreiding.core import dutch
from spreiding.core.errors import InvalidInput, TransitionRefused
from spreiding.geography.reference import gazetteer

# -- roles --------------------------------------------------------------------------------

ROLE_KINDS = ("bzk", "ministry", "mr", "viewer")
ROLE_LABELS = {"bzk": "BZK", "ministry": "ministerie", "mr": "ministerraad", "viewer": "lezer"}


def _chart_labels() -> tuple[Mapping[str, str], Mapping[str, str]]:
    # Late: the chart imports this module, and the labels are the chart's own names.
    from spreiding.statemachine.chart import EVENT_LABELS, STATE_LABELS

    return EVENT_LABELS, STATE_LABELS


def step(event: str) -> str:
    """A step as a message names it: ``Stap 'Advies uitbrengen' (issue_advice)``."""
    label = _chart_labels()[0].get(event)
    return f"Stap '{label}' ({event})" if label else f"Stap {event!r}"


def steps(events: Collection[str]) -> str:
    """Steps as a message lists them: ``Advies uitbrengen (issue_advice), Intrekken (withdraw)``."""
    labels = _chart_labels()[0]
    return ", ".join(f"{labels.get(e, e)} ({e})" for e in events) or "geen"


def state_label(state: str | None) -> str:
    """A state as a message names it, by its Dutch label in quotes: ``'Intake'``."""
    return f"'{_chart_labels()[1].get(state or '', state)}'"


def role_label(role: str | None) -> str:
    """A role as a message names it: ``BZK (bzk)``, ``ministerie VWS (ministry:VWS)``."""
    kind, _colon, code = (role or "").partition(":")
    name = ROLE_LABELS.get(kind.strip().lower())
    if name is None:
        return repr(role)
    shown = f"{name} {code.strip().upper()}" if code.strip() else name
    return f"{shown} ({role})"


def place(code: object) -> str:
    """A municipality as a message names it: ``Groningen (GM0014)``; other values quoted."""
    found = gazetteer().municipalities.get(code) if isinstance(code, str) else None
    return f"{found.name} ({code})" if found else "geen" if code is None else repr(code)


def fte_text(value: float) -> str:
    """A number of fte as a message writes it: ``1.234`` or ``12,5``."""
    if float(value).is_integer():
        return dutch.number(value)
    return dutch.number(value, 2).rstrip("0")


def parse_role(role: str | None) -> tuple[str, str | None]:
    """Split a role string into (kind, ministry code); raise TransitionRefused if malformed.

    Case and spaces do not matter: ``MINISTRY: fin`` is ``ministry:FIN``.
    """
    kind, colon, code = (role or "").partition(":")
    kind, code = kind.strip().lower(), code.strip().upper()
    # A code as the registry accepts it: ``ministry:FIN:extra`` names no ministry.
    if kind == "ministry" and re.fullmatch(r"[A-Z][A-Z0-9_-]{0,15}", code):
        return kind, code
    if kind in ("bzk", "mr", "viewer") and not colon:
        return kind, None
    given = f"Onbekende rol {role!r}" if (role or "").strip() else "Geen rol opgegeven"
    raise TransitionRefused(
        f"{given}; kies uit: bzk, mr, viewer of ministry:<CODE> (bijvoorbeeld ministry:VWS)"
    )


def canonical_role(role: str | None) -> str:
    """The role as it is stored and compared: ``bzk``, ``mr``, ``viewer`` or ``ministry:CODE``."""
    kind, code = parse_role(role)
    return f"{kind}:{code}" if code else kind


# -- payload fields -----------------------------------------------------------------------

FieldKind = Literal["text", "yes_no", "positive_number", "considerations", "justifications"]

CONSIDERATIONS = ("primary_process", "legal_location", "housing_cost")
"""The three considerations BZK weighs in every advice (decision memo, a-c):
primary process / complex process / fluctuating case load; a law that fixes the location;
high housing costs or a disinvestment at the current site."""
CONSIDERATION_LABELS: dict[str, str] = {
    "primary_process": "Primair of complex proces, of fluctuerende werklast",
    "legal_location": "Locatie bij wet vastgelegd",
    "housing_cost": "Hoge huisvestingskosten of desinvestering op de huidige locatie",
}
"""Each consideration by its Dutch name, as pages and messages show it."""

_YES = frozenset({"ja", "j", "yes", "y", "true", "waar", "1"})
_NO = frozenset({"nee", "n", "no", "false", "onwaar", "0"})


def parse_yes_no(value: object) -> bool:
    """Read a yes/no answer: a bool, or "ja"/"nee", "yes"/"no", "true"/"false", "1"/"0"."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _YES | _NO:
        return value.strip().lower() in _YES
    raise InvalidInput(f"geef ja of nee, niet {value!r}")


def _parse_text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"vul een tekst in, niet {value!r}")
    return value.strip()


TITLE_LIMIT = 500
"""The most characters of a plan's title, on every form and in the API."""
PERIOD_LIMIT = 200
"""The most characters of an intention's period ("tweede helft 2027"), on every form and in
the API."""


def check_length(text: str | None, limit: int, field: str) -> None:
    """Refuse ``text`` above ``limit`` characters, naming the field as the API does."""
    if text is not None and len(text) > limit:
        raise InvalidInput(
            f"{field} is te lang ({dutch.whole(len(text))} tekens); "
            f"gebruik er ten hoogste {dutch.whole(limit)}"
        )


MAX_PLAN_FTE = 100_000  # more than any plan: rijkswerkgelegenheid is about 336,000 fte in all
"""The most fte one plan, decision or location may hold (the registration's bound too).

Not the same rule as :data:`spreiding.inventory.files.MAX_DELIVERED_FTE`, though the number
is: that one bounds what one organisation employs in one municipality on a peildatum (a
stock, delivered by a ministry), this one what a plan changes (a flow), and a masterplan's
change spans several organisations. Either may move without the other."""


def _parse_positive_number(value: object) -> int | float:
    number: object = value
    if isinstance(value, str):
        # As the pages read it: "12,5", "1.234,5"; "1.234" (1234 or 1,234?) is refused.
        try:
            number = dutch.read_number(value)
        except dutch.NotANumber as exc:
            raise InvalidInput(str(exc).rstrip(".")) from None
    # bool is an int subclass; True is no fte count.
    if isinstance(number, bool) or not isinstance(number, int | float):
        raise InvalidInput(f"geef een getal groter dan 0, niet {value!r}")
    if not math.isfinite(number) or number <= 0:
        raise InvalidInput(f"geef een getal groter dan 0, niet {value!r}")
    if number > MAX_PLAN_FTE:
        raise InvalidInput(f"geef ten hoogste {dutch.whole(MAX_PLAN_FTE)} fte, niet {value!r}")
    return int(number) if float(number).is_integer() else number


def _parse_consideration(value: object) -> dict[str, object]:
    if not isinstance(value, Mapping):
        return {"applies": parse_yes_no(value), "note": None}
    unknown = set(value) - {"applies", "note"}
    if unknown or "applies" not in value:
        raise InvalidInput(
            f"geef ja of nee, of {{applies: ja/nee, note: toelichting}}, niet {value!r}"
        )
    note = value.get("note")
    if note is not None and not isinstance(note, str):
        raise InvalidInput(f"een toelichting is een tekst, niet {note!r}")
    return {"applies": parse_yes_no(value["applies"]), "note": (note or "").strip() or None}


def considerations_text(keys: Collection[str]) -> str:
    """Considerations as a message lists them: ``Locatie bij wet vastgelegd (legal_location)``."""
    return "; ".join(f"{CONSIDERATION_LABELS[k]} ({k})" for k in keys)


def _parse_considerations(value: object) -> dict[str, dict[str, object]]:
    if not isinstance(value, Mapping):
        raise InvalidInput(
            f"geef elk van de drie afwegingen met ja of nee: {considerations_text(CONSIDERATIONS)}"
        )
    missing = [key for key in CONSIDERATIONS if key not in value]
    if missing:
        raise InvalidInput(
            f"weeg alle drie de afwegingen; ontbreekt: {considerations_text(missing)}"
        )
    unknown = sorted(set(value) - set(CONSIDERATIONS))
    if unknown:
        raise InvalidInput(
            f"onbekende afweging {', '.join(map(repr, unknown))}; "
            f"kies uit: {', '.join(CONSIDERATIONS)}"
        )
    return {key: _parse_consideration(value[key]) for key in CONSIDERATIONS}


FLAG_IDS = ("krimp_buiten_randstad", "groei_in_randstad")
"""The ids of the principle flags, as ``--set justify.<flag>=TEXT`` names them."""


def _parse_justifications(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise InvalidInput(
            f"geef per aandachtspunt ({', '.join(FLAG_IDS)}) de motivering als tekst"
        )
    unknown = sorted(set(value) - set(FLAG_IDS))
    if unknown:
        raise InvalidInput(
            f"onbekend aandachtspunt {', '.join(map(repr, unknown))}; "
            f"kies uit: {', '.join(FLAG_IDS)}"
        )
    return {key: _parse_text(value[key]) for key in FLAG_IDS if key in value}


_PARSERS: dict[FieldKind, Callable[[object], object]] = {
    "text": _parse_text,
    "yes_no": parse_yes_no,
    "positive_number": _parse_positive_number,
    "considerations": _parse_considerations,
    "justifications": _parse_justifications,
}


@dataclass(frozen=True)
class FieldRule:
    """One payload field of an event: its name, its kind and what it means in plain words."""

    name: str
    kind: FieldKind
    means: str
    required: bool = True


@dataclass(frozen=True)
class EventRule:
    """Who may send an event (role kinds) and which payload fields it needs."""

    roles: frozenset[str]
    fields: tuple[FieldRule, ...] = ()


_LOCATION = FieldRule("location", "text", "de gemeente van de locatie")
_REASON = FieldRule("reason", "text", "waarom, in gewone woorden")
_FOLLOWS = FieldRule("follows_advice", "yes_no", "of het besluit het BZK-advies volgt")
_NOTE = FieldRule("note", "text", "een opmerking (niet verplicht)", required=False)
_BZK = frozenset({"bzk"})
_MINISTRY = frozenset({"ministry"})
_BOTH = frozenset({"ministry", "bzk"})

EVENT_RULES_V1: dict[str, EventRule] = {
    "start_screening": EventRule(_BZK),
    "declare_out_of_scope": EventRule(_BZK),
    "open_consultation": EventRule(_BZK),
    "issue_advice": EventRule(
        _BZK,
        (
            _LOCATION,
            FieldRule("rationale", "text", "de motivering van BZK"),
            FieldRule(
                "considerations",
                "considerations",
                "primary_process, legal_location, housing_cost: elk ja of nee, met een toelichting "
                "naar keuze",
            ),
        ),
    ),
    "reconsider": EventRule(_BOTH),
    "agree": EventRule(_MINISTRY, (_LOCATION,)),
    "escalate_to_mr": EventRule(
        _BOTH, (_LOCATION, FieldRule("motivation", "text", "waarom de ministerraad moet besluiten"))
    ),
    "decide": EventRule(
        _MINISTRY,
        (_LOCATION, FieldRule("fte", "positive_number", "het aantal fte op de locatie"), _FOLLOWS),
    ),
    "record_mr_decision": EventRule(frozenset({"mr"}), (_LOCATION, _FOLLOWS)),
    "withdraw": EventRule(_BOTH, (_REASON,)),
    "suspend": EventRule(_BZK, (_REASON,)),
    "resume": EventRule(_BZK, (_REASON,)),
}
"""Every event of lifecycle version 1 (cases started before version 2), as it was."""


_MOTIVATION = FieldRule("motivation", "text", "waarom, in gewone woorden")
_OPTIONAL_MOTIVATION = FieldRule(
    "motivation",
    "text",
    "waarom: nodig bij een afwijking of een aandachtspunt dat het advies niet motiveert",
    required=False,
)
_CONSIDERATIONS = FieldRule(
    "considerations",
    "considerations",
    "primary_process, legal_location, housing_cost: elk ja of nee, met een toelichting naar keuze",
)

EVENT_RULES: dict[str, EventRule] = {
    "submit_plan": EventRule(
        _MINISTRY,
        (
            FieldRule("fte", "positive_number", "de geplande verandering in fte", required=False),
            FieldRule("location", "text", "de gemeente van de locatie", required=False),
            FieldRule("target", "text", "de beoogde gemeente", required=False),
        ),
    ),
    "start_screening": EventRule(_BZK),
    "declare_out_of_scope": EventRule(_BZK),
    "open_consultation": EventRule(_BZK),
    "issue_advice": EventRule(
        _BZK,
        (
            _LOCATION,
            FieldRule("rationale", "text", "de motivering van BZK"),
            _CONSIDERATIONS,
            FieldRule(
                "justifications",
                "justifications",
                "per aandachtspunt (justify.krimp_buiten_randstad, justify.groei_in_randstad): "
                "waarom de afwegingen het rechtvaardigen",
                required=False,
            ),
        ),
    ),
    "accept_advice": EventRule(_MINISTRY),
    "propose_alternative": EventRule(_MINISTRY, (_LOCATION, _MOTIVATION)),
    "consent": EventRule(_BZK),
    "reconsider": EventRule(_BOTH),
    "escalate_to_mr": EventRule(
        _BOTH,
        (
            FieldRule(
                "location",
                "text",
                "de eigen locatie van het departement (het ministerie, na het BZK-advies)",
                required=False,
            ),
            FieldRule("motivation", "text", "waarom de ministerraad moet besluiten"),
        ),
    ),
    "decide": EventRule(
        _MINISTRY,
        (
            FieldRule("location", "text", "de overeengekomen gemeente", required=False),
            FieldRule("fte", "positive_number", "het aantal fte op de locatie"),
            _OPTIONAL_MOTIVATION,
        ),
    ),
    "record_mr_decision": EventRule(
        frozenset({"mr"}),
        (
            _LOCATION,
            FieldRule("fte", "positive_number", "het aantal fte op de locatie", required=False),
            _OPTIONAL_MOTIVATION,
        ),
    ),
    "withdraw": EventRule(_BOTH, (_REASON,)),
    "suspend": EventRule(_BZK, (_REASON,)),
    "resume": EventRule(_BZK, (_REASON,)),
}
"""Every event of the current lifecycle (version 2); a free-text ``note`` is accepted on each
of them as well."""

RULES_BY_VERSION: dict[int, dict[str, EventRule]] = {1: EVENT_RULES_V1, 2: EVENT_RULES}
"""The event rules of each lifecycle version."""
COMPUTED_FIELDS = ("follows_advice", "deviates_from_advice")
"""Fields version 2 computes from the places; a typed value is refused."""


def _rule(event: str, version: int = 2) -> EventRule:
    table = RULES_BY_VERSION.get(version, EVENT_RULES)
    try:
        return table[event]
    except KeyError:
        raise TransitionRefused(f"Onbekende stap {event!r}; kies uit: {steps(table)}") from None


def role_refusal(
    event: str,
    role: str | None,
    ministry_code: str | None,
    *,
    source: str | None = None,
    version: int = 2,
) -> str | None:
    """Why ``role`` may not send ``event`` on a case of ``ministry_code``; None if it may.

    ``source`` is the state the case is in: on version 2 BZK may take a case to the MR only
    from a counter-proposal (what the two "samen niet uitkomen").
    """
    rule = _rule(event, version)
    kind, code = parse_role(role)
    if kind == "viewer":
        return f"{step(event)} is niet toegestaan: de rol {role_label(kind)} mag alleen lezen."
    if kind not in rule.roles:
        allowed = " of ".join(role_label(r) for r in sorted(rule.roles))
        return (
            f"{step(event)} is voorbehouden aan de rol {allowed}; de rol "
            f"{role_label(canonical_role(role))} mag dit niet."
        )
    if kind == "ministry" and code != (ministry_code or "").upper():
        return (
            f"{step(event)} is niet toegestaan: de rol {role_label(f'{kind}:{code}')} handelt "
            f"alleen in zaken van het eigen ministerie; deze zaak hoort bij "
            f"{ministry_code or 'geen ministerie'}."
        )
    if version >= 2 and event == "escalate_to_mr" and kind == "bzk" and source == "advice_issued":
        return (
            f"{step(event)}: BZK legt een zaak alleen aan de ministerraad voor als het "
            f"ministerie een tegenvoorstel heeft gedaan (toestand "
            f"{state_label('counter_proposal')}); hier antwoordt eerst het ministerie op het "
            f"advies ({steps(('accept_advice', 'propose_alternative', 'escalate_to_mr'))})."
        )
    return None


def check_role(
    event: str,
    role: str | None,
    ministry_code: str | None,
    *,
    source: str | None = None,
    version: int = 2,
) -> None:
    """Raise TransitionRefused unless ``role`` may send ``event`` on this ministry's case."""
    reason = role_refusal(event, role, ministry_code, source=source, version=version)
    if reason is not None:
        raise TransitionRefused(reason)


def _field_value(event: str, rule: FieldRule, payload: Mapping[str, object]) -> object:
    raw = payload.get(rule.name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if rule.required:
            raise TransitionRefused(f"{step(event)} vraagt om {rule.name!r}: {rule.means}.")
        return None
    try:
        return _PARSERS[rule.kind](raw)
    except InvalidInput as exc:
        raise TransitionRefused(
            f"{step(event)} vraagt om {rule.name!r} ({rule.means}): {exc}."
        ) from None


def check_payload(
    event: str, payload: Mapping[str, object] | None, *, version: int = 2
) -> dict[str, object]:
    """Check the data sent with ``event``; return it normalised (parsed, stripped, complete).

    Unknown fields are refused rather than dropped, so a misspelt field name is noticed; on
    version 2 a computed field (``follows_advice``) is refused with the reason.
    """
    rule = _rule(event, version)
    if payload is not None and not isinstance(payload, Mapping):
        raise TransitionRefused(
            f"{step(event)}: geef de gegevens als benoemde velden, niet {payload!r}."
        )
    data = dict(payload or {})
    fields = (*rule.fields, _NOTE)
    unknown = sorted(set(data) - {f.name for f in fields})
    computed = [name for name in unknown if name in COMPUTED_FIELDS]
    if computed and version >= 2:
        raise TransitionRefused(
            f"{step(event)}: {computed[0]} volgt uit de geadviseerde en de besloten locatie; "
            "geef het niet op."
        )
    if unknown:
        accepted = ", ".join(f.name for f in fields)
        raise TransitionRefused(
            f"{step(event)} kent het veld {', '.join(map(repr, unknown))} niet; "
            f"velden van deze stap: {accepted}."
        )
    normalised = {f.name: _field_value(event, f, data) for f in fields}
    return {name: value for name, value in normalised.items() if value is not None}


# -- rule sets: which cases are in scope ----------------------------------------------------

CASE_TYPES = ("groei", "krimp", "nieuw", "hervestiging", "masterplan", "vtw")


@dataclass(frozen=True)
class RuleSet:
    """A version of the scope rule; a case keeps the version it was judged by."""

    version: str
    threshold_fte: int = 100
    always_in_scope_types: tuple[str, ...] = ("masterplan", "vtw")
    source: str = field(default="", compare=False)


CURRENT_RULESET = RuleSet(
    version="2024.1",
    source="Beslisnota spreiding rijksdiensten, 30 April 2024 (Kamerstuk 31 490 nr. 337)",
)
RULESETS: dict[str, RuleSet] = {CURRENT_RULESET.version: CURRENT_RULESET}


def get_ruleset(version: str) -> RuleSet:
    """The rule set of ``version``; InvalidInput names the known versions."""
    try:
        return RULESETS[version]
    except KeyError:
        raise InvalidInput(
            f"Onbekende regelset {version!r}; bekend: {', '.join(RULESETS)}"
        ) from None


def in_scope(case_type: str, fte: float | None, ruleset: RuleSet = CURRENT_RULESET) -> bool:
    """Whether BZK advises on the case: measures M1-M3 of the decision memo.

    ``fte`` is the size of the growth, shrinkage, new unit or relocation (a positive number);
    a masterplan or VtW needs none.
    """
    if case_type not in CASE_TYPES:
        raise InvalidInput(f"Onbekende soort zaak {case_type!r}; kies uit: {', '.join(CASE_TYPES)}")
    if case_type in ruleset.always_in_scope_types:
        return True
    if fte is None or isinstance(fte, bool) or fte < 0:
        raise InvalidInput(
            f"Een zaak van de soort {case_type!r} vraagt om de omvang in fte: een getal van "
            f"0 of meer, niet {'niets' if fte is None else repr(fte)}"
        )
    return fte >= ruleset.threshold_fte


# -- guiding principles 3 and 4 --------------------------------------------------------------

FLAG_KRIMP = "krimp buiten de Randstad: motiveren"
FLAG_GROEI = "groei in de Randstad: motiveren"


def principle_flags(
    case_type: str,
    location_province: str | None,
    target_province: str | None,
    randstad: Collection[str],
) -> list[str]:
    """The principles a case departs from and must therefore motivate.

    Principle 3: shrinkage happens in principle in the Randstad, so krimp at a location
    outside it is flagged. Principle 4: growth and relocation happen in principle outside the
    Randstad, so groei or nieuw at a Randstad location, or hervestiging whose target lies in
    the Randstad, is flagged. ``randstad`` is the configured set of province codes.
    """
    flags: list[str] = []
    if case_type == "krimp" and location_province and location_province not in randstad:
        flags.append(FLAG_KRIMP)
    if case_type in ("groei", "nieuw") and location_province in randstad:
        flags.append(FLAG_GROEI)
    if case_type == "hervestiging" and target_province in randstad:
        flags.append(FLAG_GROEI)
    return flags


ACTS_NEXT: dict[str, str] = {
    "intention": "ministry",
    "registered": "bzk",
    "screening": "bzk",
    "consultation": "bzk",
    "advice_issued": "ministry",
    "counter_proposal": "bzk",
    "agreed": "ministry",
    "mr_escalation": "bzk",
}
"""Per waiting state, who must act next: the ministry (submit the plan, answer the advice,
decide) or BZK (screen, advise, answer a counter-proposal, prepare the MR). Deadline signals
go to the ministry's contact or to BZK's handler by this table."""

FLAG_BY_ID: dict[str, str] = {"krimp_buiten_randstad": FLAG_KRIMP, "groei_in_randstad": FLAG_GROEI}
"""Each flag id (``justify.<id>``) and the flag as it is shown and stored."""
FLAG_ID_OF: dict[str, str] = {label: flag_id for flag_id, label in FLAG_BY_ID.items()}
LOCATION_OPTIONAL_TYPES = ("nieuw", "masterplan", "vtw")
"""Case types registered without a location: BZK's advice proposes it (measures 2 and 3)."""
LANDS_AT_TARGET_TYPES = ("groei", "nieuw", "hervestiging")
"""Case types whose fte land at the target when one is given (else at the location)."""


def landing_place(case_type: str, location: str | None, target: str | None) -> str | None:
    """Where the fte of a plan land: the target for groei, nieuw, hervestiging when given,
    else the location; the location for krimp (where the shrinkage happens)."""
    if case_type in LANDS_AT_TARGET_TYPES and target:
        return target
    return location


def flags_where(case_type: str, province: str | None, randstad: Collection[str]) -> list[str]:
    """The principle flags of fte landing in ``province`` (lifecycle version 2).

    Principle 3: krimp outside the Randstad is flagged. Principle 4: groei, nieuw and
    hervestiging landing in the Randstad are flagged. A masterplan or VtW has no flag.
    """
    if province is None:
        return []
    if case_type == "krimp" and province not in randstad:
        return [FLAG_KRIMP]
    if case_type in LANDS_AT_TARGET_TYPES and province in randstad:
        return [FLAG_GROEI]
    return []


@dataclass(frozen=True)
class CaseFacts:
    """What the procedure's rules read of a case: its plan, dossier and flags."""

    case_type: str
    fte: float
    location: str | None
    target: str | None
    dossier: Mapping[str, object]
    flags: tuple[str, ...]

    @classmethod
    def of(cls, case: object, flags: Collection[str] | None = None) -> CaseFacts:
        """The facts of a case-like object; ``flags`` replace the case's own when given."""
        own = getattr(case, "flags", None) or []
        return cls(
            case_type=str(getattr(case, "case_type", "")),
            fte=float(getattr(case, "fte", 0) or 0),
            location=getattr(case, "location_code", None),
            target=getattr(case, "target_code", None),
            dossier=dict(getattr(case, "dossier", None) or {}),
            flags=tuple(flags if flags is not None else own),
        )

    def section(self, name: str) -> Mapping[str, object]:
        """A dossier section, or an empty mapping."""
        value = self.dossier.get(name)
        return value if isinstance(value, Mapping) else {}


FTE_DEVIATION_SHARE = 0.20
FTE_DEVIATION_ABSOLUTE = 100
"""A decided fte that differs from the plan by more than 20% or more than 100 fte needs a
motivation."""


def fte_deviates(planned: float, decided: float) -> bool:
    """Whether a decided fte differs from the plan beyond 20% or 100 fte."""
    difference = abs(decided - planned)
    return difference > FTE_DEVIATION_ABSOLUTE or difference > FTE_DEVIATION_SHARE * planned


def unjustified_flags(facts: CaseFacts, motivation: object) -> list[str]:
    """The flags neither the advice justifies (``justify.<flag>``) nor a motivation covers."""
    if motivation:
        return []
    justified = facts.section("advice").get("justifications") or {}
    assert isinstance(justified, Mapping)
    return [f for f in facts.flags if not justified.get(FLAG_ID_OF.get(f, f))]


def check_procedure(
    event: str, source: str, kind: str, data: Mapping[str, object], facts: CaseFacts
) -> None:
    """The rules of lifecycle version 2 that depend on the case; TransitionRefused names why.

    ``data`` is the normalised payload (locations as CBS codes), ``kind`` the role kind.
    """
    if event == "submit_plan":
        location = data.get("location") or facts.location
        if location is None and facts.case_type not in LOCATION_OPTIONAL_TYPES:
            raise TransitionRefused(
                f"{step(event)} vraagt om 'location' (de gemeente van de locatie) bij een plan "
                f"van de soort {facts.case_type!r}; alleen bij "
                f"{', '.join(LOCATION_OPTIONAL_TYPES)} mag het ministerie die aan BZK laten."
            )
        if facts.case_type == "hervestiging" and not (data.get("target") or facts.target):
            raise TransitionRefused(
                f"{step(event)} vraagt om 'target': de gemeente waar de dienst naartoe gaat."
            )
    elif event == "escalate_to_mr":
        _check_escalation(source, kind, data, facts)
    elif event in ("decide", "record_mr_decision"):
        _check_decision(event, data, facts)


def _check_escalation(source: str, kind: str, data: Mapping[str, object], facts: CaseFacts) -> None:
    here = step("escalate_to_mr")
    if kind == "bzk" and "location" in data:
        raise TransitionRefused(
            f"{here}: BZK geeft de keuze van het departement niet op; de ministerraad krijgt "
            "het tegenvoorstel van het ministerie naast het BZK-advies. Laat 'location' leeg."
        )
    if kind == "ministry" and source == "advice_issued" and "location" not in data:
        raise TransitionRefused(
            f"{here} vraagt om 'location' (de eigen locatie van het departement) als het "
            "ministerie het advies aan de ministerraad voorlegt."
        )
    if kind == "ministry" and source == "counter_proposal" and "location" in data:
        proposed = facts.section("counter_proposal").get("location")
        raise TransitionRefused(
            f"{here}: de keuze van het departement is het tegenvoorstel ({place(proposed)}); laat "
            f"'location' leeg, of kies eerst {steps(('reconsider',))} om een ander voor te "
            "stellen."
        )


def _check_decision(event: str, data: Mapping[str, object], facts: CaseFacts) -> None:
    motivation = data.get("motivation")
    if event == "decide":
        agreed = facts.section("agreement").get("location")
        if data.get("location") and data["location"] != agreed:
            raise TransitionRefused(
                f"{step(event)}: 'location' {place(data['location'])} is niet de gemeente waarover "
                f"het ministerie en BZK overeenstemming hebben: {place(agreed)}. Om elders te "
                f"besluiten kiest u eerst {steps(('reconsider',))} en komt u opnieuw overeen."
            )
    else:
        advised = facts.section("advice").get("location")
        if data.get("location") != advised and not motivation:
            raise TransitionRefused(
                f"{step(event)}: het besluit ({place(data.get('location'))}) wijkt af van het "
                f"BZK-advies ({place(advised)}); een afwijking vraagt om 'motivation' (de "
                "motivering)."
            )
    fte = data.get("fte")
    deviates = isinstance(fte, int | float) and facts.fte > 0 and fte_deviates(facts.fte, fte)
    if deviates and not motivation:
        raise TransitionRefused(
            f"{step(event)}: {fte_text(fte)} fte wijkt meer dan "
            f"{dutch.percentage(FTE_DEVIATION_SHARE, 0)} of {dutch.whole(FTE_DEVIATION_ABSOLUTE)}"
            f" fte af van de {fte_text(facts.fte)} fte in het plan; geef 'motivation' (de "
            "motivering)."
        )
    missing = unjustified_flags(facts, motivation)
    if missing:
        ids = ", ".join(f"justify.{FLAG_ID_OF.get(f, f)}" for f in missing)
        raise TransitionRefused(
            f"{step(event)}: de zaak heeft het aandachtspunt {'; '.join(missing)}, en het "
            f"advies motiveert dat niet ({ids}); geef 'motivation' (de motivering)."
        )


_EXAMPLES: dict[FieldKind, object] = {
    "text": "voorbeeld",
    "yes_no": "ja",
    "positive_number": 100,
    "considerations": {key: "nee" for key in CONSIDERATIONS},
    "justifications": {},
}


def example_payload(event: str, version: int = 2) -> dict[str, object]:
    """A complete, valid payload for ``event`` (for demos, the simulation and tests)."""
    return {
        f.name: copy.deepcopy(_EXAMPLES[f.kind]) for f in _rule(event, version).fields if f.required
    }


def example_step(
    event: str, source: str | None = None, version: int = 2
) -> tuple[str, dict[str, object]]:
    """A role kind that may send ``event`` from ``source`` and a payload the procedure accepts
    on a case without a plan or dossier of its own (for the simulation and tests)."""
    kind = sorted(_rule(event, version).roles)[0]
    payload = example_payload(event, version)
    if version >= 2:
        if event == "submit_plan":
            payload["location"] = _EXAMPLES["text"]
        if event == "escalate_to_mr" and source != "counter_proposal":
            kind, payload["location"] = "ministry", _EXAMPLES["text"]
        if event in ("decide", "record_mr_decision"):
            payload["motivation"] = _EXAMPLES["text"]
    return kind, payload


def describe_fields(event: str, version: int = 2) -> list[FieldRule]:
    """The payload fields of ``event``, the optional note included (for forms and help)."""
    return [*_rule(event, version).fields, _NOTE]


__all__ = [
    "ACTS_NEXT",
    "CASE_TYPES",
    "COMPUTED_FIELDS",
    "CONSIDERATIONS",
    "CONSIDERATION_LABELS",
    "CURRENT_RULESET",
    "EVENT_RULES",
    "EVENT_RULES_V1",
    "FLAG_BY_ID",
    "FLAG_GROEI",
    "FLAG_IDS",
    "FLAG_KRIMP",
    "ROLE_KINDS",
    "ROLE_LABELS",
    "RULESETS",
    "CaseFacts",
    "EventRule",
    "FieldRule",
    "RuleSet",
    "check_payload",
    "check_procedure",
    "check_role",
    "considerations_text",
    "describe_fields",
    "example_payload",
    "example_step",
    "flags_where",
    "fte_text",
    "get_ruleset",
    "in_scope",
    "landing_place",
    "parse_role",
    "parse_yes_no",
    "place",
    "principle_flags",
    "role_label",
    "role_refusal",
    "state_label",
    "step",
    "steps",
]
