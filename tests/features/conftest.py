"""The shared Dutch steps of the living specification, and its fixtures and gate ordering.

Every feature file in ``features/`` is bound by one test module here
(``test_<feature>.py``: ``scenarios(...)`` plus ``pytestmark =
pytest.mark.usefixtures("spec_db")``). The steps below drive the real system: the store on a
real database (SQLite and PostgreSQL, clean for every scenario: ``stores.py``),
the service functions and the command line, and the real StateChart. Nothing of our own
code is mocked.

Conventions the gate relies on (see ``docs/spec.md``):

* a step argument that holds a state label is called ``toestand``, one that holds an event
  label ``stap``; data-table columns ``toestand``/``van``/``naar`` hold state labels and
  ``stap`` event labels. The recorder reads them to check every named label exists;
* the recorder (``recorder.py``) is installed here, once per session, and sees scenarios in
  every folder; the gate test is moved to the end of the session (a speed-up only: the gate
  stays correct in any order, see ``test_gate.py``).

Steps of other areas (zbo talks, inventory, simulation) live in their own modules; a test
module binds them with ``from tests.<area>.<steps module> import *`` and sees these shared
steps when it sits in ``tests/features/``. A conftest elsewhere can share them with
``from tests.features.conftest import *``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytest_bdd import given, parsers, step, then, when
from sqlalchemy import text

from spreiding.core.settings import get_settings
from spreiding.statemachine import rules
from spreiding.statemachine.chart import EVENT_LABELS, FINAL_STATES, STATE_LABELS
from tests.conftest import PG_URL, Database, _require_postgres
from tests.features import recorder as spec_recorder
from tests.features.stores import SpecStores
from tests.features.vocabulary import (
    consideration_key,
    dutch_date,
    event_id,
    follows_advice,
    municipality_code,
    organisation_name,
    parse_date,
    parse_plan,
    province_codes,
    reason_text,
    state_id,
    yes_no,
)
from tests.features.world import DEFAULT_TODAY, SpecWorld
from tests.statemachine.tampering import plain_rehash, unguarded

GATE_MARK = "spec_gate"
STATE = {"toestand": state_id}
EVENT = {"stap": event_id}


def pytest_configure(config: pytest.Config) -> None:
    """Install the recorder (once, even if this module is star-imported elsewhere)."""
    spec_recorder.install(config)
    config.addinivalue_line("markers", f"{GATE_MARK}: runs after every scenario of the session")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the gate last, so it can judge this session's scenarios without a second run."""
    items.sort(key=lambda item: item.get_closest_marker(GATE_MARK) is not None)


