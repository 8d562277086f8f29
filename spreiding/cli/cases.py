"""The ``spreiding case`` and ``spreiding lifecycle`` commands.

``case`` registers plans, sends lifecycle events, shows, lists and verifies cases; every
command acts ``--as`` a role and, when it writes, names the ``--actor`` for the audit trail.
``lifecycle`` checks the StateChart formally and draws it. Each command is one unit of work:
a refused event or a mistake prints one line and exits 2 with nothing written.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from spreiding.cli.common import (
    JsonOption,
    PlainTable,
    check_role,
    console,
    emit_json,
    open_store,
    styled,
)
from spreiding.core.errors import InvalidInput
from spreiding.statemachine import rules

case_app = typer.Typer(
    help="Location cases: register, send events, show, list, verify.", no_args_is_help=True
)
lifecycle_app = typer.Typer(
    help="The case lifecycle: formal checks and diagrams.", no_args_is_help=True
)

RoleOption = Annotated[
    str, typer.Option("--as", help="Your role: bzk, ministry:<CODE>, mr or viewer.")
]
ActorOption = Annotated[str, typer.Option("--actor", help="Your name, for the audit trail.")]
ViewRole = Annotated[str, typer.Option("--as", help="Role to view as (bzk sees every case).")]
MAX_ID = 2**31 - 1  # the largest id PostgreSQL's integer column holds
CaseId = Annotated[int, typer.Argument(help="The case number.", min=1, max=MAX_ID)]
CONSIDERATION_KEYS = rules.CONSIDERATIONS


def register(app: typer.Typer) -> None:
    """Add the ``case`` and ``lifecycle`` command groups to the main app."""
    from spreiding.cli.leidraad import leidraad_app

    app.add_typer(case_app, name="case")
    app.add_typer(lifecycle_app, name="lifecycle")
    app.add_typer(leidraad_app, name="leidraad")


def current_context() -> Any:
    """The rules' context from the settings: Randstad, service norms and today."""
    from spreiding.core.settings import get_settings
    from spreiding.statemachine.service import Context

    settings = get_settings()
    return Context(settings.randstad, settings.norms, settings.current_date())


def cli_principal(actor: str, role: str) -> Any:
    """Who acts on the command line: ``--actor`` in ``--as`` role, via cli, with the OS user."""
    import getpass

    from spreiding.core.principal import Principal

    return Principal(role=role, name=actor, via="cli", os_user=getpass.getuser())


def anchor_existing_trails() -> int:
    """For ``init``: make sure the audit key exists and anchor trails written before it."""
    from spreiding.models.db import get_engine, session_scope
    from spreiding.statemachine.service import anchor_existing_trails as anchor

    with session_scope(get_engine()) as session:
        return anchor(session)


def _flag_id(key: str, flag: str) -> str:
    if flag not in rules.FLAG_IDS:
        raise InvalidInput(
            f"--set {key}: noem het aandachtspunt als justify.<punt>, met <punt> een van: "
            f"{', '.join(rules.FLAG_IDS)}"
        )
    return flag


def parse_settings(pairs: list[str]) -> dict[str, Any]:  # noqa: C901 - one branch per kind of key
    """Turn ``--set KEY=VALUE`` pairs into an event payload.

    The three considerations of an advice are given as ``primary_process=ja`` and, with a
    note, ``primary_process.note=...``; they are gathered under ``considerations``. Why a
    flag is justified is given as ``justify.<flag>=TEXT`` (``justify.groei_in_randstad``),
    gathered under ``justifications``.
    """
    payload: dict[str, Any] = {}
    considerations: dict[str, dict[str, Any]] = {}
    justifications: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InvalidInput(f"--set vraagt om SLEUTEL=WAARDE, niet {pair!r}")
        name, _, sub = key.partition(".")
        if name == "justify":
            justifications[_flag_id(key, sub)] = value
        elif name in CONSIDERATION_KEYS:
            if sub not in ("", "note"):
                raise InvalidInput(
                    f"--set {key}: een afweging kent alleen '{name}.note' (de toelichting)"
                )
            considerations.setdefault(name, {})["note" if sub == "note" else "applies"] = value
        elif sub:
            raise InvalidInput(f"--set {key}: alleen de afwegingen kennen een '.note'")
        else:
            payload[key] = value
    for name, value in considerations.items():
        if "applies" not in value:
            raise InvalidInput(f"--set {name}.note gegeven zonder --set {name}=ja|nee")
    if considerations:
        payload["considerations"] = considerations
    if justifications:
        payload["justifications"] = justifications
    return payload


