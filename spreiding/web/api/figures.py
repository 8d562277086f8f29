"""``/figures``: the distribution of rijkswerkgelegenheid per peildatum (as ``figures show``)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query

from spreiding.core.errors import NotFound
from spreiding.models.figures import distribution, peildata
from spreiding.web.api.schemas import YEARS
from spreiding.web.deps import CurrentPrincipal, SessionDep, StateDep

router = APIRouter(tags=["figures"])


@router.get("/figures")
def show(
    _principal: CurrentPrincipal,
    session: SessionDep,
    state: StateDep,
    year: int | None = Query(None, **YEARS, description="Default: the latest."),
    by: Literal["province", "sector"] = "province",
) -> dict:
    """The fte on 1 January of ``year`` per province or sector, with the Randstad share."""
    if year is None:
        known = peildata(session)
        if not known:
            raise NotFound("Er zijn nog geen cijfers: laad eerst de leveringen van een peildatum")
        year = known[-1].year
    result = distribution(session, year, state.settings.randstad, by=by)
    return {"peildata": [d.isoformat() for d in peildata(session)], **result.to_json()}
