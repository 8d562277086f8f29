"""The ``spreiding flows``, ``spreiding serve`` and ``spreiding deploy`` commands.

``flows run NAME`` runs one flow now: through its deployment when the configured Prefect server
has it (the run shows under it), else in this process (without ``PREFECT_API_URL`` Prefect
starts a temporary local server for it). ``serve`` runs the five deployments on their schedules
in one process; ``deploy --pool NAME`` puts them on a process work pool for ``prefect worker
start``. What they do with Prefect lives in :mod:`spreiding.flows.serving`, imported only inside
these commands (``import prefect`` takes seconds).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from spreiding.cli.common import YEAR_RANGE, PlainConsole, console, emit_json, styled
from spreiding.core.errors import InvalidInput
from spreiding.flows import FLOWS, TIMEZONE, crons

if TYPE_CHECKING:
    from spreiding.flows.serving import RunOutcome

SCHEDULER_HORIZON = "P400D"
TIMED_OUT = 124  # the exit code of a run that did not end within --timeout, as timeout(1)
MAX_TIMEOUT = 7 * 24 * 3600

flows_app = typer.Typer(help="Prefect flows: list them or run one now.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add ``flows``, ``serve`` and ``deploy`` to the main app."""
    app.add_typer(flows_app, name="flows")
    app.command("serve")(serve)
    app.command("deploy")(deploy)


def prepare_prefect() -> None:
    """Keep Prefect's files in our data folder and its analytics off, unless set already."""
    from spreiding.core.settings import get_settings

    os.environ.setdefault("PREFECT_HOME", str((get_settings().data_dir / "prefect").resolve()))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # The temporary server of `flows run` gets 20 s to start by default, too little on a busy
    # host ("Timed out ... ephemeral Prefect API server"); 90 s still ends a real hang.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    # A server started here (the temporary one) looks 400 days ahead when it creates scheduled
    # runs: Prefect's default of 100 days leaves the yearly flows without a next run.
    os.environ.setdefault("PREFECT_SERVER_SERVICES_SCHEDULER_MAX_SCHEDULED_TIME", SCHEDULER_HORIZON)


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
        schedule = ", ".join(f"'{cron}'" for cron in crons(spec))
        console.print(styled((spec.name, "bold"), f"  cron {schedule} ({TIMEZONE})"))
        console.print(f"  {spec.description}")


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
    timeout: Annotated[
        int | None,
        typer.Option(
            help="Wait at most SECONDS for the run to end; exit 124 when it has not.",
            min=1,
            max=MAX_TIMEOUT,
            metavar="SECONDS",
        ),
    ] = None,
) -> None:
    """Run one flow now: via its deployment when the Prefect server has it, else here.

    Exit 1 when the run ends Failed; exit 124 when it has not ended within --timeout.
    """

    prepare_prefect()
    from spreiding.flows.serving import run_now

    given = {"year": year, "out": str(out) if out else None, **_params(params or [])}
    outcome = run_now(name, given, timeout=timeout)
    if outcome.timed_out:
        _timed_out(outcome, timeout)
    if as_json:
        emit_json(outcome.summary if outcome.deployment is None else outcome.as_dict())
    else:
        where = f" (deployment {outcome.deployment})" if outcome.deployment else ""
        console.print(
            f"Flow run {outcome.flow_run}{where}: {outcome.state}; --json prints its summary.",
        )
    if outcome.failed:
        console.print(f"{outcome.state}: {outcome.message}", style="red")
        raise typer.Exit(1)


def _timed_out(outcome: RunOutcome, timeout: int | None) -> NoReturn:
    """Say in Dutch and English that the run did not end in time; exit 124, as timeout(1)."""
    if outcome.deployment:
        where = (
            f"hij loopt door in Prefect (toestand {outcome.state}); draait er een worker of "
            "'spreiding serve'? / it goes on in Prefect: is a worker or serve running?"
        )
    else:
        where = "Prefect heeft hem gestopt / Prefect stopped it"
    PlainConsole(stderr=True).print(
        styled(
            ("error:", "bold red"),
            f" run {outcome.flow_run} niet klaar binnen {timeout} s / not finished within "
            f"{timeout} s: {where}",
        )
    )
    raise typer.Exit(TIMED_OUT)


def serve() -> None:
    """Run all flows on their schedules in this process (stop with Ctrl-C or SIGTERM).

    Stopping pauses nothing: runs due meanwhile wait (Late) and run when serve is back.
    """
    prepare_prefect()
    from spreiding.flows.serving import alerts
    from spreiding.flows.serving import serve as serve_flows

    _say_alerts(alerts())
    serve_flows()


def _say_alerts(names: list[str]) -> None:
    if names:
        console.print(f"{len(names)} alert automations (mail to the operator via the web hook).")
    else:
        console.print(
            "No alert automations: set SPREIDING_ALERTS__URL and SPREIDING_ALERTS__SECRET "
            "to mail the operator about failed or overdue runs.",
            style="yellow",
        )


def deploy(
    pool: Annotated[str, typer.Option(help="The Prefect process work pool, e.g. spreiding.")],
) -> None:
    """Create or update a process work pool and the five deployments on it.

    Then run `prefect worker start --pool NAME` on each machine with spreiding installed.
    """
    prepare_prefect()
    from spreiding.flows.serving import alerts
    from spreiding.flows.serving import deploy as deploy_flows

    ids = deploy_flows(pool)
    _say_alerts(alerts())
    console.print(
        f"{len(ids)} deployments on work pool {pool}; start a worker with: "
        f"prefect worker start --pool {pool}",
    )
