"""What every command module shares: the console, JSON output, the store, common options.

Kept apart from :mod:`spreiding.cli` so that command modules can import it at the top
without a circular import, and light enough that importing it costs nothing noticeable.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from spreiding.errors import NotFound

if TYPE_CHECKING:
    from sqlalchemy import Engine

console = Console(soft_wrap=True)
SYNTHETIC_NOTE = (
    "[bold yellow]SYNTHETISCHE DEMODATA[/]: verzonnen verdeling, "
    "alleen de gepubliceerde totalen kloppen"
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (schema in the README).")]


def emit_json(data: Any) -> None:
    """Print ``data`` as JSON on stdout, UTF-8 and unwrapped."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def open_store() -> Engine:
    """The configured database's engine; an empty database asks for ``spreiding init``."""
    from spreiding.models.db import current_revision, get_engine

    engine = get_engine()
    if current_revision(engine) is None:
        raise NotFound("the database is empty: run 'spreiding init' (or 'spreiding init --demo')")
    return engine


def randstad() -> tuple[str, ...]:
    """The configured Randstad provinces."""
    from spreiding.settings import get_settings

    return get_settings().randstad
