"""What every command module shares: the console, JSON output, the store, common options.

Kept apart from :mod:`spreiding.cli.main` so that command modules can import it at the top
without a circular import, and light enough that importing it costs nothing noticeable.

**Printing text.** Names, titles, actors, outcomes and file names are stored or given by
users, so they are data, never markup: ``Dienst [/x]`` must print as ``Dienst [/x]``,
``:smile:`` as ``:smile:``, and an ANSI escape must not reach the terminal. Every command
therefore prints through :data:`console` (a :class:`PlainConsole`: markup, emoji and
highlighting off, every string made :func:`printable`) and builds tables with
:class:`PlainTable`. Styling comes only from the code, as ``(text, style)`` parts of
:func:`styled`; no command module writes rich markup.

**Broken pipes.** ``spreiding case list | head -1`` closes stdout early. Commands commit
before they print, so a closed pipe can only cut the output short, and it ends the command
quietly with exit code 1, nothing on stderr: the convention of Python's documentation ("note on
SIGPIPE"), Click and rich, which :func:`exit_on_broken_pipe` keeps for the last flush too.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from spreiding.core.errors import InvalidInput, NotFound
from spreiding.core.synthetic import INVENTED_DISTRIBUTION, SYNTHETIC_MARK, synthetic_label
from spreiding.models.figures import FIRST_YEAR, LAST_YEAR

if TYPE_CHECKING:
    from sqlalchemy import Engine

# C0 and C1 control characters (ESC among them), DEL, and the Unicode bidirectional controls
# that can reorder what a terminal shows; tab and newline are kept.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
BROKEN_PIPE_EXIT = 1


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: object) -> str:
    """``value`` as text a terminal shows as it is: control characters become ``\\xNN``.

    ``None`` is the empty string. Brackets and colons stay as they are: :class:`PlainConsole`
    does not read them as markup or emoji.
    """
    return "" if value is None else _CONTROL.sub(_visible, str(value))


def styled(*parts: object | tuple[object, str]) -> Text:
    """One line from parts: a plain value, or ``(value, style)`` with a style of our own.

    Every value is shown literally (see :func:`printable`); the style is the only markup.
    """
    line = Text()
    for part in parts:
        if isinstance(part, tuple):
            value, style = part
            line.append(printable(value), style=style)
        else:
            line.append(printable(part))
    return line


class PlainConsole(Console):
    """A rich console that prints strings as text: no markup, no emoji, no highlighting."""

    def __init__(self, **options: Any) -> None:
        options = {"soft_wrap": True, "markup": False, "emoji": False, "highlight": False} | options
        super().__init__(**options)

    def print(self, *objects: Any, **options: Any) -> None:
        """Print like :meth:`rich.console.Console.print`, with every ``str`` made printable."""
        safe = [Text(printable(o)) if isinstance(o, str) else o for o in objects]
        super().print(*safe, markup=False, emoji=False, **options)

    def on_broken_pipe(self) -> None:
        """Let :func:`exit_on_broken_pipe` end the command (rich would exit with 1 here)."""
        raise BrokenPipeError


class PlainTable(Table):
    """A rich table whose cells and title are always shown literally."""

    def __init__(self, *headers: str, title: str | None = None, **options: Any) -> None:
        super().__init__(*headers, title=Text(printable(title)) if title else None, **options)

    def add_row(self, *cells: Any, **options: Any) -> None:
        """Add a row; a ``str`` (or ``None``) cell is shown as it is, a :class:`Text` kept."""
        super().add_row(
            *(c if isinstance(c, Text) else Text(printable(c)) for c in cells), **options
        )


@contextmanager
def exit_on_broken_pipe() -> Iterator[None]:
    """End quietly (exit 1, nothing on stderr) when the reader of stdout has gone away.

    Commands print after they commit, so this never undoes a write. Stdout is flushed here,
    also when the command ends with ``sys.exit``, and then pointed at ``/dev/null`` so that
    Python's own flush at exit does not complain a second time.
    """
    try:
        try:
            yield
        finally:
            sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(BROKEN_PIPE_EXIT)


console = PlainConsole()


def synthetic_note(label: str) -> Text:
    """A synthetic-data label for the terminal: the mark in bold yellow, the rest as text."""
    before, mark, after = label.partition(SYNTHETIC_MARK)
    return styled(before, (mark, "bold yellow"), after)


SYNTHETIC_NOTE = synthetic_note(synthetic_label(INVENTED_DISTRIBUTION))

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (schema in the README).")]
# Years a peildatum or an inventory can be for; outside them a date cannot even be formed.
YEAR_RANGE = {"min": FIRST_YEAR, "max": LAST_YEAR}


def emit_json(data: Any) -> None:
    """Print ``data`` as JSON on stdout, UTF-8 and unwrapped."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()  # a closed pipe shows here, inside the command, not at exit


def cannot_write(option: str, folder: Path, exc: OSError) -> InvalidInput:
    """The one-line refusal for a folder that could not be written after all."""
    return InvalidInput(f"{option}: cannot write into {folder}: {exc.strerror or exc}")


def check_role(session: Any, role: str) -> str:
    """The ``--as`` role, canonical; a malformed role or a ministry not in the store is refused."""
    from spreiding.models.registry import get_ministry
    from spreiding.statemachine.rules import canonical_role, parse_role

    kind, code = parse_role(role)
    if kind == "ministry":
        try:
            get_ministry(session, code)
        except NotFound as exc:
            raise InvalidInput(f"--as {role!r}: {exc}") from None
    return canonical_role(role)


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
