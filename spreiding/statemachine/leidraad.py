"""The leidraad as data: versions with an effective date, kept in the store, and what the
cases teach for the next revision.

The memo: "Samen met de ministeries wordt gewerkt aan een leidraad waarin alle te hanteren
afwegingen voor de locatiekeuze worden opgenomen. De leidraad zal periodiek, aan de hand van
de ervaringen met concrete casussen, worden bijgesteld." A version holds four parts, each
labelled with its source: the scope rule of the letter (threshold, case types always in
scope), the considerations BZK weighs, the flag rules (principles 3 and 4) and the service
norms per waiting state. The version the code ships (:data:`BUILTIN`, ``2024.1``) is in force
until a stored one takes effect; BZK adds a version with ``leidraad new`` (never edits one).
A case keeps the version it was screened under (``ruleset_version``), so a version effective
tomorrow leaves today's screenings on the old one. Due dates follow the norms of the version
in force on the day a case enters a state (:func:`norms_on`; before any stored version: the
settings' norms).

:func:`evaluate` summarises the cases per type: how many, in scope, working days per state
against the norm, advice followed, counter-proposals, MR escalations and their outcome, and
which considerations were invoked and how often they stood beside a flag.
"""

from __future__ import annotations

import tomllib
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from spreiding.core import dutch
from spreiding.core.errors import InvalidInput, NotFound, TransitionRefused
from spreiding.core.settings import ServiceNorms
from spreiding.models.tables import Case, CaseEvent, LeidraadVersion
from spreiding.statemachine import calendar, rules
from spreiding.statemachine.chart import STATE_LABELS, WAITING_STATES

SOURCE_LETTER = rules.CURRENT_RULESET.source
BUILTIN_EFFECTIVE = date(2024, 5, 8)
"""The letter to parliament of 8 May 2024: from then on the shipped version applies."""

BUILTIN: dict[str, Any] = {
    "version": rules.CURRENT_RULESET.version,
    "scope": {
        "threshold_fte": rules.CURRENT_RULESET.threshold_fte,
        "always_in_scope_types": list(rules.CURRENT_RULESET.always_in_scope_types),
        "source": SOURCE_LETTER,
    },
    "considerations": {
        "primary_process": "zwaarwegend belang voor het primaire proces, een complex bestuurlijk "
        "proces of een wisselend zaakaanbod",
        "legal_location": "wet- en regelgeving die bepaalt waar een organisatie gevestigd is",
        "housing_cost": "het voorkomen van hoge huisvestingskosten of een desinvestering",
        "source": "Beslisnota spreiding rijksdiensten, 30 april 2024, Toelichting",
    },
    "flags": {
        "krimp_buiten_randstad": rules.FLAG_KRIMP,
        "groei_in_randstad": rules.FLAG_GROEI,
        "source": "Kamerbrief 8 mei 2024, richtinggevende principes 3 en 4",
    },
    "norms": {
        **{state: ServiceNorms().for_state(state) for state in WAITING_STATES},
        "source": "spreiding: termijnen in werkdagen (Algemene termijnenwet)",
    },
}
"""The shipped version, as ``leidraad show --format toml`` prints it."""

PARTS = ("scope", "considerations", "flags", "norms")


def _check(content: dict[str, Any]) -> dict[str, Any]:
    """Refuse a version whose keys differ from the shipped one's, naming the first."""
    for key in ("version", *PARTS):
        if key not in content:
            raise InvalidInput(
                f"De leidraad mist '{key}' (zie 'leidraad show --format toml' voor de opbouw)"
            )
    extra = sorted(set(content) - {"version", *PARTS})
    if extra:
        raise InvalidInput(
            f"De leidraad heeft geen onderdeel {extra[0]!r}; onderdelen: {', '.join(PARTS)}"
        )
    for part in PARTS:
        given, known = content[part], BUILTIN[part]
        if not isinstance(given, dict):
            raise InvalidInput(f"[{part}] moet een tabel zijn")
        missing = sorted(set(known) - set(given))
        unknown = sorted(set(given) - set(known))
        if missing or unknown:
            what = f"mist {missing[0]!r}" if missing else f"kent de sleutel {unknown[0]!r} niet"
            raise InvalidInput(f"[{part}] {what}; sleutels: {', '.join(known)}")
        if not str(given["source"]).strip():
            raise InvalidInput(f'[{part}] vraagt om een bron (source = "...")')
    return _check_values(content)


