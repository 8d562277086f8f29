"""The ``spreiding zbo`` commands: consultation cycles, recorded talks and the outbox.

``zbo list`` shows every zbo with its ministry, cycle, next due date and last talk (a read:
a zbo without a stored cycle shows the one it would get today, see
:mod:`spreiding.zbo.consultations`); ``zbo record``
records a talk held, which closes the cycle; ``zbo cycle`` changes how often the talk is
due; ``zbo show`` lists one zbo's talks; ``zbo outbox`` shows the e-mails the reminder flows
queued and whether they went out. Nothing here imports Prefect: the flows send the mail.

Case deadline signals are not zbo reminders and may be about vertrouwelijk cases: ``zbo
outbox`` leaves them out, and ``case signals --as ROLE`` (registered here, next to the
outbox view) shows only the signals about cases that role may see in ``case show``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from spreiding.cli.cases import ViewRole, case_app
from spreiding.cli.common import JsonOption, PlainTable, console, emit_json, open_store, styled
from spreiding.core.errors import InvalidInput

zbo_app = typer.Typer(
    help="Zbo's: the location talk per consultation cycle, and the reminder outbox.",
    no_args_is_help=True,
)

OrgArgument = Annotated[str, typer.Argument(help="The zbo's code or full name.")]


def register(app: typer.Typer) -> None:
    """Add the ``zbo`` command group to the main app."""
    app.add_typer(zbo_app, name="zbo")
    case_app.command("signals")(case_signals)


def parse_date(value: str, option: str) -> date:
    """A date given as YYYY-MM-DD; anything else is refused naming the option."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{option} takes a date as YYYY-MM-DD, got {value!r}") from None


def _today() -> date:
    from spreiding.core.settings import get_settings

    return get_settings().current_date()


def _print_state(data: dict) -> None:
    console.print(
        styled(
            (data["name"], "bold"),
            f" ({data['code']}), {data['ministry']}: elke {data['cycle_months']} maanden, "
            f"volgend gesprek uiterlijk {data['next_due']}",
            (" (te laat)" if data["overdue"] else "", "red"),
        )
    )


@zbo_app.command("list")
def zbo_list(as_json: JsonOption = False) -> None:
    """List every zbo: ministry, cycle, next due date and the last talk held."""
    from spreiding.models.db import session_scope
    from spreiding.zbo.consultations import state_json, zbo_states

    today = _today()
    with session_scope(open_store()) as session:
        rows = [state_json(state, today) for state in zbo_states(session, today, store=False)]
    if as_json:
        emit_json(rows)
        return
    table = PlainTable(
        "zbo",
        "ministerie",
        "cyclus",
        "uiterlijk",
        "laatste gesprek",
        "spreiding besproken",
        title=f"Gesprekken met zbo's over de locatie (vandaag {today.isoformat()})",
    )
    for r in rows:
        talk = r["last_talk"]
        due = styled((f"{r['next_due']} (te laat)", "red")) if r["overdue"] else r["next_due"]
        table.add_row(
            f"{r['name']} ({r['code']})",
            r["ministry_code"],
            f"{r['cycle_months']} mnd",
            due,
            talk["held_on"] if talk else "",
            ("ja" if talk["spreading_discussed"] else "nee") if talk else "",
        )
    console.print(table)


