"""Passwords: the rules a new password must meet, and hashing it with Argon2.

A password is at least :data:`MIN_LENGTH` characters and not among the most common passwords
(``data/common-passwords.txt``, where its source is named). It is stored only as its Argon2id
hash (argon2-cffi); the cost parameters come from the settings: the library's defaults unless
``SPREIDING_ACCOUNTS__ARGON2_*`` says otherwise (tests make them cheap).
"""

from __future__ import annotations

import secrets
import string
from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from spreiding.core.errors import InvalidInput
from spreiding.core.settings import AccountSettings

MIN_LENGTH = 12
MAX_LENGTH = 1024  # Argon2 takes any length; this only keeps a request from being absurd
GENERATED_LENGTH = 20
_ALPHABET = string.ascii_letters + string.digits


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of most common passwords, in lower case."""
    text = (files("spreiding.accounts") / "data" / "common-passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def check_password(password: str) -> str:
    """Return ``password`` if it may be used; raise InvalidInput saying what to change."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            f"het wachtwoord is te kort: kies er een van ten minste {MIN_LENGTH} tekens "
            f"(dit heeft er {len(password)})"
        )
    if len(password) > MAX_LENGTH:
        raise InvalidInput(f"het wachtwoord is te lang: ten hoogste {MAX_LENGTH} tekens")
    lowered = password.lower()
    stem = lowered.rstrip(string.digits + string.punctuation)
    if lowered in common_passwords() or stem in common_passwords():
        raise InvalidInput(
            "dit wachtwoord staat op de lijst van meest gebruikte wachtwoorden: kies een ander"
        )
    return password


def generate_password() -> str:
    """A strong random password (about 119 bits), for an account created without one."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(GENERATED_LENGTH))


def hasher(settings: AccountSettings) -> PasswordHasher:
    """The Argon2id hasher with the configured costs (library defaults where unset)."""
    defaults = PasswordHasher()
    return PasswordHasher(
        time_cost=settings.argon2_time_cost or defaults.time_cost,
        memory_cost=settings.argon2_memory_cost or defaults.memory_cost,
        parallelism=settings.argon2_parallelism or defaults.parallelism,
    )


def hash_password(password: str, settings: AccountSettings) -> str:
    """The Argon2id hash of a password that passed :func:`check_password`."""
    return hasher(settings).hash(password)


def verify_password(password_hash: str, password: str, settings: AccountSettings) -> bool:
    """Whether ``password`` matches the stored hash (False for any mismatch or bad hash)."""
    try:
        return hasher(settings).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash(time_cost: int | None, memory_cost: int | None, parallelism: int | None) -> str:
    settings = AccountSettings(
        argon2_time_cost=time_cost, argon2_memory_cost=memory_cost, argon2_parallelism=parallelism
    )
    return hash_password(generate_password(), settings)


def waste_time(password: str, settings: AccountSettings) -> None:
    """Spend what a real verification costs, so an unknown account answers as slowly."""
    verify_password(
        _dummy_hash(
            settings.argon2_time_cost, settings.argon2_memory_cost, settings.argon2_parallelism
        ),
        password,
        settings,
    )
