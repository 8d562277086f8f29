"""Cheap Argon2 costs for every accounts test: each hash in milliseconds, not tens of them."""

from __future__ import annotations

import pytest

from spreiding.core.settings import get_settings


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Set the SPREIDING_ACCOUNTS__ARGON2_* settings the tests run with."""
    monkeypatch.setenv("SPREIDING_ACCOUNTS__ARGON2_TIME_COST", "1")
    monkeypatch.setenv("SPREIDING_ACCOUNTS__ARGON2_MEMORY_COST", "8")
    monkeypatch.setenv("SPREIDING_ACCOUNTS__ARGON2_PARALLELISM", "1")
    get_settings.cache_clear()
