"""``/deliveries``: a ministry uploads its yearly delivery; BZK sees who delivered and who not.

An upload (``multipart/form-data``: ``file`` and ``year``) is read and checked with the same
functions as ``spreiding inventory import``, in one unit of work: a refused file answers 422
problem details whose ``detail`` is one line (the first error and how many others) and whose
``errors`` list every problem with its row, column, value and message; nothing of it is stored.
A ministry sees and delivers only its own; BZK sees all.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile

from spreiding.accounts.errors import Forbidden
from spreiding.core.principal import Principal
from spreiding.inventory.deliveries import (
    list_deliveries,
    load_submission,
    missing_ministries,
    read_file,
)
from spreiding.web.api.schemas import YEARS
from spreiding.web.deps import CurrentPrincipal, SessionDep, StateDep, own_ministry, require_roles
from spreiding.web.problems import PayloadTooLarge
from spreiding.web.uploads import upload_name

router = APIRouter(tags=["deliveries"])
CHUNK = 1024 * 1024


def _may_deliver(principal: Principal) -> None:
    require_roles(principal, ("bzk", "ministry"), "De jaarlijkse inventarisatie")


def _save(upload: UploadFile, folder: Path, limit_mb: int) -> Path:
    """Write the upload to ``folder`` under its own name, refusing it above the limit."""
    path = folder / upload_name(upload.filename)
    size, limit = 0, limit_mb * 1024 * 1024
    with path.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise PayloadTooLarge(
                    f"{path.name} is groter dan {limit_mb} MB: splits de levering of sla haar "
                    "op als CSV, dat is kleiner"
                )
            out.write(chunk)
    return path


@router.post("/deliveries", status_code=201)
def upload(
    principal: CurrentPrincipal,
    session: SessionDep,
    state: StateDep,
    file: Annotated[UploadFile, File(description="The delivery: a .csv or .xlsx file.")],
    year: Annotated[int, Form(description="Peildatum year (1 January).", **YEARS)],
) -> dict:
    """Load a delivery for peildatum 1 January ``year``; a ministry delivers only its own."""
    _may_deliver(principal)
    with tempfile.TemporaryDirectory(prefix="spreiding-upload-") as folder:
        path = _save(file, Path(folder), state.settings.accounts.max_upload_mb)
        parsed = read_file(session, path, year=year)
        result = load_submission(session, parsed)
    own = own_ministry(principal)
    if own is not None and result.ministry_code != own:
        raise Forbidden(
            f"{path.name} is een levering van ministerie {result.ministry_code}; rol "
            f"{principal.role} levert alleen de cijfers van het eigen ministerie"
        )
    return result.to_json()


@router.get("/deliveries")
def index(
    principal: CurrentPrincipal,
    session: SessionDep,
    year: int | None = Query(None, **YEARS),
) -> list[dict]:
    """The deliveries (current and superseded): all for BZK, its own for a ministry."""
    _may_deliver(principal)
    own = own_ministry(principal)
    return [
        d.to_json()
        for d in list_deliveries(session, year=year)
        if own is None or d.ministry_code == own
    ]


@router.get("/deliveries/missing")
def missing(
    principal: CurrentPrincipal, session: SessionDep, year: int = Query(**YEARS)
) -> list[dict]:
    """The ministries that have not delivered for ``year`` (a ministry: itself, if so)."""
    _may_deliver(principal)
    own = own_ministry(principal)
    return [
        {"code": m.code, "name": m.name, "contact": m.contact_email}
        for m in missing_ministries(session, year)
        if own is None or m.code == own
    ]
