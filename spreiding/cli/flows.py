"""The ``spreiding flows`` and ``spreiding serve`` commands.

``flows run NAME`` runs one flow now; without ``PREFECT_API_URL`` Prefect starts a temporary
local server for it (ephemeral mode). ``serve`` registers every flow with its schedule
(Europe/Amsterdam) against the configured Prefect API and runs them when due, so they appear
in the Prefect UI with their next runs. Prefect is imported only inside these commands.
"""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from spreiding.cli.common import YEAR_RANGE, console, emit_json, styled
from spreiding.core.errors import InvalidInput
from spreiding.flows import FLOWS, TIMEZONE, load_flow

flows_app = typer.Typer(help="Prefect flows: list them or run one now.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add ``flows`` and ``serve`` to the main app."""
    app.add_typer(flows_app, name="flows")
    app.command("serve")(serve)


def prepare_prefect() -> None:
    """Keep Prefect's files in our data folder and its analytics off, unless set already."""
    from spreiding.core.settings import get_settings

    os.environ.setdefault("PREFECT_HOME", str((get_settings().data_dir / "prefect").resolve()))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # The temporary server of `flows run` gets 20 s to start by default, too little on a busy
    # host ("Timed out ... ephemeral Prefect API server"); 90 s still ends a real hang.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")


def flow_arguments(flow: Any, given: dict[str, Any]) -> dict[str, Any]:
    """The options the flow takes, cast to its parameter types; refuse others in one line."""
    accepted = inspect.signature(flow.fn).parameters
    unknown = [k for k, v in given.items() if k not in accepted and v is not None]
    if unknown:
        raise InvalidInput(
            f"flow {flow.name!r} does not take {', '.join(unknown)}; "
            f"it takes: {', '.join(accepted) or 'nothing'}"
        )
    arguments = {k: v for k, v in given.items() if v is not None and k in accepted}
    from prefect.exceptions import ParameterTypeError

    try:
        validated = flow.validate_parameters(arguments)
    except ParameterTypeError as exc:
        lines = [line.strip(" -") for line in str(exc).splitlines()[1:] if line.strip(" -")]
        detail = "; ".join(lines) or str(exc)
        raise InvalidInput(f"flow {flow.name!r}: invalid --param: {detail}") from None
    return {k: v for k, v in validated.items() if k in arguments}  # the given ones, cast


def _params(pairs: list[str]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidInput(f"--param takes KEY=VALUE, got {pair!r}")
        params[key.strip().replace("-", "_")] = value
    return params


@flows_app.command("list")
def flows_list() -> None:
    """List the flows with their schedules."""

    for spec in FLOWS.values():
        console.print(
            styled((spec.name, "bold"), f"  cron '{spec.cron}' ({TIMEZONE})\n  {spec.description}")
        )


@flows_app.command("run")
def flows_run(
    name: Annotated[str, typer.Argument(help="The flow, e.g. annual-inventory.")],
    year: Annotated[
        int | None, typer.Option(help="Peildatum year, for yearly flows.", **YEAR_RANGE)
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Folder for the flow's files.")] = None,
    params: Annotated[
        list[str] | None, typer.Option("--param", help="Other flow parameter KEY=VALUE.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the flow's summary as JSON.")] = (
        False
    ),
) -> None:
    """Run one flow now (Prefect's ephemeral mode when no server is configured)."""

    prepare_prefect()
    flow = load_flow(name)
    given = {"year": year, "out": str(out) if out else None, **_params(params or [])}
    result = flow(**flow_arguments(flow, given))
    if as_json:
        emit_json(result)
    else:
        console.print(f"Flow {name} finished; --json prints its summary.")


def serve() -> None:
    """Register all flows with their schedules and run them when due (stop with Ctrl-C)."""
    prepare_prefect()
    from prefect import serve as prefect_serve
    from prefect.schedules import Cron

    deployments = [
        load_flow(name).to_deployment(
            name=name,
            schedule=Cron(spec.cron, timezone=TIMEZONE),
            description=spec.description,
        )
        for name, spec in FLOWS.items()
    ]
    prefect_serve(*deployments)