def _check_values(content: dict[str, Any]) -> dict[str, Any]:
    threshold = content["scope"]["threshold_fte"]
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
        raise InvalidInput(
            f"[scope] threshold_fte is een geheel getal van 0 of meer, niet {threshold!r}"
        )
    types = content["scope"]["always_in_scope_types"]
    if not isinstance(types, list) or any(t not in rules.CASE_TYPES for t in types):
        raise InvalidInput(f"[scope] always_in_scope_types: kies uit {', '.join(rules.CASE_TYPES)}")
    for state in WAITING_STATES:
        norm = content["norms"][state]
        if isinstance(norm, bool) or not isinstance(norm, int) or not 1 <= norm <= 260:
            raise InvalidInput(
                f"[norms] {state} ({STATE_LABELS[state]}) is 1 tot en met 260 werkdagen, "
                f"niet {norm!r}"
            )
    if not str(content["version"]).strip():
        raise InvalidInput('De leidraad vraagt om een versienaam (version = "2026.1")')
    return content


def versions(session: Session) -> list[tuple[date, dict[str, Any], str | None]]:
    """Every version as (effective, content, who added it), oldest first."""
    stored = session.exec(select(LeidraadVersion).order_by(LeidraadVersion.effective))
    return [(BUILTIN_EFFECTIVE, BUILTIN, None)] + [
        (v.effective, v.content, v.created_by) for v in stored
    ]


def effective_on(session: Session, day: date) -> dict[str, Any]:
    """The version in force on ``day``: the latest whose effective date has come."""
    current = BUILTIN
    for effective, content, _by in versions(session):
        if effective <= day:
            current = content
    return current


def ruleset_on(session: Session, day: date) -> rules.RuleSet:
    """The scope rule of the version in force on ``day``, as the screening applies it."""
    content = effective_on(session, day)
    scope = content["scope"]
    return rules.RuleSet(
        version=str(content["version"]),
        threshold_fte=int(scope["threshold_fte"]),
        always_in_scope_types=tuple(scope["always_in_scope_types"]),
        source=str(scope["source"]),
    )


def norms_on(session: Session, day: date, default: ServiceNorms) -> ServiceNorms:
    """The service norms in force on ``day``: a stored version's, else ``default`` (the
    settings, which the shipped version's norms are the defaults of)."""
    stored = [c for e, c, _b in versions(session)[1:] if e <= day]
    if not stored:
        return default
    norms = stored[-1]["norms"]
    return ServiceNorms(**{state: norms[state] for state in WAITING_STATES})


def get_version(session: Session, version: str | None, today: date) -> dict[str, Any]:
    """A version by name, or the one in force today; NotFound names the known ones."""
    if version is None:
        return effective_on(session, today)
    found = [c for _e, c, _b in versions(session) if str(c["version"]) == version]
    if not found:
        known = ", ".join(str(c["version"]) for _e, c, _b in versions(session))
        raise NotFound(f"Er is geen leidraadversie {version!r}; bekend: {known}")
    return found[0]


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def to_toml(content: dict[str, Any]) -> str:
    """A version as TOML with the keys ``leidraad new --from`` reads back."""
    lines = [f"version = {_toml_value(content['version'])}"]
    for part in PARTS:
        lines += ["", f"[{part}]"]
        lines += [f"{key} = {_toml_value(value)}" for key, value in content[part].items()]
    return "\n".join(lines) + "\n"


