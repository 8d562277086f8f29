"""The service norms: how many working days a case may wait in each waiting state.

The norms are keyed by the chart's own state ids (:data:`~.chart.WAITING_STATES`); their one
home today is the settings (:class:`~spreiding.core.settings.ServiceNorms`, overridable with
``SPREIDING_NORMS__<STATE>``). :func:`service_norm` is the one way to read the norm of a
state, for the store's due dates and for the simulation alike; :func:`norm_problems` says
where norms and chart disagree (a waiting state without a norm, a norm for no state), and
the formal lifecycle check reports it.
"""

from __future__ import annotations

from collections.abc import Collection

from spreiding.core.errors import InvalidInput
from spreiding.core.settings import ServiceNorms, get_settings
from spreiding.statemachine.chart import STATE_LABELS, WAITING_STATES, unknown_state


def service_norm(state: str, norms: ServiceNorms | None = None) -> int | None:
    """The norm in working days for ``state``; None where the clock does not run.

    ``norms`` defaults to the configured norms. A state the chart does not have is refused.
    """
    if state not in STATE_LABELS:
        raise InvalidInput(unknown_state(state))
    if state not in WAITING_STATES:
        return None
    norms = norms if norms is not None else get_settings().norms
    return norms.for_state(state)


def norm_problems(named: Collection[str] | None = None) -> list[str]:
    """Where the norms and the chart disagree: waiting states without a norm, stray norms.

    ``named`` are the states the norms name (default: the fields of ServiceNorms).
    """
    named = set(ServiceNorms.model_fields if named is None else named)
    missing = [f"{s} has no service norm" for s in WAITING_STATES if s not in named]
    stray = [f"norm {n!r} names no waiting state" for n in sorted(named - set(WAITING_STATES))]
    return missing + stray