# -- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def spec_stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpecStores]:
    """The migrated stores of this session (made on first use, see ``stores.py``)."""
    stores = SpecStores(tmp_path_factory.mktemp("spec-stores"), PG_URL)
    yield stores
    stores.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def spec_db(
    request: pytest.FixtureRequest,
    spec_stores: SpecStores,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Iterator[Database]:
    """A fresh migrated store with the demo set, on SQLite and on PostgreSQL, configured."""
    if request.param == "postgresql":
        _require_postgres()
    database = spec_stores.get(request.param, tmp_path)
    monkeypatch.setenv("SPREIDING_DATABASE_URL", database.url)
    monkeypatch.setenv("SPREIDING_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("SPREIDING_TODAY", DEFAULT_TODAY.isoformat())
    monkeypatch.delenv("SPREIDING_RANDSTAD", raising=False)
    get_settings.cache_clear()
    yield database
    get_settings.cache_clear()
    spec_stores.release(database)


@pytest.fixture
def world(spec_db: Database, monkeypatch: pytest.MonkeyPatch, cli: object) -> SpecWorld:
    """The scenario's world on the scenario's store."""
    return SpecWorld(spec_db, monkeypatch, cli)


# -- settings ------------------------------------------------------------------------------------


@step(parsers.parse("het is {datum}"))
@step(parsers.parse("het wordt {datum}"))
def _today(world: SpecWorld, datum: str) -> None:
    world.set_today(parse_date(datum))


@given(parsers.parse("de Randstad bestaat uit {provincies}"))
def _randstad(world: SpecWorld, provincies: str) -> None:
    world.setenv("SPREIDING_RANDSTAD", ",".join(province_codes(provincies)))


# -- registering -------------------------------------------------------------------------------


@given(parsers.parse("{organisatie} meldt een plan aan: {plan}"))
@when(parsers.parse("{organisatie} een plan aanmeldt: {plan}"))
def _register(world: SpecWorld, organisatie: str, plan: str) -> None:
    world.register(organisation_name(organisatie), parse_plan(plan))


@given(parsers.parse("{organisatie} meldt een vertrouwelijk plan aan: {plan}"))
def _register_confidential(world: SpecWorld, organisatie: str, plan: str) -> None:
    world.register(organisation_name(organisatie), parse_plan(plan), confidential=True)


@given(parsers.parse("{organisatie} meldt een openbaar plan aan: {plan}"))
def _register_public(world: SpecWorld, organisatie: str, plan: str) -> None:
    world.register(organisation_name(organisatie), parse_plan(plan), level="openbaar")


@given(parsers.parse("{organisatie} meldt een intern plan aan: {plan}"))
def _register_internal(world: SpecWorld, organisatie: str, plan: str) -> None:
    world.register(organisation_name(organisatie), parse_plan(plan), level="intern")


@when(parsers.parse("{wie} probeert een plan van {organisatie} aan te melden: {plan}"))
def _try_register(world: SpecWorld, wie: str, organisatie: str, plan: str) -> None:
    world.attempt_register(wie, organisation_name(organisatie), parse_plan(plan))


@given(parsers.parse("een zaak van {organisatie} die op {toestand} staat"), converters=STATE)
@given(parsers.parse("een zaak die op {toestand} staat"), converters=STATE)
def _case_in_state(world: SpecWorld, toestand: str, organisatie: str = "Belastingdienst") -> None:
    fte = 80 if toestand == "out_of_scope" else 150
    plan = parse_plan(f"groei met {fte} fte in Den Haag")
    stage = "voornemen" if toestand == "intention" else None
    world.register(organisation_name(organisatie), plan, stage=stage)
    world.bring_to(toestand)


# -- BZK's steps --------------------------------------------------------------------------------


@given("BZK heeft de beoordeling gestart")
@when("BZK de beoordeling start")
def _start_screening(world: SpecWorld) -> None:
    world.send("bzk", "start_screening")


@given("BZK heeft het gezamenlijk overleg geopend")
@when("BZK het gezamenlijk overleg opent")
def _open_consultation(world: SpecWorld) -> None:
    world.send("bzk", "open_consultation")


@when("BZK het gezamenlijk overleg probeert te openen")
def _try_open_consultation(world: SpecWorld) -> None:
    world.attempt("bzk", "open_consultation")


@when("BZK de zaak buiten reikwijdte verklaart")
def _declare_out_of_scope(world: SpecWorld) -> None:
    world.send("bzk", "declare_out_of_scope")


@when("BZK de zaak buiten reikwijdte probeert te verklaren")
def _try_declare_out_of_scope(world: SpecWorld) -> None:
    world.attempt("bzk", "declare_out_of_scope")


def _advice(gemeente: str, considerations: dict[str, object] | None) -> dict[str, object]:
    payload: dict[str, object] = {
        "location": gemeente,
        "rationale": "Past bij de kansen en opgaven van de regio",
    }
    if considerations is not None:
        payload["considerations"] = considerations
    return payload


def _considerations(datatable: list[list[str]]) -> dict[str, object]:
    header, *rows = datatable
    columns = {name: index for index, name in enumerate(header)}
    weighed: dict[str, object] = {}
    for row in rows:
        note = row[columns["toelichting"]].strip() if "toelichting" in columns else ""
        weighed[consideration_key(row[columns["afweging"]])] = {
            "applies": yes_no(row[columns["speelt een rol"]]),
            "note": note or None,
        }
    return weighed


_NOTHING_APPLIES = {key: "nee" for key in ("primary_process", "legal_location", "housing_cost")}


@given(parsers.parse("BZK heeft advies uitgebracht om de dienst in {gemeente} te vestigen"))
@when(parsers.parse("BZK advies uitbrengt om de dienst in {gemeente} te vestigen"))
def _issue_advice(world: SpecWorld, gemeente: str) -> None:
    world.send("bzk", "issue_advice", _advice(gemeente, dict(_NOTHING_APPLIES)))


@given(
    parsers.parse(
        'BZK heeft advies uitgebracht om de dienst in {gemeente} te vestigen, want "{waarom}"'
    )
)
def _issue_advice_justified(world: SpecWorld, gemeente: str, waarom: str) -> None:
    payload = _advice(gemeente, dict(_NOTHING_APPLIES))
    # Every flag the case has now is justified by the advice, for the reason given.
    flags = world.case()["flags"]
    payload["justifications"] = {rules.FLAG_ID_OF[f]: waarom for f in flags}
    world.send("bzk", "issue_advice", payload)


@when(
    parsers.parse("BZK advies uitbrengt om de dienst in {gemeente} te vestigen, met de afwegingen:")
)
def _issue_advice_weighed(world: SpecWorld, gemeente: str, datatable: list[list[str]]) -> None:
    world.send("bzk", "issue_advice", _advice(gemeente, _considerations(datatable)))


@when(
    parsers.parse(
        "BZK advies probeert uit te brengen om de dienst in {gemeente} te vestigen, "
        "met de afwegingen:"
    )
)
def _try_advice_weighed(world: SpecWorld, gemeente: str, datatable: list[list[str]]) -> None:
    world.attempt("bzk", "issue_advice", _advice(gemeente, _considerations(datatable)))


@when(
    parsers.parse(
        "BZK advies probeert uit te brengen om de dienst in {gemeente} te vestigen, "
        "zonder afwegingen"
    )
)
def _try_advice_unweighed(world: SpecWorld, gemeente: str) -> None:
    world.attempt("bzk", "issue_advice", _advice(gemeente, None))


@when(parsers.parse('BZK de zaak opschort omdat "{reden}"'))
def _suspend(world: SpecWorld, reden: str) -> None:
    world.send("bzk", "suspend", {"reason": reden})


@when(parsers.parse('BZK de zaak hervat omdat "{reden}"'))
def _resume(world: SpecWorld, reden: str) -> None:
    world.send("bzk", "resume", {"reason": reden})


# -- the ministry's and the council's steps ------------------------------------------------------


@when("het ministerie om heroverweging van het advies vraagt")
def _reconsider(world: SpecWorld) -> None:
    world.send(world.role("het ministerie"), "reconsider")


@given("het ministerie heeft het advies overgenomen")
@when("het ministerie het advies overneemt")
def _accept_advice(world: SpecWorld) -> None:
    world.send(world.role("het ministerie"), "accept_advice", {})


@given(
    parsers.parse(
        'het ministerie heeft een ander voorstel gedaan: {gemeente}, omdat "{motivering}"'
    )
)
@when(parsers.parse('het ministerie een ander voorstel doet: {gemeente}, omdat "{motivering}"'))
def _propose_alternative(world: SpecWorld, gemeente: str, motivering: str) -> None:
    payload = {"location": gemeente, "motivation": motivering}
    world.send(world.role("het ministerie"), "propose_alternative", payload)


@given("BZK heeft ingestemd met het tegenvoorstel")
@when("BZK instemt met het tegenvoorstel")
def _consent(world: SpecWorld) -> None:
    world.send("bzk", "consent", {})


@when(parsers.parse('BZK de zaak voorlegt aan de ministerraad, omdat "{motivering}"'))
def _bzk_escalates(world: SpecWorld, motivering: str) -> None:
    world.send("bzk", "escalate_to_mr", {"motivation": motivering})


@when(
    parsers.parse('BZK de zaak probeert voor te leggen aan de ministerraad, omdat "{motivering}"')
)
def _bzk_tries_to_escalate(world: SpecWorld, motivering: str) -> None:
    world.attempt("bzk", "escalate_to_mr", {"motivation": motivering})


@when(
    parsers.parse(
        "BZK de zaak probeert voor te leggen aan de ministerraad met als keuze van het "
        'departement {gemeente}, omdat "{motivering}"'
    )
)
def _bzk_tries_to_state_the_choice(world: SpecWorld, gemeente: str, motivering: str) -> None:
    world.attempt("bzk", "escalate_to_mr", {"location": gemeente, "motivation": motivering})


@given(parsers.parse("het ministerie heeft een voornemen gemeld: {plan}"))
def _intention(world: SpecWorld, plan: str) -> None:
    parsed = parse_plan(plan)
    world.register(organisation_name("Belastingdienst"), parsed, stage="voornemen")


@when(parsers.parse("het ministerie het plan indient met {fte:d} fte"))
def _submit_plan(world: SpecWorld, fte: int) -> None:
    world.send(world.role("het ministerie"), "submit_plan", {"fte": fte})


@when(parsers.parse("het ministerie probeert te besluiten tot {fte:d} fte in {gemeente}"))
def _try_decide(world: SpecWorld, fte: int, gemeente: str) -> None:
    world.attempt(world.role("het ministerie"), "decide", {"location": gemeente, "fte": fte})


@when(
    parsers.parse(
        'het ministerie besluit tot {fte:d} fte in {gemeente} met de motivering "{motivering}"'
    )
)
def _decide_motivated(world: SpecWorld, fte: int, gemeente: str, motivering: str) -> None:
    payload = {"location": gemeente, "fte": fte, "motivation": motivering}
    world.send(world.role("het ministerie"), "decide", payload)


@when(
    parsers.parse(
        "de ministerraad probeert te besluiten tot vestiging in {gemeente} zonder motivering"
    )
)
def _try_mr_unmotivated(world: SpecWorld, gemeente: str) -> None:
    world.attempt("mr", "record_mr_decision", {"location": gemeente})


@given(
    parsers.parse(
        "het ministerie heeft de zaak voorgelegd aan de ministerraad met als eigen keuze "
        '{gemeente}, omdat "{motivering}"'
    )
)
@when(
    parsers.parse(
        "het ministerie de zaak voorlegt aan de ministerraad met als eigen keuze "
        '{gemeente}, omdat "{motivering}"'
    )
)
def _escalate(world: SpecWorld, gemeente: str, motivering: str) -> None:
    payload = {"location": gemeente, "motivation": motivering}
    world.send(world.role("het ministerie"), "escalate_to_mr", payload)


@when(parsers.parse("het ministerie besluit tot {fte:d} fte in {gemeente}, {advies}"))
def _decide(world: SpecWorld, fte: int, gemeente: str, advies: str) -> None:
    # Whether it follows the advice is computed from the places; the words say what to expect.
    world.send(world.role("het ministerie"), "decide", {"location": gemeente, "fte": fte})
    deviates = not follows_advice(advies)
    assert world.case()["dossier"]["decision"]["deviates_from_advice"] is deviates


@when(parsers.parse("de ministerraad besluit tot vestiging in {gemeente}, {advies}"))
def _record_mr_decision(world: SpecWorld, gemeente: str, advies: str) -> None:
    payload: dict[str, object] = {"location": gemeente}
    if not follows_advice(advies):
        payload["motivation"] = "De ministerraad weegt de regio zwaarder"
    world.send("mr", "record_mr_decision", payload)


@when(parsers.parse('{wie} de zaak intrekt omdat "{reden}"'))
def _withdraw(world: SpecWorld, wie: str, reden: str) -> None:
    world.send(world.role(wie), "withdraw", {"reason": reden})


@when(parsers.parse('{wie} de stap "{stap}" probeert te zetten'), converters=EVENT)
def _try_step(world: SpecWorld, wie: str, stap: str) -> None:
    world.attempt(world.role(wie), stap, world.default_payload(stap))


# -- outcomes: state, scope, flags ---------------------------------------------------------------


@then(parsers.re(r"staat de zaak (?:nog |weer )?op (?P<toestand>.+)"), converters=STATE)
def _in_state(world: SpecWorld, toestand: str) -> None:
    state = world.case()["state"]
    assert state == toestand, f"the case is on {STATE_LABELS[state]}, not {STATE_LABELS[toestand]}"


@given(
    parsers.parse(
        'BZK stelt leidraad "{versie}" vast met een drempel van {drempel:d} fte, '
        "geldig vanaf {datum}"
    )
)
def _new_leidraad(world: SpecWorld, versie: str, drempel: int, datum: str) -> None:
    from spreiding.models.db import session_scope as scope
    from spreiding.statemachine import leidraad

    content = leidraad.to_toml(
        {**leidraad.BUILTIN, "version": versie,
         "scope": {**leidraad.BUILTIN["scope"], "threshold_fte": drempel}}
    )  # fmt: skip
    path = world.tmp_file("leidraad.toml", content)
    with scope() as session:
        leidraad.add_version(
            session, path, effective=parse_date(datum), actor="Beleidsmedewerker BZK",
            role="bzk", today=world.context().today,
        )  # fmt: skip


@then(parsers.parse('is de zaak beoordeeld volgens leidraad "{versie}"'))
def _screened_under(world: SpecWorld, versie: str) -> None:
    assert world.case()["ruleset_version"] == versie


@then(parsers.parse("valt de zaak {oordeel} de reikwijdte"))
def _scope(world: SpecWorld, oordeel: str) -> None:
    expected = {"binnen": True, "buiten": False}[oordeel]
    assert world.case()["in_scope"] is expected


@then("krijgt de zaak geen signaal")
def _no_flags(world: SpecWorld) -> None:
    assert world.case()["flags"] == []


@then(parsers.parse('krijgt de zaak het signaal "{signaal}"'))
def _flag(world: SpecWorld, signaal: str) -> None:
    assert world.case()["flags"] == [signaal]


@then("is de zaak afgesloten")
def _closed(world: SpecWorld) -> None:
    case = world.case()
    assert case["state"] in FINAL_STATES, f"{case['state_label']} is not a closing state"
    assert case["allowed_events"] == [] and case["due_date"] is None


# -- outcomes: refusals --------------------------------------------------------------------------


def _refused(world: SpecWorld) -> str:
    assert world.refusal is not None, "the step was accepted, not refused"
    return str(world.refusal)


@then(parsers.parse("wordt dat geweigerd omdat {reden}"))
def _refused_because(world: SpecWorld, reden: str) -> None:
    message = _refused(world)
    assert reason_text(reden) in message, f"the refusal says: {message}"


@then(parsers.parse("is de stap {uitkomst}"))
def _step_outcome(world: SpecWorld, uitkomst: str) -> None:
    if uitkomst == "gelukt":
        assert world.refusal is None, f"refused: {world.refusal}"
    elif uitkomst == "geweigerd":
        _refused(world)
    else:
        raise ValueError(f"expected gelukt or geweigerd, got {uitkomst!r}")


@then("wordt het advies geweigerd omdat de afwegingen ontbreken")
def _advice_without_considerations(world: SpecWorld) -> None:
    message = _refused(world)
    assert "(issue_advice) vraagt om 'considerations'" in message, message


@then(parsers.parse("wordt het advies geweigerd omdat de afweging {afweging} ontbreekt"))
def _advice_missing(world: SpecWorld, afweging: str) -> None:
    message = _refused(world)
    missing = message.partition("ontbreekt: ")[2]
    assert f"({consideration_key(afweging)})" in missing, message


@then("is er niets aan de audittrail toegevoegd")
def _nothing_written(world: SpecWorld) -> None:
    assert world.trail_before is not None, "no step was attempted"
    assert len(world.trail()) == world.trail_before


@then(parsers.parse("kan {wie} nu deze stappen zetten:"))
def _allowed(world: SpecWorld, wie: str, datatable: list[list[str]]) -> None:
    _header, *rows = datatable
    allowed = world.case(world.role(wie))["allowed_events"]
    assert sorted(EVENT_LABELS[e] for e in allowed) == sorted(event_id_label(r[0]) for r in rows)


def event_id_label(label: str) -> str:
    """The label itself, after checking it names an event of the lifecycle."""
    return EVENT_LABELS[event_id(label)]


# -- outcomes: deadlines -------------------------------------------------------------------------


def _due(world: SpecWorld) -> date:
    due = world.case()["due_date"]
    assert due is not None, "the case has no deadline"
    return date.fromisoformat(due)


@step(parsers.parse("verloopt de termijn op {datum}"))
def _due_on(world: SpecWorld, datum: str) -> None:
    due = _due(world)
    assert due == parse_date(datum), f"the deadline is {dutch_date(due)}"


@then(parsers.parse("verloopt de termijn {dagen:d} werkdagen later dan voor het opschorten"))
def _due_moved(world: SpecWorld, dagen: int) -> None:
    from spreiding.statemachine.calendar import working_days_between

    before = world.due_before_suspension
    assert before is not None, "the case was not suspended in this scenario"
    assert working_days_between(before, _due(world)) == dagen


@then("staat de zaak in de lijst van te late zaken")
def _overdue(world: SpecWorld) -> None:
    assert world.case_id in world.overdue()


@then("staat de zaak niet in de lijst van te late zaken")
def _not_overdue(world: SpecWorld) -> None:
    assert world.case_id not in world.overdue()


# -- outcomes: advice, dossier, decision --------------------------------------------------------


def _dossier(world: SpecWorld, part: str) -> dict:
    found = world.case()["dossier"].get(part)
    assert found, f"the dossier has no {part}"
    return found


@then(parsers.parse("telt het plan {fte:d} fte"))
def _plan_fte(world: SpecWorld, fte: int) -> None:
    assert world.case()["fte"] == fte


@then(parsers.parse("is de overeengekomen locatie {gemeente}"))
def _agreed_location(world: SpecWorld, gemeente: str) -> None:
    assert _dossier(world, "agreement")["location"] == municipality_code(gemeente)


@then(parsers.parse('vermeldt het dossier de motivering van het departement "{motivering}"'))
def _department_motivation(world: SpecWorld, motivering: str) -> None:
    assert _dossier(world, "escalation")["department"]["motivation"] == motivering


@then(parsers.parse("luidt het BZK-advies: {gemeente}"))
def _advice_location(world: SpecWorld, gemeente: str) -> None:
    assert _dossier(world, "advice")["location"] == municipality_code(gemeente)


@then(
    parsers.parse("bevat het dossier voor de ministerraad de keuze van het departement: {gemeente}")
)
def _department_choice(world: SpecWorld, gemeente: str) -> None:
    escalation = _dossier(world, "escalation")
    assert escalation["department"]["location"] == municipality_code(gemeente)


@then(parsers.parse("bevat hetzelfde dossier het BZK-advies: {gemeente}"))
def _escalated_advice(world: SpecWorld, gemeente: str) -> None:
    escalation = _dossier(world, "escalation")
    assert escalation["bzk_advice"]["location"] == municipality_code(gemeente)


@then(parsers.parse("is het besluit genomen door {wie}"))
def _decided_by(world: SpecWorld, wie: str) -> None:
    expected = {"het ministerie": "ministry", "de ministerraad": "mr"}[wie]
    assert _dossier(world, "decision")["by"] == expected


@then("wijkt het besluit niet af van het advies")
def _follows(world: SpecWorld) -> None:
    assert _dossier(world, "decision")["deviates_from_advice"] is False


@then("wijkt het besluit af van het advies")
def _deviates(world: SpecWorld) -> None:
    assert _dossier(world, "decision")["deviates_from_advice"] is True


@then(parsers.parse("vermeldt het besluit dat het BZK-advies {gemeente} was"))
def _decision_records_advice(world: SpecWorld, gemeente: str) -> None:
    assert _dossier(world, "decision")["advice_location"] == municipality_code(gemeente)


@then("staat het besluit van de ministerraad in de audittrail")
def _mr_decision_in_trail(world: SpecWorld) -> None:
    last = world.trail()[-1]
    assert (last["event"], last["role"]) == ("record_mr_decision", "mr")
    assert last["payload"]["motivation"]


@then("bevat het advies alle drie de afwegingen")
def _three_considerations(world: SpecWorld) -> None:
    weighed = _dossier(world, "advice")["considerations"]
    assert sorted(weighed) == sorted(("primary_process", "legal_location", "housing_cost"))


@then(parsers.parse('staat bij de afweging {afweging} de toelichting "{toelichting}"'))
def _consideration_note(world: SpecWorld, afweging: str, toelichting: str) -> None:
    weighed = _dossier(world, "advice")["considerations"][consideration_key(afweging)]
    assert weighed["note"] == toelichting


@then(parsers.parse('onderbouwt de afweging {afweging} het signaal "{signaal}"'))
def _justifies(world: SpecWorld, afweging: str, signaal: str) -> None:
    justification = _dossier(world, "advice")["flag_justification"]
    assert consideration_key(afweging) in justification.get(signaal, [])


# -- outcomes: who sees what ---------------------------------------------------------------------


@then("is de zaak zichtbaar voor:")
def _visible_for(world: SpecWorld, datatable: list[list[str]]) -> None:
    _header, *rows = datatable
    for wie, ziet in rows:
        shown = world.cli("case", "show", str(world.case_id), "--as", world.role(wie))
        assert (shown.exit_code == 0) is yes_no(ziet), f"{wie}: {shown.stderr or 'visible'}"
        if not yes_no(ziet):
            assert f"Zaak {world.case_id} bestaat niet" in shown.stderr


@then(parsers.re(r"staat de zaak (?P<wel>niet|wel) in het overzicht van (?P<wie>.+)"))
def _listed_for(world: SpecWorld, wel: str, wie: str) -> None:
    listed = world.cli("case", "list", "--as", world.role(wie), "--json").json()
    assert (world.case_id in [c["id"] for c in listed]) is (wel == "wel")


# -- the audit trail ------------------------------------------------------------------------------


@then("bevat de audittrail na de aanmelding precies deze stappen:")
def _trail_is(world: SpecWorld, datatable: list[list[str]]) -> None:
    _header, *rows = datatable
    trail = world.trail()
    assert trail[0]["event"] == "register"
    seen = [
        [
            EVENT_LABELS[e["event"]],
            STATE_LABELS[e["from"]],
            STATE_LABELS[e["to"]],
            world.who(e["role"]),
        ]
        for e in trail[1:]
    ]
    assert seen == [[cell.strip() for cell in row] for row in rows]


@step("is de audittrail intact")
def _trail_intact(world: SpecWorld) -> None:
    result = world.cli("case", "verify", str(world.case_id), "--as", "bzk")
    assert result.exit_code == 0, result.stdout + result.stderr


@when(parsers.parse("iemand regel {regel:d} van de audittrail probeert te wijzigen"))
def _try_tamper(world: SpecWorld, regel: int) -> None:
    world.refusal = None
    try:
        with world.database.engine().begin() as connection:
            connection.execute(
                text("UPDATE case_event SET actor = 'Mallory' WHERE case_id = :c AND seq = :s"),
                {"c": world.case_id, "s": regel},
            )
    except Exception as exc:  # the database's own refusal, whatever its driver calls it
        world.refusal = exc  # type: ignore[assignment]


@then("weigert de database dat")
def _database_refused(world: SpecWorld) -> None:
    assert world.refusal is not None and "append-only" in str(world.refusal)


@when(
    parsers.parse(
        "een beheerder de beveiliging van de audittrail uitschakelt en in regel {regel:d} "
        "de naam van de handelende persoon wijzigt"
    )
)
def _tamper(world: SpecWorld, regel: int) -> None:
    engine = world.database.engine()
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER case_event_no_update"))
        else:
            connection.execute(text("DROP TRIGGER case_event_append_only ON case_event"))
        connection.execute(
            text("UPDATE case_event SET actor = 'Mallory' WHERE case_id = :c AND seq = :s"),
            {"c": world.case_id, "s": regel},
        )


@when(
    parsers.parse("een beheerder de toestand van de zaak buiten het systeem om op {toestand} zet"),
    converters=STATE,
)
def _tamper_state(world: SpecWorld, toestand: str) -> None:
    with world.database.engine().begin() as connection:
        connection.execute(
            text("UPDATE location_case SET state = :s WHERE id = :c"),
            {"s": toestand, "c": world.case_id},
        )


def _verify(world: SpecWorld) -> str:
    result = world.cli("case", "verify", str(world.case_id), "--as", "bzk", "--json")
    assert result.exit_code == 1, "the check found nothing wrong"
    [outcome] = result.json()
    return str(outcome["problem"])


@then(parsers.parse("ontdekt de controle dat regel {regel:d} van de audittrail is gewijzigd"))
def _detected_edit(world: SpecWorld, regel: int) -> None:
    problem = _verify(world)
    assert problem.startswith(f"event {regel} ") and "edited" in problem, problem


@then("ontdekt de controle dat de toestand niet klopt met de audittrail")
def _detected_state(world: SpecWorld) -> None:
    assert "differs from the replayed trail" in _verify(world)


@when(
    "een beheerder de beveiliging van de audittrail uitschakelt, in regel 2 de naam van de "
    "handelende persoon wijzigt en alle vingerafdrukken opnieuw berekent"
)
def _tamper_and_rehash(world: SpecWorld) -> None:
    with world.database.engine().begin() as connection:
        unguarded(connection)
        connection.execute(
            text("UPDATE case_event SET actor = 'Mallory' WHERE case_id = :c AND seq = 2"),
            {"c": world.case_id},
        )
        plain_rehash(connection, world.case_id)


@then("ontdekt de controle dat de audittrail is gewijzigd")
def _detected_rehash(world: SpecWorld) -> None:
    assert "edited" in _verify(world)


@when(
    parsers.parse(
        "een beheerder de laatste stap uit de audittrail verwijdert en de zaak terugzet op "
        "{toestand}"
    ),
    converters=STATE,
)
def _remove_last_event(world: SpecWorld, toestand: str) -> None:
    with world.database.engine().begin() as connection:
        unguarded(connection)
        last = connection.scalar(
            text("SELECT max(seq) FROM case_event WHERE case_id = :c"), {"c": world.case_id}
        )
        connection.execute(
            text("DELETE FROM case_event WHERE case_id = :c AND seq = :s"),
            {"c": world.case_id, "s": last},
        )
        connection.execute(
            text("UPDATE location_case SET state = :s, version = version - 1 WHERE id = :c"),
            {"s": toestand, "c": world.case_id},
        )


@then("ontdekt de controle dat er stappen uit de audittrail zijn verwijderd")
def _detected_removal(world: SpecWorld) -> None:
    assert "events were removed" in _verify(world)


@when("een beheerder de zaak met haar audittrail verwijdert")
def _delete_case(world: SpecWorld) -> None:
    with world.database.engine().begin() as connection:
        unguarded(connection)
        for statement in (
            "DELETE FROM case_event WHERE case_id = :c",
            "DELETE FROM audit_anchor WHERE case_id = :c",
            "DELETE FROM location_case WHERE id = :c",
        ):
            connection.execute(text(statement), {"c": world.case_id})


@then("ontdekt de controle dat er een zaak is verwijderd")
def _detected_deletion(world: SpecWorld) -> None:
    result = world.cli("case", "verify", "--all", "--as", "bzk", "--json")
    assert result.exit_code == 1, "the check found nothing wrong"
    problems = [r["problem"] for r in result.json() if not r["ok"]]
    assert any("a case was deleted with its trail" in p for p in problems), problems