def add_version(
    session: Session, path: Path, *, effective: date, actor: str, role: str, today: date
) -> LeidraadVersion:
    """Add a version from a TOML file, effective from ``effective`` (today or later; bzk)."""
    if rules.parse_role(role)[0] != "bzk":
        raise TransitionRefused(
            f"Een nieuwe versie van de leidraad voegt BZK (bzk) toe; de rol "
            f"{rules.role_label(role)} mag dit niet."
        )
    if not actor.strip():
        raise InvalidInput(
            "Noem wie dit doet ('actor'): de geschiedenis legt vast wie de versie toevoegde"
        )
    if effective < today:
        raise InvalidInput(
            f"De ingangsdatum ('effective') {dutch.date_text(effective)} ligt in het verleden: "
            "een versie gaat vandaag of later in, zodat elke zaak de versie houdt waaronder zij "
            "is beoordeeld"
        )
    try:
        content = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"Kan {path} niet lezen: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{path} is geen geldige TOML: {exc}") from None
    content = _check(content)
    names = {str(c["version"]) for _e, c, _b in versions(session)}
    if str(content["version"]) in names:
        raise InvalidInput(
            f"Leidraadversie {content['version']!r} bestaat al; kies een nieuwe versienaam"
        )
    if any(e >= effective for e, _c, _b in versions(session)[1:]):
        raise InvalidInput(
            "Er staat al een latere versie gepland; voeg versies toe in volgorde van datum"
        )
    row = LeidraadVersion(
        version=str(content["version"]),
        effective=effective,
        content=content,
        created_by=actor.strip(),
    )
    session.add(row)
    session.flush()
    return row


# -- what the cases teach ---------------------------------------------------------------------


def _days_per_state(events: list[CaseEvent], today: date) -> dict[str, int]:
    """Working days each state of a case lasted (the last one until today if still open)."""
    spent: dict[str, int] = defaultdict(int)
    for here, after in zip(events, [*events[1:], None], strict=True):
        start = here.at.date()
        end = after.at.date() if after is not None else today
        if here.target in WAITING_STATES:
            spent[here.target] += max(calendar.working_days_between(start, end), 0)
    return spent


def evaluate(session: Session, *, since: date | None, today: date) -> dict[str, Any]:
    """The cases registered since ``since`` summarised per type for the next revision."""
    norms = effective_on(session, today)["norms"]
    cases = list(session.exec(select(Case).order_by(Case.id)))
    per_type: dict[str, dict[str, Any]] = {}
    for case in cases:
        events = list(
            session.exec(
                select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)
            )
        )
        if not events or (since is not None and events[0].at.date() < since):
            continue
        row = per_type.setdefault(
            case.case_type,
            {
                "cases": 0,
                "in_scope": 0,
                "days": defaultdict(list),
                "decided": 0,
                "advice_followed": 0,
                "counter_proposals": 0,
                "mr_escalations": 0,
                "mr_followed_advice": 0,
                "mr_deviated": 0,
                "invoked": Counter(),
                "justified_a_flag": Counter(),
            },
        )
        row["cases"] += 1
        row["in_scope"] += case.in_scope is True
        for state, days in _days_per_state(events, today).items():
            row["days"][state].append(days)
        names = [e.event for e in events]
        row["counter_proposals"] += names.count("propose_alternative")
        row["mr_escalations"] += names.count("escalate_to_mr")
        decision = case.dossier.get("decision")
        if decision:
            row["decided"] += 1
            follows = not decision.get("deviates_from_advice")
            row["advice_followed"] += follows
            if decision.get("by") == "mr":
                row["mr_followed_advice" if follows else "mr_deviated"] += 1
        advice = case.dossier.get("advice") or {}
        for key, weighed in (advice.get("considerations") or {}).items():
            if weighed.get("applies"):
                row["invoked"][key] += 1
                if case.flags or advice.get("justifications"):
                    row["justified_a_flag"][key] += 1
    for row in per_type.values():
        row["days"] = {
            state: {
                "mean": round(sum(spent) / len(spent), 1),
                "norm": norms.get(state),
                "over_norm": sum(d > (norms.get(state) or 0) for d in spent),
            }
            for state, spent in sorted(row["days"].items())
        }
        row["invoked"] = dict(sorted(row["invoked"].items()))
        row["justified_a_flag"] = dict(sorted(row["justified_a_flag"].items()))
    version = effective_on(session, today)["version"]
    return {
        "leidraad_version": version,
        "since": since.isoformat() if since else None,
        "today": today.isoformat(),
        "per_type": dict(sorted(per_type.items())),
    }
