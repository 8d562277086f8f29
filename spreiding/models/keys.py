"""The audit key's file: where it lives, creating it, reading it.

The key seals the audit trail (see :mod:`spreiding.statemachine.audit`) and is kept outside
the database, so that someone who can write the database cannot re-seal an edited trail.
Its default home is ``data_dir/audit.key`` (next to the SQLite database), created by
``spreiding init`` with mode 0600; production sets ``SPREIDING_AUDIT_KEY_FILE`` to the path
of a file it provisions (the setting holds a path, so the key never shows in the environment).
The file holds 32 or more random bytes as hexadecimal text.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from spreiding.core.errors import ConfigurationError

KEY_BYTES = 32


def create_key_file(path: Path) -> bool:
    """Create a new random key at ``path`` (mode 0600); False when a file is there already.

    The key is written to a temporary file and linked into place, so a concurrent reader
    never sees a half-written key and two creators cannot both win.
    """
    if path.exists():
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(KEY_BYTES) + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        finally:
            temporary.unlink()
    except OSError as exc:
        raise ConfigurationError(
            f"cannot create the audit key file {path}: {exc.strerror or exc}"
        ) from None
    return True


def read_key_file(path: Path) -> bytes:
    """The key in ``path``; a missing, unprotected or malformed file raises ConfigurationError."""
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise ConfigurationError(
            f"the audit key file {path} does not exist: restore it, set SPREIDING_AUDIT_KEY_FILE, "
            "or run 'spreiding init' on a new store"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"cannot read the audit key file {path}: {exc}") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigurationError(
            f"the audit key file {path} is accessible to others (mode {stat.S_IMODE(mode):o}); "
            f"make it readable by its owner only: chmod 600 {path}"
        )
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < KEY_BYTES:
        raise ConfigurationError(
            f"the audit key file {path} must hold at least {KEY_BYTES} random bytes as hex text"
        )
    return key
