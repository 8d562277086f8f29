"""Output folders: the one check that a folder named by a user can take a command's files.

Used before any work is done (a report, the demo deliveries), so that a file, an empty value
or a place without write permission is refused with one line and nothing is written.
"""

from __future__ import annotations

import os
from pathlib import Path

from spreiding.core.errors import InvalidInput


def output_folder(value: str, option: str) -> Path:
    """The folder ``value`` names for a command's files, checked before anything is written.

    Refused with one line naming ``option``: an empty value (which would mean the working
    directory without saying so), a file, or a place where the folder cannot be created or
    written into. The folder itself is created by the command that writes into it.
    """
    if not value.strip():
        raise InvalidInput(f"{option} is leeg; noem een map")
    folder = Path(value).expanduser()
    existing = folder
    while not existing.exists():
        if existing.is_symlink() or existing.parent == existing:  # a dangling link, or no root
            raise InvalidInput(f"{option}: de map {value!r} kan niet worden aangemaakt")
        existing = existing.parent
    if not existing.is_dir():
        what = (
            "is een bestand, geen map"
            if existing == folder
            else f"ligt onder het bestand {existing}"
        )
        raise InvalidInput(f"{option}: {value!r} {what}")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise InvalidInput(f"{option}: in {existing} mag niets worden geschreven (geen toegang)")
    return folder
