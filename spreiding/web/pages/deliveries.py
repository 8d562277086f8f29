"""Leveringen: a ministry uploads its yearly delivery and sees its totals or every error found.

The file is read and loaded with the same functions as ``spreiding inventory import``, in
the request's one unit of work: a refused file leaves nothing behind. The reader reports every
error of the file (:attr:`~spreiding.core.errors.InvalidSubmission.problems`, each naming row,
column and value); the page shows them as one table. BZK sees per peildatum who has
delivered, who has not, and the history of deliveries.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from spreiding.core.errors import InvalidSubmission, SpreidingError
from spreiding.inventory.deliveries import (
    delivered_ministries,
    list_deliveries,
    load_submission,
    missing_ministries,
    read_file,
)
from spreiding.web.deps import SessionDep, StateDep
from spreiding.web.pages.common import (
    YEAR_TYPED_LIMIT,
    PageForbidden,
    Viewer,
    ViewerDep,
    check_form_csrf,
    render,
    year_filter,
)
from spreiding.web.uploads import upload_name

router = APIRouter()
CHUNK = 1024 * 1024
SUFFIXES = (".csv", ".xlsx", ".ods", ".xls")


async def upload_form(request: Request) -> dict[str, Any]:
    """The posted form with its file (read before the route runs)."""
    form = await request.form()
    return dict(form.items())


def _deliverer(viewer: Viewer) -> Viewer:
    if viewer.kind not in ("bzk", "ministry"):
        raise PageForbidden("Leveringen zijn voor de ministeries en BZK.")
    return viewer


def _page(
    request: Request,
    session: Any,
    viewer: Viewer,
    year: int,
    *,
    status_code: int = 200,
    **context: Any,
) -> Response:
    own = viewer.ministry
    history = [d for d in list_deliveries(session) if own is None or d.ministry_code == own]
    delivered = [(c, n) for c, n in delivered_ministries(session, year) if own is None or c == own]
    missing = [m for m in missing_ministries(session, year) if own is None or m.code == own]
    context.setdefault("result", None)
    context.setdefault("refusal", None)
    context.setdefault("error", "")
    context.setdefault("errors", {})
    return render(
        request,
        session,
        "deliveries.html.j2",
        viewer,
        status_code=status_code,
        title="Leveringen",
        year=year,
        history=history,
        delivered=delivered,
        missing=missing,
        **context,
    )


def _default_year(state: Any) -> int:
    return state.settings.current_date().year


@router.get("/leveringen")
def deliveries_page(
    request: Request,
    session: SessionDep,
    state: StateDep,
    viewer: ViewerDep,
    jaar: str = "",  # any text: one that is no year gets its message at the field
) -> Response:
    """The upload form, who delivered and the history; of this year unless ``jaar`` is
    another year (one that is none shows this year, with the message at the field)."""
    _deliverer(viewer)
    year, wrong = year_filter(jaar)
    if wrong:
        return _page(
            request, session, viewer, _default_year(state), status_code=422,
            errors={"jaar": wrong}, typed_year=jaar[:YEAR_TYPED_LIMIT],
        )  # fmt: skip
    return _page(request, session, viewer, year or _default_year(state))


def _save(upload: UploadFile, folder: Path, limit_mb: int) -> Path | str:
    """The upload written to ``folder``, or a message why not."""
    name = Path(upload.filename or "").name.strip()
    if not name or name.startswith("."):
        return "Kies een bestand (.csv of .xlsx)."
    if not name.lower().endswith(SUFFIXES):
        return f"{name}: lever een CSV-bestand (.csv) of een werkmap (.xlsx, .ods of .xls)."
    try:
        path = folder / upload_name(name)
    except InvalidSubmission as exc:
        return f"{str(exc)[:1].upper()}{str(exc)[1:]}."
    size, limit = 0, limit_mb * 1024 * 1024
    with path.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            size += len(chunk)
            if size > limit:
                return f"{name} is groter dan {limit_mb} MB; splits de levering of lever CSV."
            out.write(chunk)
    return path


@router.post("/leveringen")
def deliveries_upload(
    request: Request,
    session: SessionDep,
    state: StateDep,
    viewer: ViewerDep,
    form: Annotated[dict[str, Any], Depends(upload_form)],
) -> Response:
    """Load the delivery: its totals, or the error table with nothing loaded."""
    _deliverer(viewer)
    check_form_csrf(viewer, {k: v for k, v in form.items() if isinstance(v, str)})
    year, _wrong = year_filter(str(form.get("year", "")))
    if year is None:
        return _page(
            request, session, viewer, _default_year(state), status_code=422,
            error="Vul het jaar van de peildatum in (bijvoorbeeld 2024).", field="year",
        )  # fmt: skip
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        return _page(
            request, session, viewer, year, status_code=422,
            error="Kies een bestand (.csv of .xlsx).", field="file",
        )  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="spreiding-upload-") as folder:
        saved = _save(upload, Path(folder), state.settings.accounts.max_upload_mb)
        if isinstance(saved, str):
            return _page(request, session, viewer, year, status_code=422, error=saved, field="file")
        try:
            result = load_submission(session, read_file(session, saved, year=year))
        except InvalidSubmission as exc:
            session.rollback()
            return _page(
                request, session, viewer, year, status_code=422, refusal=exc, file=saved.name,
            )  # fmt: skip
        except SpreidingError as exc:
            session.rollback()
            return _page(request, session, viewer, year, status_code=422, error=str(exc))
    if viewer.ministry is not None and result.ministry_code != viewer.ministry:
        session.rollback()
        return _page(
            request, session, viewer, year, status_code=403,
            error=f"{saved.name} is een levering van ministerie {result.ministry_code}; u levert "
            "alleen de cijfers van uw eigen ministerie. Er is niets geladen.",
        )  # fmt: skip
    session.commit()
    return _page(request, session, viewer, year, status_code=201, result=result)
