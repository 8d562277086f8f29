"""The ``spreiding leidraad`` commands: the leidraad's versions, a new one, the evaluation.

``show`` prints a version (the one in force today, or ``--version``) as text, TOML (the keys
``new --from`` reads back) or JSON; ``new`` adds a version from a TOML file with its
effective date (BZK only); ``evaluate`` summarises the cases for the next revision.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from spreiding.cli.common import JsonOption, check_role, console, emit_json, open_store
from spreiding.core.errors import InvalidInput

leidraad_app = typer.Typer(
    help="The leidraad: versions with an effective date, and what the cases teach.",
    no_args_is_help=True,
)


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{option} vraagt om een datum als JJJJ-MM-DD, niet {text!r}") from None


def _today() -> date:
    from spreiding.core.settings import get_settings

    return get_settings().current_date()


@leidraad_app.command("show")
def leidraad_show(
    version: Annotated[
        str | None, typer.Option(help="A version (default: in force today).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text, toml or json.")] = "text",
) -> None:
    """Show a version of the leidraad, each part with its source."""
    from spreiding.models.db import session_scope
    from spreiding.statemachine import leidraad

    if fmt not in ("text", "toml", "json"):
        raise InvalidInput(f"--format is text, toml of json, niet {fmt!r}")
    with session_scope(open_store()) as session:
        content = leidraad.get_version(session, version, _today())
        history = [
            (e.isoformat(), str(c["version"]), by) for e, c, by in leidraad.versions(session)
        ]
    if fmt == "json":
        emit_json({**content, "history": [{"effective": e, "version": v, "by": b}
                                          for e, v, b in history]})  # fmt: skip
        return
    text = leidraad.to_toml(content)
    if fmt == "toml":
        typer.echo(text, nl=False)
        return
    console.print(f"Leidraad {content['version']}", markup=False)
    typer.echo(text, nl=False)
    for effective, name, by in history:
        typer.echo(f"# geldig vanaf {effective}: {name}" + (f" (door {by})" if by else ""))


@leidraad_app.command("new")
def leidraad_new(
    source: Annotated[Path, typer.Option("--from", help="TOML file as 'show --format toml'.")],
    effective: Annotated[str, typer.Option(help="Effective date, YYYY-MM-DD (today or later).")],
    actor: Annotated[str, typer.Option("--actor", help="Your name, for the history.")],
    role: Annotated[str, typer.Option("--as", help="Your role (bzk).")] = "bzk",
    as_json: JsonOption = False,
) -> None:
    """Add a version of the leidraad (BZK); cases keep the version they were screened under."""
    from spreiding.models.db import session_scope
    from spreiding.statemachine import leidraad

    day = _day(effective, "--effective")
    assert day is not None
    with session_scope(open_store()) as session:
        check_role(session, role)
        row = leidraad.add_version(
            session, source, effective=day, actor=actor, role=role, today=_today()
        )
        out = {"version": row.version, "effective": row.effective.isoformat(), "by": actor}
    if as_json:
        emit_json(out)
    else:
        typer.echo(f"Leidraad {out['version']} geldt vanaf {out['effective']}.")


@leidraad_app.command("evaluate")
def leidraad_evaluate(
    since: Annotated[
        str | None, typer.Option(help="Only cases registered from YYYY-MM-DD.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Summarise the cases per type for the next revision of the leidraad."""
    from spreiding.models.db import session_scope
    from spreiding.statemachine import leidraad

    day = _day(since, "--since")
    with session_scope(open_store()) as session:
        result = leidraad.evaluate(session, since=day, today=_today())
    if as_json:
        emit_json(result)
        return
    typer.echo(f"Evaluatie (leidraad {result['leidraad_version']}, {result['today']})")
    for case_type, row in result["per_type"].items():
        typer.echo(
            f"{case_type}: {row['cases']} zaken, {row['in_scope']} binnen reikwijdte, "
            f"{row['decided']} besloten, advies gevolgd {row['advice_followed']}, "
            f"tegenvoorstellen {row['counter_proposals']}, ministerraad {row['mr_escalations']}"
        )