def _emit_case(data: dict[str, Any], role: str, as_json: bool, *, events: bool = True) -> None:
    """Print a case's JSON form (:func:`~spreiding.statemachine.service.case_json`)."""
    if as_json:
        emit_json(data)
        return
    console.print(
        styled(
            (f"Zaak {data['id']}", "bold"),
            f" {data['case_type']} {data['fte']} fte, "
            f"{data['organisation']} ({data['ministry_code']}), "
            + (data["location"]["name"] if data["location"] else "locatie nog niet gekozen")
            + (f" → {data['target']['name']}" if data["target"] else "")
            + f" [{data['confidentiality']}]",
        )
    )
    console.print(
        styled(
            "Toestand: ",
            (data["state_label"], "bold"),
            f" ({data['state']})" + (f", termijn {data['due_date']}" if data["due_date"] else ""),
        )
    )
    for flag in data["flags"]:
        console.print(styled(("Principe:", "yellow"), " ", flag))
    if data["allowed_events"]:
        console.print(f"Mogelijk voor {role}: {', '.join(data['allowed_events'])}")
    if not events:
        return
    table = PlainTable("#", "event", "van", "naar", "door", "rol", "tijd (UTC)", title="Audittrail")
    for e in data["events"]:
        table.add_row(
            str(e["seq"]), e["event"], e["from"] or "", e["to"], e["actor"], e["role"], e["at"][:19]
        )
    console.print(table)


