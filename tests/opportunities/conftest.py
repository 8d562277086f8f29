"""Helpers for the opportunity tests: CSV files in tmp_path and the ``opportunity`` commands."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

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
def opportunity_cli(cli) -> Callable[..., Outcome]:
    """Run ``spreiding opportunity ARGS...`` through the real entry point (the ``cli`` fixture).

    ``error`` is the one line a refusal prints on stderr, without its ``error: `` prefix.
    """

    def run(*args: str) -> Outcome:
        result = cli("opportunity", *args)
        return Outcome(result.exit_code, result.stdout, result.error)

    return run
