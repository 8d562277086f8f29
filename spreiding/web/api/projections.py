"""``/projections``: the projection output folders under the data folder, summary and files.

A folder counts as a projection when it holds the ``summary.csv`` that ``spreiding simulate
--out`` writes. Files are served only from inside such a folder, by plain name.
"""

from __future__ import annotations

import csv
import mimetypes
from pathlib import Path

from fastapi import APIRouter
from fastapi import Path as PathParam
from fastapi.responses import FileResponse

from spreiding.core.errors import NotFound
from spreiding.web.deps import CaseReader, StateDep

router = APIRouter(tags=["projections"])
SUMMARY = "summary.csv"
MAX_DEPTH = 3
Name = PathParam(max_length=200, pattern=r"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")


def _folders(root: Path) -> list[Path]:
    found = []
    for summary in sorted(root.rglob(SUMMARY)):
        rel = summary.parent.relative_to(root)
        if len(rel.parts) <= MAX_DEPTH and not any(p.startswith(".") for p in rel.parts):
            found.append(summary.parent)
    return found


def _folder(root: Path, name: str) -> Path:
    for folder in _folders(root):
        if folder.relative_to(root).as_posix() == name:
            return folder
    raise NotFound(f"Er is geen projectie {name!r} in de gegevensmap")


def _summary(folder: Path) -> list[dict]:
    with (folder / SUMMARY).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _describe(root: Path, folder: Path, *, summary: bool) -> dict:
    files = sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    data: dict = {"name": folder.relative_to(root).as_posix(), "files": files}
    if summary:
        data["summary"] = _summary(folder)
    return data


@router.get("/projections")
def index(_principal: CaseReader, state: StateDep) -> list[dict]:
    """Every projection output folder under the data folder, with its files."""
    root = state.settings.data_dir.resolve()
    if not root.is_dir():
        return []
    return [_describe(root, f, summary=False) for f in _folders(root)]


@router.get("/projections/{name:path}/files/{file}")
def file(
    _principal: CaseReader,
    state: StateDep,
    name: str = Name,
    file: str = PathParam(max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$"),
) -> FileResponse:
    """One file of a projection (CSV, PNG, SVG, HTML bijsluiter ...)."""
    folder = _folder(state.settings.data_dir.resolve(), name)
    path = folder / file
    if not path.is_file():
        raise NotFound(f"Projectie {name!r} heeft geen bestand {file!r}")
    media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileResponse(path, media_type=media)


@router.get("/projections/{name:path}")
def show(_principal: CaseReader, state: StateDep, name: str = Name) -> dict:
    """One projection: its summary table and its files."""
    root = state.settings.data_dir.resolve()
    return _describe(root, _folder(root, name), summary=True)
