"""The password rules and Argon2 hashing."""

from __future__ import annotations

import pytest

from spreiding.accounts.passwords import (
    MIN_LENGTH,
    check_password,
    common_passwords,
    generate_password,
    hash_password,
    verify_password,
)
from spreiding.core.errors import ConfigurationError, InvalidInput
from spreiding.core.settings import AccountSettings, get_settings


def test_a_short_password_is_refused_saying_how_long_it_must_be():
    with pytest.raises(InvalidInput, match=f"ten minste {MIN_LENGTH} tekens"):
        check_password("kort1234")


@pytest.mark.parametrize(
    "password", ["qwerty123456", "WachtWoord123", "welkom123456!", "1qaz2wsx3edc"]
)
def test_a_common_password_is_refused_also_with_digits_or_case_changed(password):
    with pytest.raises(InvalidInput, match="meest gebruikte wachtwoorden"):
        check_password(password)


def test_the_shipped_list_holds_thousands_of_common_passwords():
    passwords = common_passwords()
    assert len(passwords) > 5000
    assert {"123456", "password", "wachtwoord", "qwertyuiop123"} <= passwords


def test_a_generated_password_passes_the_rules_and_differs_every_time():
    made = {generate_password() for _ in range(20)}
    assert len(made) == 20
    for password in made:
        assert check_password(password) == password


def test_the_hash_verifies_only_the_right_password_with_the_configured_costs():
    settings = get_settings().accounts
    stored = hash_password("een lang en goed wachtwoord", settings)
    assert stored.startswith("$argon2id$") and "m=8,t=1,p=1" in stored
    assert verify_password(stored, "een lang en goed wachtwoord", settings)
    assert not verify_password(stored, "een lang en fout wachtwoord", settings)
    assert not verify_password("not a hash", "een lang en goed wachtwoord", settings)


def test_without_settings_the_library_defaults_are_used():
    stored = hash_password("een lang en goed wachtwoord", AccountSettings())
    assert "m=65536,t=3,p=4" in stored


def test_too_little_memory_for_the_lanes_is_a_configuration_error(monkeypatch):
    monkeypatch.setenv("SPREIDING_ACCOUNTS__ARGON2_PARALLELISM", "4")
    get_settings.cache_clear()
    with pytest.raises(ConfigurationError, match="SPREIDING_ACCOUNTS"):
        get_settings()
    get_settings.cache_clear()
