"""What every command module shares: the console, JSON output, the store, common options.

Kept apart from :mod:`spreiding.cli.main` so that command modules can import it at the top
without a circular import, and light enough that importing it costs nothing noticeable.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from spreiding.core.errors import NotFound

if TYPE_CHECKING:
    from sqlalchemy import Engine

console = Console(soft_wrap=True)
SYNTHETIC_NOTE = (
    "[bold yellow]SYNTHETISCHE DEMODATA[/]: verzonnen verdeling, "
    "alleen de gepubliceerde totalen kloppen"
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (schema in the README).")]
# Years a peildatum or an inventory can be for; outside them a date cannot even be formed.
YEAR_RANGE = {"min": 1900, "max": 2999}


def emit_json(data: Any) -> None:
    """Print ``data`` as JSON on stdout, UTF-8 and unwrapped."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def open_store() -> Engine:
    """The configured database's engine, at the code's schema revision.

    An empty database asks for ``spreiding init``, and so does one at an older revision.
    """
    from sqlalchemy.engine import make_url

    from spreiding.core.settings import get_settings
    from spreiding.models.db import check_schema, get_engine

    url = make_url(get_settings().sqlalchemy_url)
    # Do not let a read-only command create an empty SQLite file as a side effect.
    on_disk = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    if on_disk and not Path(url.database).exists():
        raise NotFound("the database is empty: run 'spreiding init' (or 'spreiding init --demo')")
    engine = get_engine()
    check_schema(engine)
    return engine


def randstad() -> tuple[str, ...]:
    """The configured Randstad provinces."""
    from spreiding.core.settings import get_settings

    return get_settings().randstad
