"""``spreiding user ...``: accounts and tokens from the shell, on SQLite and PostgreSQL."""

from __future__ import annotations

import getpass
import io
import re

import pytest

PASSWORD = "een lang en goed wachtwoord"


@pytest.fixture
def stdin(monkeypatch):
    """Feed text to the next command's standard input."""

    def feed(text: str) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO(text))

    return feed


def _shown_secret(stdout: str) -> str:
    found = re.findall(r"store it safely\): (\S+)", stdout)
    assert len(found) == 1, stdout
    return found[0]


def test_add_without_a_password_makes_one_and_shows_it_once(demo_db, cli):
    added = cli("user", "add", "--email", "Anna@MinBZK.nl", "--name", "Anna", "--role", "bzk")
    assert added.exit_code == 0, added.stderr
    password = _shown_secret(added.stdout)
    assert len(password) >= 12
    listed = cli("user", "list", "--json")
    assert listed.json()[0]["email"] == "anna@minbzk.nl"
    assert password not in listed.stdout and "hash" not in listed.stdout
    again = cli("user", "add", "--email", "anna@minbzk.nl", "--name", "A", "--role", "bzk")
    assert again.exit_code == 2 and "er is al een account" in again.stderr


def test_add_with_password_stdin_prints_no_password(demo_db, cli, stdin):
    stdin(PASSWORD + "\n")
    added = cli("user", "add", "--email", "f@fin.nl", "--name", "F", "--role", "ministry:fin",
                "--password-stdin")  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert PASSWORD not in added.stdout and "ministry:FIN" in added.stdout


@pytest.mark.parametrize(
    ("role", "message"),
    [("ministry:XYZ", "ministerie 'XYZ' bestaat niet"), ("admin", "onbekende rol 'admin'")],
)
def test_a_bad_role_is_one_line_and_exit_2(demo_db, cli, role, message):
    result = cli("user", "add", "--email", "x@x.nl", "--name", "X", "--role", role)
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert cli("user", "list", "--json").json() == []


def test_a_common_password_is_refused_with_nothing_written(demo_db, cli, stdin):
    stdin("wachtwoord1234\n")
    result = cli("user", "add", "--email", "x@x.nl", "--name", "X", "--role", "bzk",
                 "--password-stdin")  # fmt: skip
    assert result.exit_code == 2 and "meest gebruikte wachtwoorden" in result.stderr
    assert cli("user", "list", "--json").json() == []


def test_set_role_disable_and_reset_password(demo_db, cli, stdin):
    cli("user", "add", "--email", "v@x.nl", "--name", "V", "--role", "viewer")
    assert cli("user", "set-role", "v@x.nl", "mr").exit_code == 0
    stdin(PASSWORD + "\n")
    reset = cli("user", "reset-password", "v@x.nl", "--password-stdin")
    assert reset.exit_code == 0 and PASSWORD not in reset.stdout
    assert cli("user", "disable", "V@X.NL").exit_code == 0
    (row,) = cli("user", "list", "--json").json()
    assert (row["role"], row["disabled"]) == ("mr", True)
    missing = cli("user", "disable", "nobody@x.nl")
    assert missing.exit_code == 2 and "geen account" in missing.stderr
    assert cli("user", "enable", "v@x.nl").exit_code == 0
    (row,) = cli("user", "list", "--json").json()
    assert row["disabled"] is False


def test_tokens_are_shown_once_listed_without_the_secret_and_revoked(demo_db, cli):
    cli("user", "add", "--email", "t@x.nl", "--name", "T", "--role", "bzk")
    made = cli("user", "token", "create", "t@x.nl", "--days", "7", "--name", "koppeling")
    assert made.exit_code == 0, made.stderr
    secret = _shown_secret(made.stdout)
    assert secret.startswith("spr_")
    listed = cli("user", "token", "list", "t@x.nl", "--json")
    assert listed.json()[0]["status"] == "active" and secret not in listed.stdout
    token_id = str(listed.json()[0]["id"])
    assert cli("user", "token", "revoke", token_id).exit_code == 0
    assert cli("user", "token", "list", "t@x.nl", "--json").json()[0]["status"] == "revoked"
    assert cli("user", "token", "revoke", "9999").exit_code == 2


def test_demo_accounts_one_per_role_marked_demo_and_repeatable(demo_db, cli):
    first = cli("user", "demo")
    assert first.exit_code == 0, first.stderr
    rows = cli("user", "list", "--json").json()
    roles = {r["role"] for r in rows}
    assert {"bzk", "mr", "viewer", "beheer"} <= roles
    assert any(r.startswith("ministry:") for r in roles)
    assert all(r["demo"] for r in rows)
    again = cli("user", "demo")
    assert again.exit_code == 0 and "exists already" in again.stdout
    assert len(cli("user", "list", "--json").json()) == len(rows)


def test_case_writes_on_the_cli_record_via_cli_and_the_os_user(demo_db, cli):
    made = cli("case", "register", "--org", "BD", "--type", "groei", "--fte", "150",
               "--location", "Den Haag", "--as", "bzk", "--actor", "Jan", "--json")  # fmt: skip
    assert made.exit_code == 0, made.stderr
    case_id = str(made.json()["id"])
    sent = cli("case", "send", case_id, "start_screening", "--as", "bzk", "--actor", "Piet")
    assert sent.exit_code == 0, sent.stderr
    events = cli("case", "show", case_id, "--as", "bzk", "--json").json()["events"]
    assert [e["actor"] for e in events] == ["Jan", "Piet"]
    for event in events:
        assert event["payload"]["via"] == "cli"
        assert event["payload"]["os_user"] == getpass.getuser()
        assert event["payload"]["actor_account"] is None
    assert cli("case", "verify", case_id, "--as", "bzk").exit_code == 0


def test_the_last_enabled_beheer_account_is_neither_disabled_nor_given_another_role(demo_db, cli):
    cli("user", "add", "--email", "b1@x.nl", "--name", "B1", "--role", "beheer")
    for command in (("disable", "b1@x.nl"), ("set-role", "b1@x.nl", "bzk")):
        refused = cli("user", *command)
        assert refused.exit_code == 2 and "laatste actieve account" in refused.stderr
    cli("user", "add", "--email", "b2@x.nl", "--name", "B2", "--role", "beheer")
    assert cli("user", "disable", "b1@x.nl").exit_code == 0  # b2 still manages accounts
    refused = cli("user", "set-role", "b2@x.nl", "viewer")
    assert refused.exit_code == 2 and "laatste actieve account" in refused.stderr
    rows = {r["email"]: r for r in cli("user", "list", "--json").json()}
    assert (rows["b2@x.nl"]["role"], rows["b2@x.nl"]["disabled"]) == ("beheer", False)
