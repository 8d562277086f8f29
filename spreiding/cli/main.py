"""The ``spreiding`` command line (Typer + rich).

Every list and show command has ``--json`` with the stable schema documented in the README.
A user's mistake raises a :class:`~spreiding.core.errors.SpreidingError`, which :func:`main` turns
into one line on stderr and exit code 2, with no traceback and nothing written. Prefect is
imported only by the commands that run flows: it costs seconds at start-up.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from spreiding.cli import cases
from spreiding.cli import flows as flow_commands
from spreiding.cli import inventory as inventory_commands
from spreiding.cli import opportunities as opportunity_commands
from spreiding.cli import simulation as simulation_commands
from spreiding.cli import users as user_commands
from spreiding.cli import zbo as zbo_commands
from spreiding.cli.common import (
    SYNTHETIC_NOTE,
    YEAR_RANGE,
    JsonOption,
    PlainConsole,
    PlainTable,
    console,
    emit_json,
    exit_on_broken_pipe,
    open_store,
    randstad,
    styled,
)
from spreiding.core.dutch import number, percentage, whole
from spreiding.core.errors import InvalidInput, InvalidSubmission, SpreidingError

app = typer.Typer(
    name="spreiding",
    help="Coordination of the spreading of rijksdiensten en rijkswerkgelegenheid (BZK).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
org_app = typer.Typer(help="Organisations: rijksdiensten, units and zbo's.", no_args_is_help=True)
ministry_app = typer.Typer(help="Ministries.", no_args_is_help=True)
figures_app = typer.Typer(help="The distribution of rijkswerkgelegenheid.", no_args_is_help=True)
place_app = typer.Typer(help="Reference geography: municipalities.", no_args_is_help=True)
app.add_typer(org_app, name="org")
app.add_typer(ministry_app, name="ministry")
app.add_typer(figures_app, name="figures")
app.add_typer(place_app, name="place")
cases.register(app)
flow_commands.register(app)
opportunity_commands.register(app)
inventory_commands.register(app)
zbo_commands.register(app)
simulation_commands.register(app)
user_commands.register(app)


@app.command()
def init(
    demo: Annotated[bool, typer.Option("--demo", help="Also load the synthetic demo set.")] = False,
) -> None:
    """Create or migrate the database and load the reference data (idempotent)."""
    from sqlalchemy.engine import make_url

    from spreiding.core.settings import get_settings
    from spreiding.models.db import get_engine
    from spreiding.models.loading import init_database

    report = init_database(get_engine(), with_demo=demo)
    report.added["anchored audit trail"] = cases.anchor_existing_trails()
    if demo:
        from spreiding.models.db import session_scope
        from spreiding.statemachine.demo import create_demo_cases

        with session_scope(get_engine()) as session:
            report.added["location_case"] = create_demo_cases(session, cases.current_context())
    added = ", ".join(f"{n} {table}" for table, n in report.added.items() if n)
    where = make_url(get_settings().sqlalchemy_url).render_as_string(hide_password=True)
    console.print(
        f"Database ready at {where}: " + (f"added {added}." if added else "nothing to add.")
    )
    if demo:
        console.print(SYNTHETIC_NOTE)


@ministry_app.command("list")
def ministry_list(as_json: JsonOption = False) -> None:
    """List the ministries."""
    from sqlmodel import select

    from spreiding.models import Ministry
    from spreiding.models.db import session_scope

    with session_scope(open_store()) as session:
        rows = [m.model_dump() for m in session.exec(select(Ministry).order_by(Ministry.code))]
    if as_json:
        emit_json(rows)
        return
    table = PlainTable("code", "name", "contact", title="Ministeries")
    for row in rows:
        table.add_row(row["code"], row["name"], row["contact_email"] or "")
    console.print(table)


@ministry_app.command("add")
def ministry_add(
    code: Annotated[str, typer.Option(help="Short code, e.g. BZK.")],
    name: Annotated[str, typer.Option(help="Full name.")],
    contact: Annotated[
        str | None, typer.Option(help="E-mail of the contact at BZK's requests.")
    ] = None,
) -> None:
    """Add a ministry."""
    from spreiding.models.db import session_scope
    from spreiding.models.registry import add_ministry

    with session_scope(open_store()) as session:
        ministry = add_ministry(session, code=code, name=name, contact_email=contact)
    console.print(f"Added ministry {ministry.code}: {ministry.name}.")


@org_app.command("list")
def org_list(
    ministry: Annotated[
        str | None, typer.Option(help="Only this ministry's organisations.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List the organisations."""
    from spreiding.models.db import session_scope
    from spreiding.models.registry import list_organisations

    with session_scope(open_store()) as session:
        rows = list_organisations(session, ministry=ministry)
    if as_json:
        emit_json(rows)
        return
    table = PlainTable("code", "name", "ministry", "sector", "zbo", title="Organisaties")
    for row in rows:
        table.add_row(
            row["code"],
            row["name"],
            row["ministry_code"],
            row["sector"],
            "ja" if row["is_zbo"] else "",
        )
    console.print(table)
    if any(row["synthetic"] for row in rows):
        console.print(SYNTHETIC_NOTE)


