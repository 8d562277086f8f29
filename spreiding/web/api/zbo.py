"""``/zbo``: the talks with zbo's about their location (as ``spreiding zbo list/show``).

BZK and the MR secretariat see every zbo; a ministry sees its own zbo's (another ministry's
answers 404); a viewer and ``beheer`` are refused.
"""

from __future__ import annotations

from fastapi import APIRouter, Path

from spreiding.core.errors import NotFound
from spreiding.core.principal import Principal
from spreiding.web.deps import CurrentPrincipal, SessionDep, StateDep, own_ministry, require_roles
from spreiding.zbo.consultations import state_json, talk_json, talks, zbo_state, zbo_states

router = APIRouter(tags=["zbo"])


def _may_read(principal: Principal) -> None:
    require_roles(principal, ("bzk", "mr", "ministry"), "De zbo-gesprekken")


@router.get("/zbo")
def index(principal: CurrentPrincipal, session: SessionDep, state: StateDep) -> list[dict]:
    """Every zbo the account may see: ministry, cycle, next due date, last talk."""
    _may_read(principal)
    today, own = state.settings.current_date(), own_ministry(principal)
    rows = [state_json(s, today) for s in zbo_states(session, today)]
    return [r for r in rows if own is None or r["ministry_code"] == own]


@router.get("/zbo/{org}")
def show(
    principal: CurrentPrincipal,
    session: SessionDep,
    state: StateDep,
    org: str = Path(max_length=200, description="The zbo's code or name."),
) -> dict:
    """One zbo's cycle and every talk recorded."""
    _may_read(principal)
    today, own = state.settings.current_date(), own_ministry(principal)
    found = zbo_state(session, org, today)
    data = state_json(found, today)
    if own is not None and data["ministry_code"] != own:
        raise NotFound(f"zbo {org!r} bestaat niet of is niet zichtbaar voor uw rol")
    return {**data, "talks": [talk_json(t) for t in talks(session, found.organisation.id)]}
