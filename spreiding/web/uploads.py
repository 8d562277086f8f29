"""The name an uploaded delivery is saved under, for the API and the Leveringen page alike.

The upload is written to a temporary folder under its own name (the reader tells a CSV from a
workbook by it, and every message names it); a name longer than a file system takes would
fail there with an ``OSError``, so it is refused first with a Dutch message.
"""

from __future__ import annotations

from pathlib import Path

from spreiding.core import dutch
from spreiding.core.errors import InvalidSubmission

NAME_LIMIT_BYTES = 200
"""The longest file name taken, in UTF-8 bytes (file systems take 255; a margin for suffixes)."""


def upload_name(filename: str | None) -> str:
    """The upload's own name without any folder; refused when empty, hidden or too long."""
    name = Path(filename or "").name.strip()
    if not name or name.startswith("."):
        raise InvalidSubmission("het bestand heeft geen naam; stuur het als .csv- of .xlsx-bestand")
    size = len(name.encode("utf-8"))
    if size > NAME_LIMIT_BYTES:
        raise InvalidSubmission(
            f"de bestandsnaam is te lang ({dutch.whole(size)} bytes, ten hoogste "
            f"{NAME_LIMIT_BYTES}); geef het bestand een kortere naam, zoals fin-2024.csv"
        )
    return name
