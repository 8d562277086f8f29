"""Putting the flows in operation: serve them, deploy them to a work pool, or run one now.

Two ways to run the five flows on their schedules (Europe/Amsterdam, the year's rhythm from the
settings), both leaving every schedule active when they stop:

* :func:`serve` — one process (``spreiding serve``) registers the five deployments and runs
  them when due. Prefect's ``serve`` pauses every deployment it served when it stops
  (``pause_on_shutdown=True`` is its default): schedules stop and their scheduled runs are
  removed, so a run due during the downtime would be lost. We pass ``pause_on_shutdown=False``:
  the scheduled runs stay, turn *Late* while nothing runs them, and run when ``serve`` is back.
* :func:`deploy` — production (``spreiding deploy --pool NAME``): creates the process work pool
  when missing and creates or updates the five deployments on it, with the flows' code named by
  module path (``spreiding.flows.inventory.annual_inventory``), so ``prefect worker start
  --pool NAME`` runs them on any machine where spreiding is installed. A stopped worker pauses
  nothing.

:func:`run_now` (``spreiding flows run``) triggers the deployment when the configured Prefect
server has one, so the run shows under it, and runs the flow in this process otherwise.
"""

from __future__ import annotations

import inspect
import signal
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import prefect
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.exceptions import ObjectNotFound, ParameterTypeError
from prefect.schedules import Cron
from prefect.settings import PREFECT_API_URL

from spreiding.core.errors import InvalidInput
from spreiding.flows import FLOWS, TIMEZONE, FlowSpec, crons, load_flow, spec_of


def deployment_name(name: str) -> str:
    """The deployment of flow ``name`` as Prefect names it: ``<flow>/<deployment>``."""
    return f"{name}/{name}"


def build_deployment(spec: FlowSpec, *, for_pool: bool = False) -> RunnerDeployment:
    """The deployment of one flow: its schedules, tags and Dutch description.

    ``for_pool`` names the flow by module path, so that a worker imports it from the installed
    package rather than from a file on the machine that deployed it.
    """
    return load_flow(spec.name).to_deployment(
        name=spec.name,
        schedules=[Cron(cron, timezone=TIMEZONE) for cron in crons(spec)],
        description=spec.description,
        tags=spec.tags,
        entrypoint_type=EntrypointType.MODULE_PATH if for_pool else EntrypointType.FILE_PATH,
    )


def build_deployments(*, for_pool: bool = False) -> list[RunnerDeployment]:
    """The five deployments, in the order of :data:`spreiding.flows.FLOWS`."""
    return [build_deployment(spec, for_pool=for_pool) for spec in FLOWS.values()]


