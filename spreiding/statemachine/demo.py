"""Demo cases: a handful of synthetic cases in different states, for ``init --demo``.

Each is driven through the real lifecycle (so its audit trail is genuine) and titled
``[SYNTHETISCH]`` so nobody mistakes it for a real plan. They are created only in a database
that has no cases yet, which keeps ``init --demo`` idempotent.
"""

from __future__ import annotations

from sqlmodel import Session

from spreiding.statemachine.service import Actor, Context, count_cases, register_case, send_event

BZK, MR = Actor("Demo BZK", "bzk"), Actor("Demo ministerraad", "mr")
CONSIDERATIONS = {"primary_process": "nee", "legal_location": "nee", "housing_cost": "ja"}

# (registration, [(event, actor role, payload)]) per demo case
DEMO_CASES: list[tuple[dict, list[tuple[str, str, dict]]]] = [
    (
        {"organisation": "BD", "case_type": "groei", "fte": 150, "location": "Den Haag",
         "title": "[SYNTHETISCH] Uitbreiding klantcontact"},
        [("start_screening", "bzk", {}), ("open_consultation", "bzk", {}),
         ("issue_advice", "bzk", {"location": "Groningen", "rationale": "Versterkt de regio; "
                                  "leegstaand rijkspand", "considerations": CONSIDERATIONS}),
         ("accept_advice", "ministry:FIN", {}),
         ("decide", "ministry:FIN", {"location": "Groningen", "fte": 150})],
    ),
    (
        {"organisation": "RSP", "case_type": "krimp", "fte": 120, "location": "Maastricht",
         "title": "[SYNTHETISCH] Concentratie ondersteuning", "confidentiality": "vertrouwelijk"},
        [("start_screening", "bzk", {}), ("open_consultation", "bzk", {}),
         ("issue_advice", "bzk", {"location": "Amsterdam", "rationale": "Krimp in beginsel in de "
                                  "Randstad", "considerations": CONSIDERATIONS}),
         ("propose_alternative", "ministry:JENV", {"location": "Maastricht",
                                                   "motivation": "Gerechtelijke kaart"}),
         ("escalate_to_mr", "bzk", {"motivation": "Ministerie en BZK komen er samen niet uit"})],
    ),
    (
        {"organisation": "BD", "case_type": "groei", "fte": 80, "location": "Zwolle",
         "title": "[SYNTHETISCH] Klein team"},
        [("start_screening", "bzk", {}), ("declare_out_of_scope", "bzk", {})],
    ),
    (
        {"organisation": "DUO", "case_type": "nieuw", "fte": 300, "location": "Utrecht",
         "title": "[SYNTHETISCH] Nieuw uitvoeringsonderdeel"},
        [("start_screening", "bzk", {}),
         ("suspend", "bzk", {"reason": "Wacht op de business case"})],
    ),
    (
        {"organisation": "RWS", "case_type": "hervestiging", "fte": 200, "location": "Utrecht",
         "target": "Lelystad", "title": "[SYNTHETISCH] Verhuizing regionale dienst"},
        [("start_screening", "bzk", {}), ("open_consultation", "bzk", {})],
    ),
    (
        {"organisation": "DUO", "case_type": "groei", "fte": 120, "location": "Groningen",
         "stage": "voornemen", "period": "2027-2028",
         "title": "[SYNTHETISCH] Voornemen uitbreiding studiefinanciering"},
        [],
    ),
    (
        {"organisation": "BZK-KERN", "case_type": "masterplan", "fte": 0, "area": "DEN-HAAG",
         "title": "[SYNTHETISCH] Masterplan kantoorhuisvesting Den Haag"},
        [],
    ),
]  # fmt: skip


def _actor(role: str) -> Actor:
    return {"bzk": BZK, "mr": MR}.get(role) or Actor(f"Demo {role.split(':')[-1]}", role)


def create_demo_cases(session: Session, ctx: Context) -> int:
    """Create the demo cases in an empty case register; return how many were created."""
    if count_cases(session):
        return 0
    for registration, events in DEMO_CASES:
        case = register_case(session, ctx, BZK, **registration)
        for event, role, payload in events:
            send_event(session, ctx, _actor(role), case.id, event, payload)
    return len(DEMO_CASES)
