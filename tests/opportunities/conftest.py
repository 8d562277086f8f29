"""Helpers for the opportunity tests: CSV files in tmp_path and the ``opportunity`` commands."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from spreiding.cli.opportunities import register
from spreiding.core.errors import SpreidingError
from spreiding.core.settings import get_settings

HEADER = ("regio", "ingediend_door_soort", "ingediend_door", "thema", "omschrijving", "contact")
GOOD_ROWS = (
    ("Fryslân", "provincie", "Fryslân", "Water", "Watertechnologie en waterkwaliteit.", "a@b.nl"),
    ("Twente", "gemeente", "Enschede", "Digitale veiligheid", "Cybersecurity-onderzoek.", ""),
    ("PV31", "ministerie", "EZ", "Zorg", "Zorg en arbeidsmarkt over de grens.", "ez@ez.nl"),
)


def csv_text(
    rows: Sequence[Sequence[str]], *, header: Sequence[str] = HEADER, delimiter: str = ";"
) -> str:
    """The text of a CSV file with ``header`` and ``rows``, quoted where needed."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write a real CSV file into the test's folder and return its path."""

    def write(
        name: str,
        rows: Sequence[Sequence[str]] = GOOD_ROWS,
        *,
        encoding: str = "utf-8",
        text: str | None = None,
        **options: object,
    ) -> Path:
        path = tmp_path / name
        path.write_bytes((text if text is not None else csv_text(rows, **options)).encode(encoding))
        return path

    return write


@dataclass
class Outcome:
    """What a user of the ``opportunity`` commands sees."""

    exit_code: int
    stdout: str
    error: str

    def json(self) -> object:
        """Stdout parsed as JSON."""
        import json

        return json.loads(self.stdout)


@pytest.fixture
def opportunity_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Outcome]:
    """Run ``spreiding opportunity ARGS...`` on a fresh Typer app with ``register()`` applied.

    A domain error becomes exit code 2 and its one-line message, as ``spreiding.cli.main.main``
    does it.
    """
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        """A root callback, so that ``opportunity`` stays a sub-command."""

    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> Outcome:
        get_settings.cache_clear()
        result = CliRunner().invoke(app, ["opportunity", *args])
        if isinstance(result.exception, SpreidingError):
            return Outcome(2, result.stdout, str(result.exception))
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Outcome(result.exit_code, result.stdout, result.stderr)

    return run