@zbo_app.command("record")
def zbo_record(
    org: OrgArgument,
    held_on: Annotated[str, typer.Option(help="The day the talk was held (YYYY-MM-DD).")],
    actor: Annotated[str, typer.Option("--actor", help="Your name, for the record.")],
    discussed: Annotated[
        bool | None,
        typer.Option(
            "--discussed/--not-discussed", help="Whether spreading (location) was discussed."
        ),
    ] = None,
    outcome: Annotated[
        str | None, typer.Option(help="The outcome, or the options for spreading found.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Record a talk held with a zbo; the next talk is due one cycle after it."""
    from spreiding.models.db import session_scope
    from spreiding.zbo.consultations import get_zbo, record_talk, talk_json

    if discussed is None:
        raise InvalidInput("say whether spreading was discussed: --discussed or --not-discussed")
    day = parse_date(held_on, "--held-on")
    with session_scope(open_store()) as session:
        talk, cycle = record_talk(
            session,
            org,
            held_on=day,
            discussed=discussed,
            outcome=outcome,
            actor=actor,
            today=_today(),
        )
        data = {
            "zbo": get_zbo(session, org).code,
            **talk_json(talk),
            "next_due": cycle.next_due.isoformat(),
        }
    if as_json:
        emit_json(data)
        return
    console.print(
        f"Gesprek van {data['held_on']} vastgelegd"
        f" (spreiding {'besproken' if discussed else 'niet besproken'}). "
        f"Volgend gesprek uiterlijk {data['next_due']}."
    )


@zbo_app.command("cycle")
def zbo_cycle(
    org: OrgArgument,
    months: Annotated[int, typer.Option(help="How often the talk is due, in months (1-60).")],
    next_due: Annotated[
        str | None,
        typer.Option(help="Set the next due date (YYYY-MM-DD) instead of moving it along."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Change a zbo's consultation cycle; the next due date moves with it."""
    from spreiding.models.db import session_scope
    from spreiding.zbo.consultations import set_cycle, state_json, zbo_state

    due = parse_date(next_due, "--next-due") if next_due is not None else None
    today = _today()
    with session_scope(open_store()) as session:
        set_cycle(session, org, months=months, today=today, next_due=due)
        data = state_json(zbo_state(session, org, today), today)
    if as_json:
        emit_json(data)
    else:
        _print_state(data)


@zbo_app.command("show")
def zbo_show(org: OrgArgument, as_json: JsonOption = False) -> None:
    """Show one zbo's cycle and every talk recorded."""
    from spreiding.models.db import session_scope
    from spreiding.zbo.consultations import state_json, talk_json, talks, zbo_state

    today = _today()
    with session_scope(open_store()) as session:
        state = zbo_state(session, org, today, store=False)
        data = {
            **state_json(state, today),
            "talks": [talk_json(t) for t in talks(session, state.organisation.id)],
        }
    if as_json:
        emit_json(data)
        return
    _print_state(data)
    table = PlainTable(
        "gehouden", "voor ronde", "spreiding besproken", "uitkomst", "vastgelegd door"
    )
    for t in data["talks"]:
        table.add_row(
            t["held_on"],
            t["for_due"],
            "ja" if t["spreading_discussed"] else "nee",
            t["outcome"] or "",
            t["recorded_by"],
        )
    console.print(table)


@zbo_app.command("outbox")
def zbo_outbox(
    pending: Annotated[bool, typer.Option("--pending", help="Only messages not sent yet.")] = False,
    kind: Annotated[
        str | None, typer.Option(help="Only this kind, e.g. zbo-reminder or inventory-missing.")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Show the e-mails the reminder flows queued: to whom, when sent, failed attempts.

    Case deadline signals are shown by ``spreiding case signals --as ROLE``, not here.
    """
    from spreiding.mail.outbox import outbox_json, outbox_messages
    from spreiding.models.db import session_scope
    from spreiding.statemachine.signals import CASE_KIND

    if limit < 1:
        raise InvalidInput(f"--limit must be 1 or more, got {limit}")
    if kind == CASE_KIND:
        raise InvalidInput("case deadline signals are shown by: spreiding case signals --as ROLE")
    with session_scope(open_store()) as session:
        messages = outbox_messages(session, pending=pending, kind=kind)
        rows = [outbox_json(m) for m in messages if m.kind != CASE_KIND][:limit]
    _print_outbox(rows, pending=pending, as_json=as_json, title="Outbox")


def case_signals(
    role: ViewRole = "viewer",
    pending: Annotated[bool, typer.Option("--pending", help="Only signals not sent yet.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Show the deadline signals the case flow queued, for the cases your role may see."""
    from spreiding.mail.outbox import outbox_json
    from spreiding.models.db import session_scope
    from spreiding.statemachine.rules import parse_role
    from spreiding.statemachine.signals import signal_messages

    parse_role(role)
    if limit < 1:
        raise InvalidInput(f"--limit must be 1 or more, got {limit}")
    with session_scope(open_store()) as session:
        messages = signal_messages(session, role, pending=pending, limit=limit)
        rows = [outbox_json(m) for m in messages]
    _print_outbox(rows, pending=pending, as_json=as_json, title=f"Termijnsignalen (als {role})")


def _print_outbox(rows: list[dict], *, pending: bool, as_json: bool, title: str) -> None:
    if as_json:
        emit_json(rows)
        return
    if not rows:
        console.print("Geen berichten" + (" die wachten." if pending else " in de outbox."))
        return
    table = PlainTable(
        "soort", "aan", "onderwerp", "verstuurd", "pogingen", "laatste fout", title=title
    )
    for r in rows:
        if r["sent_at"]:
            sent = r["sent_at"][:16]
        else:
            sent = styled(("geannuleerd", "dim") if r["cancelled_at"] else ("wacht", "yellow"))
        table.add_row(
            r["kind"],
            r["to"],
            r["subject"],
            sent,
            str(r["attempts"]),
            r["last_error"] or "",
        )
    console.print(table)