@org_app.command("add")
def org_add(
    code: Annotated[str, typer.Option(help="Short unique code, e.g. DUO.")],
    name: Annotated[str, typer.Option(help="Full name.")],
    ministry: Annotated[str, typer.Option(help="Code of the responsible ministry.")],
    sector: Annotated[
        str,
        typer.Option(help="ministeries, politie, rechtspraak, gevangeniswezen, defensie or zbo."),
    ],
    zbo: Annotated[bool, typer.Option("--zbo/--no-zbo", help="It is a zbo.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Add an organisation under a ministry."""
    from spreiding.models.db import session_scope
    from spreiding.models.registry import add_organisation, organisation_json

    with session_scope(open_store()) as session:
        org = add_organisation(
            session, code=code, name=name, ministry_code=ministry, sector=sector, is_zbo=zbo
        )
        data = organisation_json(org)
    if as_json:
        emit_json(data)
    else:
        console.print(
            f"Added organisation {data['code']}: {data['name']} ({data['ministry_code']})."
        )


@figures_app.command("show")
def figures_show(
    year: Annotated[int, typer.Option(help="Peildatum year (1 January).", **YEAR_RANGE)],
    by: Annotated[str, typer.Option(help="province, sector or ministry.")] = "province",
    as_json: JsonOption = False,
) -> None:
    """The fte distribution on 1 January of YEAR, with the Randstad share."""
    from spreiding.models.db import session_scope
    from spreiding.models.figures import BY_CHOICES, distribution

    if by not in BY_CHOICES:
        raise InvalidInput(f"--by must be one of {', '.join(BY_CHOICES)}, got {by!r}")
    with session_scope(open_store()) as session:
        result = distribution(session, year, randstad(), by=by)  # type: ignore[arg-type]
    if as_json:
        emit_json(result.to_json())
        return
    data = result.to_json()
    title = f"Rijkswerkgelegenheid op 1 januari {year} (fte)"
    if by == "province":
        table = PlainTable("code", "provincie", "fte", "aandeel", "Randstad", title=title)
        for row in data["rows"]:
            share = row["fte"] / data["total_fte"]
            table.add_row(
                row["province_code"],
                row["name"],
                whole(row["fte"]),
                percentage(share),
                "ja" if row["randstad"] else "",
            )
    elif by == "ministry":
        table = PlainTable("code", "ministerie", "fte", "aandeel", "buiten Randstad", title=title)
        for row in data["rows"]:
            outside = (row["fte"] - row["randstad_fte"]) / row["fte"] if row["fte"] else 0.0
            table.add_row(
                row["ministry_code"],
                row["name"],
                whole(row["fte"]),
                percentage(row["fte"] / data["total_fte"]),
                percentage(outside),
            )
    else:
        table = PlainTable("sector", "fte", "waarvan Randstad", title=title)
        for row in data["rows"]:
            table.add_row(row["sector"], whole(row["fte"]), whole(row["randstad_fte"]))
    console.print(table)
    console.print(
        f"Totaal {whole(data['total_fte'])} fte; Randstad ({', '.join(result.randstad)}) "
        f"{percentage(result.randstad_share)}, daarbuiten {percentage(1 - result.randstad_share)}."
    )
    if result.synthetic:
        console.print(SYNTHETIC_NOTE)


@place_app.command("find")
def place_find(
    name: Annotated[str, typer.Argument(help="CBS code or name.")], as_json: JsonOption = False
) -> None:
    """Find a municipality by CBS code or name (aliases such as Den Haag work)."""
    from dataclasses import asdict

    from spreiding.geography.reference import gazetteer

    found = gazetteer().municipality(name)
    if as_json:
        emit_json(asdict(found))
    else:
        console.print(f"{found.code} {found.name} ({found.province_code}, {found.corop_code})")


def main() -> None:
    """Run the CLI; a domain error becomes one line on stderr and exit code 2."""
    from sqlalchemy.exc import DBAPIError

    try:
        with exit_on_broken_pipe():
            app()  # standalone: click prints its own usage errors (exit 2) and --help
    except InvalidSubmission as exc:  # a refused file: every problem, one line each
        lines = [str(problem) for problem in exc.problems]
        if exc.more:
            lines.append(f"en {number(exc.more)} meer {'fout' if exc.more == 1 else 'fouten'}")
        _fail(*lines)
    except SpreidingError as exc:
        _fail(str(exc))
    except DBAPIError as exc:  # unreachable server, or a value the database cannot hold
        _fail(f"De database weigert: {str(exc.orig).splitlines()[0]}")


def _fail(*messages: str) -> None:
    # The message may quote the user's text, which may hold [brackets]: shown as text.
    console = PlainConsole(stderr=True)
    for message in messages:
        console.print(styled(("error:", "bold red"), " ", message))
    sys.exit(2)


if __name__ == "__main__":
    main()