def _stop_on_sigterm() -> None:
    """Make SIGTERM stop ``serve`` the way Ctrl-C (SIGINT) does."""

    def handler(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def alerts() -> list[str]:
    """Create or update the alert automations when alerts are configured; their names.

    [] without ``SPREIDING_ALERTS__URL`` and ``..._SECRET`` (:mod:`spreiding.flows.automations`).
    """
    from spreiding.core.settings import get_settings
    from spreiding.flows.automations import ensure_automations

    settings = get_settings().alerts
    return ensure_automations(settings) if settings.enabled else []


def serve(deployments: list[RunnerDeployment] | None = None) -> None:
    """Run the deployments when due in this process until SIGINT or SIGTERM; pause nothing."""
    _stop_on_sigterm()
    prefect.serve(*(deployments or build_deployments()), pause_on_shutdown=False)


def ensure_pool(pool: str) -> None:
    """Create the process work pool ``pool`` unless it exists; refuse one of another type."""
    with get_client(sync_client=True) as client:
        try:
            existing = client.read_work_pool(pool)
        except ObjectNotFound:
            client.create_work_pool(WorkPoolCreate(name=pool, type="process"))
            return
    if existing.type != "process":
        raise InvalidInput(
            f"work pool {pool!r} is of type {existing.type!r}; spreiding needs a 'process' pool"
        )


def deploy(pool: str) -> list[UUID]:
    """Create or update the process work pool ``pool`` and the five deployments on it."""
    ensure_pool(pool)
    return prefect.deploy(
        *build_deployments(for_pool=True),
        work_pool_name=pool,
        build=False,
        push=False,
        print_next_steps_message=False,
        ignore_warnings=True,
    )


# --- running one flow now --------------------------------------------------------------------


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
    try:
        validated = flow.validate_parameters(arguments)
    except ParameterTypeError as exc:
        lines = [line.strip(" -") for line in str(exc).splitlines()[1:] if line.strip(" -")]
        detail = "; ".join(lines) or str(exc)
        raise InvalidInput(f"flow {flow.name!r}: invalid --param: {detail}") from None
    return {k: v for k, v in validated.items() if k in arguments}  # the given ones, cast


@dataclass(frozen=True)
class RunOutcome:
    """How a run ended: its name, state, message, and where it ran.

    ``timed_out``: the run did not end within the ``timeout`` given to :func:`run_now` (a
    deployment's run goes on where it runs; a local run was stopped, its state TimedOut).
    """

    flow_run: str
    state: str
    failed: bool
    message: str | None
    deployment: str | None
    summary: Any
    timed_out: bool = False

    def as_dict(self) -> dict[str, Any]:
        """JSON-able: the summary of a local run, the state of a deployment's."""
        return {
            "flow_run": self.flow_run,
            "state": self.state,
            "message": self.message,
            "deployment": self.deployment,
            "timed_out": self.timed_out,
            "summary": self.summary,
        }


def served_deployment(name: str) -> str | None:
    """The deployment of flow ``name`` on the configured server, or None (no server, none)."""
    if not PREFECT_API_URL.value():
        return None
    with get_client(sync_client=True) as client:
        try:
            client.read_deployment_by_name(deployment_name(name))
        except ObjectNotFound:
            return None
    return deployment_name(name)


def run_now(name: str, given: dict[str, Any], *, timeout: float | None = None) -> RunOutcome:
    """Run flow ``name`` now: through its deployment when the server has it, else here.

    Through the deployment the run shows under it in the UI and runs where the deployment's
    runs run (``serve`` or a worker); this waits for it, at most ``timeout`` seconds (then the
    run goes on there, and the outcome says ``timed_out``). A local run gets ``timeout`` as
    its flow timeout: Prefect stops it and it ends TimedOut (a Failed state).
    """
    spec = spec_of(name)
    flow = load_flow(name)
    arguments = flow_arguments(flow, given)
    deployment = served_deployment(name)
    if deployment is not None:
        from prefect.deployments import run_deployment

        run = run_deployment(
            deployment, parameters=arguments, timeout=timeout, poll_interval=1, as_subflow=False
        )
        state = run.state
        return RunOutcome(
            run.name,
            state.name if state else "Unknown",
            bool(state and (state.is_failed() or state.is_crashed())),
            state.message if state else None,
            deployment,
            None,
            timed_out=timeout is not None and not (state and state.is_final()),
        )
    if timeout is not None:
        flow = flow.with_options(timeout_seconds=timeout)
    with prefect.tags(*spec.tags):
        state = flow(**arguments, return_state=True)
    summary = state.result(raise_on_failure=False)
    if isinstance(summary, BaseException):  # a Failed run's RunProblems keeps the summary
        summary = getattr(summary, "summary", None)
    run_name = getattr(getattr(state, "state_details", None), "flow_run_id", None)
    return RunOutcome(
        _flow_run_name(run_name) if run_name else name,
        state.name,
        state.is_failed() or state.is_crashed(),
        state.message,
        None,
        summary,
        timed_out=timeout is not None and state.name == "TimedOut",
    )


def _flow_run_name(flow_run_id: UUID) -> str:
    with get_client(sync_client=True) as client:
        return client.read_flow_run(flow_run_id).name
