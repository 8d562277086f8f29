"""Every refusal of the case service layer speaks Dutch at its source.

The same message reaches the command line, the API's problem ``detail`` and the pages, so
it is written once, in Dutch, where the rule lives. This guard runs one refusal of each
kind (wrong state, wrong role, missing field, bad value, unknown case, unknown state, a
deviating decision without motivation, ...) and fails on typical English words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest

from spreiding.core.errors import SpreidingError
from spreiding.core.settings import get_settings
from spreiding.models.db import session_scope
from spreiding.statemachine import calendar, leidraad, norms, rules
from spreiding.statemachine.diagram import render
from spreiding.statemachine.service import (
    Actor,
    Context,
    get_case,
    list_cases,
    register_case,
    send_event,
)

ENGLISH = re.compile(
    r"\b(the|must|needs?|not allowed|unknown|expected|got|only|may|use one of|known|"
    r"should|cannot|missing|refused|is not|does not|give|case|event|state)\b",
    re.IGNORECASE,
)
"""Words that betray an English message (field ids and values in quotes are left out)."""

TODAY = date(2026, 4, 20)
BZK = Actor("Behandelaar", "bzk")
VWS = Actor("Ministerie", "ministry:VWS")  # BD belongs to FIN: VWS may not act on its cases
FIN = Actor("Ministerie", "ministry:FIN")
CONSIDERATIONS = {key: "nee" for key in rules.CONSIDERATIONS}


def _prose(message: str) -> str:
    """The message without what it quotes (ids, values) and without parenthesised ids."""
    message = re.sub(r"'[^']*'|\"[^\"]*\"", "", message)
    return re.sub(r"\([a-z_:<>A-Z]+\)", "", message)


def _refusal(act: Callable[[], object]) -> str:
    with pytest.raises(SpreidingError) as refused:
        act()
    return str(refused.value)


@pytest.fixture
def session(demo_db):
    with session_scope(demo_db.engine()) as session:
        yield session


@pytest.fixture
def ctx() -> Context:
    settings = get_settings()
    return Context(settings.randstad, settings.norms, TODAY)


def _case(session, ctx: Context, *, fte: float = 150) -> int:
    case = register_case(
        session, ctx, BZK, organisation="BD", case_type="groei", fte=fte, location="Den Haag",
        target="Groningen",
    )  # fmt: skip
    return case.id


def _agreed(session, ctx: Context) -> int:
    """A case of FIN in Overeenstemming: advised Groningen, the advice accepted."""
    case_id = _case(session, ctx)
    for actor, event, payload in [
        (BZK, "start_screening", {}),
        (BZK, "open_consultation", {}),
        (BZK, "issue_advice", {"location": "Groningen", "rationale": "Regio",
                               "considerations": CONSIDERATIONS}),
        (FIN, "accept_advice", {}),
    ]:  # fmt: skip
        send_event(session, ctx, actor, case_id, event, payload)
    return case_id


def _refusals(session, ctx: Context) -> dict[str, str]:
    registered = _case(session, ctx)
    agreed = _agreed(session, ctx)

    def send(actor: Actor, case_id: int, event: str, payload: dict | None = None):
        return lambda: send_event(session, ctx, actor, case_id, event, payload or {})

    def register(**fields):
        plan = {"organisation": "BD", "case_type": "groei", "fte": 150, "location": "Den Haag"}
        return lambda: register_case(session, ctx, BZK, **{**plan, **fields})

    return {
        "wrong state": _refusal(send(BZK, registered, "issue_advice")),
        "wrong role": _refusal(send(VWS, registered, "start_screening")),
        "other ministry": _refusal(send(VWS, registered, "withdraw", {"reason": "x"})),
        "viewer": _refusal(lambda: rules.check_role("withdraw", "viewer", "FIN")),
        "missing field": _refusal(send(BZK, registered, "withdraw")),
        "unknown field": _refusal(send(BZK, registered, "withdraw", {"reden": "x"})),
        "bad value": _refusal(send(FIN, agreed, "decide", {"fte": "veel"})),
        "unknown event": _refusal(send(BZK, registered, "fly_away")),
        "unknown role": _refusal(lambda: rules.parse_role("koning")),
        "unknown case": _refusal(lambda: get_case(session, 99_999, "bzk")),
        "unknown state": _refusal(lambda: list_cases(session, ctx, "bzk", state="nergens")),
        "negative due": _refusal(lambda: list_cases(session, ctx, "bzk", due_within=-1)),
        "deviation without motivation": _refusal(send(FIN, agreed, "decide", {"fte": 400})),
        "decided elsewhere": _refusal(
            send(FIN, agreed, "decide", {"fte": 150, "location": "Assen"})
        ),
        "computed field": _refusal(
            send(FIN, agreed, "decide", {"fte": 150, "follows_advice": "ja"})
        ),
        "considerations": _refusal(
            lambda: rules.check_payload(
                "issue_advice",
                {"location": "Assen", "rationale": "r", "considerations": {"x": "ja"}},
            )
        ),
        "unknown case type": _refusal(register(case_type="fusie")),
        "fte out of range": _refusal(register(fte=-5)),
        "no location": _refusal(register(location=None)),
        "no target": _refusal(register(case_type="hervestiging")),
        "unknown confidentiality": _refusal(register(confidentiality="geheim")),
        "register for another ministry": _refusal(
            lambda: register_case(
                session,
                ctx,
                VWS,
                organisation="BD",
                case_type="groei",
                fte=150,
                location="Den Haag",
            )
        ),
        "housing fields": _refusal(register(area="PV20")),
        "unknown stage": _refusal(register(stage="later")),
        "stale version": _refusal(
            lambda: send_event(
                session, ctx, BZK, registered, "start_screening", {}, expected_version=99
            )
        ),
        "norm of a state": _refusal(lambda: norms.service_norm("nergens")),
        "diagram format": _refusal(lambda: render("pdf")),
        "working days": _refusal(lambda: calendar.add_working_days(TODAY, -1)),
        "leidraad version": _refusal(lambda: leidraad.get_version(session, "1999", TODAY)),
        "scope": _refusal(lambda: rules.in_scope("groei", None)),
    }


def test_every_refusal_of_the_case_service_layer_is_dutch(session, ctx) -> None:
    english = {
        kind: message
        for kind, message in _refusals(session, ctx).items()
        if ENGLISH.search(_prose(message))
    }
    assert not english, english


def test_the_guard_catches_an_english_message() -> None:
    # The old wording, so the guard is known to fail on what it replaced.
    assert ENGLISH.search(_prose("start_screening may be sent by bzk only, not by mr"))
    assert ENGLISH.search(_prose("unknown state 'x'; use one of: registered, screening"))
    assert not ENGLISH.search(_prose("Onbekende toestand 'x'; kies uit: Aangemeld (registered)"))


def test_a_refusal_names_steps_states_and_numbers_the_dutch_way(session, ctx) -> None:
    refusals = _refusals(session, ctx)
    assert refusals["wrong state"] == (
        "Stap 'BZK-advies uitbrengen' (issue_advice) is nu niet mogelijk: de zaak is in "
        "'Aangemeld'; mogelijk: Beoordeling starten (start_screening), Intrekken (withdraw), "
        "Opschorten (suspend)."
    )
    assert refusals["deviation without motivation"] == (
        "Stap 'Besluit nemen' (decide): 400 fte wijkt meer dan 20% of 100 fte af van de 150 "
        "fte in het plan; geef 'motivation' (de motivering)."
    )
    assert refusals["fte out of range"] == "'fte' is een getal van 0 tot en met 100.000, niet -5"
    assert refusals["unknown case"].startswith("Zaak 99999 bestaat niet")
    assert refusals["unknown state"].startswith(
        "Onbekende toestand 'nergens'; kies uit: Voornemen (intention), Aangemeld (registered)"
    )