@case_app.command("register")
def case_register(
    org: Annotated[
        list[str],
        typer.Option(
            help="Organisation code or name; a masterplan or vtw: ORG:FTE per organisation "
            "covered (repeatable), the case's fte is their sum."
        ),
    ],
    case_type: Annotated[
        str, typer.Option("--type", help="groei, krimp, nieuw, hervestiging, masterplan or vtw.")
    ],
    role: RoleOption,
    actor: ActorOption,
    fte: Annotated[
        float | None, typer.Option(help="Size of the change in fte (an intention: estimate).")
    ] = None,
    location: Annotated[
        str | None,
        typer.Option(
            help="Municipality (CBS code or name); nieuw, masterplan and vtw may leave it to BZK."
        ),
    ] = None,
    target: Annotated[
        str | None, typer.Option(help="Intended municipality; where a relocation goes to.")
    ] = None,
    stage: Annotated[
        str | None, typer.Option(help="voornemen: report an intention early (state Voornemen).")
    ] = None,
    period: Annotated[
        str | None, typer.Option(help="An intention's time frame, e.g. '2027-2029'.")
    ] = None,
    area: Annotated[
        str | None, typer.Option(help="A masterplan's area: a province (code or name) or DEN-HAAG.")
    ] = None,
    masterplan: Annotated[
        int | None, typer.Option(help="The masterplan case a vtw changes.", min=1, max=MAX_ID)
    ] = None,
    rvb_contact: Annotated[
        str | None, typer.Option(help="The contact at the Rijksvastgoedbedrijf (a party).")
    ] = None,
    confidentiality: Annotated[str, typer.Option(help="openbaar, intern or vertrouwelijk.")] = (
        "intern"
    ),
    title: Annotated[str | None, typer.Option(help="A short description.")] = None,
    handler: Annotated[str | None, typer.Option(help="E-mail of the BZK handler.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Register a plan as a new case (state Aangemeld), or an intention (--stage voornemen)."""
    from spreiding.models.db import session_scope
    from spreiding.statemachine.service import case_json, register_case

    covers = [o for o in org if ":" in o]
    if covers and len(covers) != len(org):
        raise InvalidInput("--org: geef elke organisatie als ORG:FTE, of geef één organisatie")
    if not covers and len(org) != 1:
        raise InvalidInput(
            "--org: één organisatie; een masterplan of vtw noemt elke organisatie als ORG:FTE"
        )
    if fte is None and not covers:
        raise InvalidInput("--fte: geef de omvang van de verandering in fte")
    with session_scope(open_store()) as session:
        who = cli_principal(actor, check_role(session, role))
        case = register_case(
            session,
            current_context(),
            who,
            organisation=org[0].rpartition(":")[0] if covers else org[0],
            case_type=case_type,
            fte=fte or 0.0,
            area=area,
            covers=covers or None,
            masterplan=masterplan,
            rvb_contact=rvb_contact,
            location=location,
            target=target,
            confidentiality=confidentiality,
            title=title,
            handler_email=handler,
            stage=stage,
            period=period,
        )
        data = case_json(session, case, role)
    _emit_case(data, role, as_json, events=False)  # after the commit: see common's docstring


@case_app.command("send")
def case_send(
    case_id: CaseId,
    event: Annotated[str, typer.Argument(help="The event id, e.g. issue_advice.")],
    role: RoleOption,
    actor: ActorOption,
    values: Annotated[
        list[str] | None, typer.Option("--set", help="KEY=VALUE data for the event (repeatable).")
    ] = None,
    reason: Annotated[str | None, typer.Option(help="Why (withdraw, suspend, resume).")] = None,
    expect_version: Annotated[
        int | None, typer.Option(help="Refuse if the case changed since this version.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Send a lifecycle event to a case."""
    from spreiding.models.db import session_scope
    from spreiding.statemachine.service import case_json, send_event

    payload = parse_settings(values or [])
    if reason is not None:
        payload["reason"] = reason
    with session_scope(open_store()) as session:
        who = cli_principal(actor, check_role(session, role))
        case = send_event(
            session,
            current_context(),
            who,
            case_id,
            event,
            payload,
            expected_version=expect_version,
        )
        data = case_json(session, case, role)
    _emit_case(data, role, as_json, events=False)  # after the commit: see common's docstring


@case_app.command("show")
def case_show(
    case_id: CaseId,
    role: ViewRole = "viewer",
    as_json: JsonOption = False,
) -> None:
    """Show a case: state, allowed events for the role, flags, due date and audit trail."""
    from spreiding.models.db import session_scope
    from spreiding.statemachine.rules import parse_role
    from spreiding.statemachine.service import case_json, get_case

    parse_role(role)
    with session_scope(open_store()) as session:
        check_role(session, role)
        data = case_json(session, get_case(session, case_id, role), role)
    _emit_case(data, role, as_json)


@case_app.command("list")
def case_list(
    state: Annotated[str | None, typer.Option(help="Only cases in this state (id).")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only cases past due.")] = False,
    due_within: Annotated[
        int | None,
        typer.Option(help="Only cases due within N working days (overdue included).", max=2600),
    ] = None,
    role: ViewRole = "viewer",
    as_json: JsonOption = False,
) -> None:
    """List cases by due date, filtered by state or deadline."""
    from spreiding.models.db import session_scope
    from spreiding.statemachine.chart import is_overdue
    from spreiding.statemachine.rules import parse_role
    from spreiding.statemachine.service import cases_json, list_cases

    parse_role(role)
    ctx = current_context()
    with session_scope(open_store()) as session:
        check_role(session, role)
        cases = list_cases(session, ctx, role, state=state, overdue=overdue, due_within=due_within)
        rows = cases_json(session, cases, role)
    if as_json:
        emit_json(rows)
        return
    table = PlainTable(
        "id",
        "type",
        "fte",
        "organisatie",
        "locatie",
        "toestand",
        "termijn",
        title=f"Zaken (peildatum vandaag {ctx.today.isoformat()})",
    )
    for r in rows:
        due_date = date.fromisoformat(r["due_date"]) if r["due_date"] else None
        late = is_overdue(r["state"], due_date, ctx.today)
        due = styled((f"{r['due_date']} (te laat)", "red")) if late else (r["due_date"] or "")
        table.add_row(
            str(r["id"]),
            r["case_type"],
            str(r["fte"]),
            r["organisation"],
            r["location"]["name"] if r["location"] else "",
            r["state_label"],
            due,
        )
    console.print(table)
    if any("[SYNTHETISCH]" in (r["title"] or "") for r in rows):
        console.print("Demozaken (titel [SYNTHETISCH]) zijn verzonnen en alleen voor de demo.")


@case_app.command("verify")
def case_verify(
    case_id: Annotated[
        int | None, typer.Argument(help="The case number.", min=1, max=MAX_ID)
    ] = None,
    all_cases: Annotated[bool, typer.Option("--all", help="Verify every case.")] = False,
    role: ViewRole = "viewer",
    as_json: JsonOption = False,
) -> None:
    """Replay audit trails through the lifecycle and check their hash chains (exit 1 on a
    mismatch). Only the cases the role may see are verified (BZK sees all)."""
    from spreiding.models.db import session_scope
    from spreiding.statemachine.service import get_case, verify_all, verify_case

    if (case_id is None) == (not all_cases):
        raise InvalidInput("Geef een zaaknummer of --all")
    with session_scope(open_store()) as session:
        check_role(session, role)
        if all_cases:
            results = verify_all(session, role)
        else:
            results = [verify_case(session, get_case(session, case_id, role))]
    if as_json:
        emit_json(
            [
                {"case_id": r.case_id, "events": r.events, "ok": r.ok, "problem": r.problem}
                for r in results
            ]
        )
    bad = [r for r in results if not r.ok]
    if not as_json:
        for r in bad:
            where = f"case {r.case_id}" if r.case_id is not None else "store"
            console.print(styled((f"{where}:", "bold red"), " ", r.problem or ""))
        events = sum(r.events for r in results)
        console.print(
            f"Verified {len(results)} case(s), {events} audit events: "
            + ("all intact." if not bad else f"{len(bad)} with a mismatch.")
        )
    if bad:
        raise typer.Exit(1)


@lifecycle_app.command("check")
def lifecycle_check(as_json: JsonOption = False) -> None:
    """Check the lifecycle formally: reachability, no trap states, labels (exit 1 on a
    violation)."""
    from spreiding.statemachine.checks import check_lifecycle

    result = check_lifecycle()
    if as_json:
        emit_json(result.to_json())
    else:
        for check in result.to_json()["checks"]:
            mark = ("ok", "green") if check["ok"] else ("FOUT", "bold red")
            console.print(styled(mark, f" {check['name']}: {check['details']}"))
    if not result.ok:
        raise typer.Exit(1)


@lifecycle_app.command("diagram")
def lifecycle_diagram(
    fmt: Annotated[str, typer.Option("--format", help="svg, png, mermaid or md.")],
    out: Annotated[Path, typer.Option(help="File to write.")],
    case_id: Annotated[
        int | None, typer.Option("--case", help="Highlight this case's state.", min=1, max=MAX_ID)
    ] = None,
    role: ViewRole = "viewer",
) -> None:
    """Draw the lifecycle from the executable machine, with Dutch labels."""
    from spreiding.statemachine.diagram import render

    if fmt not in ("svg", "png", "mermaid", "md", "dot"):
        raise InvalidInput(f"--format is svg, png, mermaid, md of dot, niet {fmt!r}")
    current = None
    if case_id is not None:
        from spreiding.models.db import session_scope
        from spreiding.statemachine.service import get_case

        with session_scope(open_store()) as session:
            check_role(session, role)
            current = get_case(session, case_id, role).state
    drawing = render(fmt, current=current)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(drawing, bytes):
            out.write_bytes(drawing)
        else:
            out.write_text(drawing, encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"Kan {out} niet schrijven: {exc.strerror or exc}") from None
    console.print(f"Wrote {out}")
