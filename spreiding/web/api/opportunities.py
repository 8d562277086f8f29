"""``/opportunities``: the regional opportunities (as ``spreiding opportunity list``)."""

from __future__ import annotations

from fastapi import APIRouter, Query

from spreiding.opportunities.store import is_synthetic, list_opportunities, opportunity_json
from spreiding.web.api.schemas import YEARS
from spreiding.web.deps import CurrentPrincipal, SessionDep

router = APIRouter(tags=["opportunities"])


@router.get("/opportunities")
def index(
    _principal: CurrentPrincipal,
    session: SessionDep,
    year: int | None = Query(None, **YEARS),
    region: str | None = Query(None, max_length=100, description="Province or COROP region."),
) -> dict:
    """The regional opportunities by year, province and region."""
    found = list_opportunities(session, year=year, region=region)
    return {"synthetic": is_synthetic(found), "opportunities": [opportunity_json(o) for o in found]}
