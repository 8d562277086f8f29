"""``spreiding flows run`` through the real entry point: bad parameters and Prefect's start-up."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def own_environment(monkeypatch):
    """``prepare_prefect`` sets variables in ``os.environ``: keep them to this test."""
    monkeypatch.setattr(os, "environ", os.environ.copy())


def test_a_parameter_of_the_wrong_type_is_one_line_and_exit_2(cli, configured):
    result = cli("flows", "run", "annual-inventory", "--param", "year=abc")
    assert result.exit_code == 2
    assert "Traceback" not in result.stdout + result.stderr
    (line,) = [text for text in result.stderr.splitlines() if text.strip()]
    assert "annual-inventory" in line and "year" in line


def test_the_temporary_prefect_server_gets_time_to_start(monkeypatch, configured):
    from prefect.settings import Settings

    from spreiding.cli.flows import prepare_prefect

    monkeypatch.delenv("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", raising=False)
    prepare_prefect()
    assert Settings().server.ephemeral.startup_timeout_seconds == 90
    monkeypatch.setenv("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")
    prepare_prefect()  # a value set by the operator stays
    assert os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] == "300"


@pytest.mark.parametrize("value", ["0", "abc", "604801"])
def test_a_timeout_out_of_range_is_refused_before_anything_runs(cli, configured, value):
    result = cli("flows", "run", "case-deadline-signals", "--timeout", value)
    assert result.exit_code == 2
    assert "--timeout" in result.stderr and "Traceback" not in result.stderr


def test_a_server_started_here_schedules_a_year_ahead(monkeypatch, configured):
    from datetime import timedelta

    from prefect.settings import Settings

    from spreiding.cli.flows import prepare_prefect

    monkeypatch.delenv("PREFECT_SERVER_SERVICES_SCHEDULER_MAX_SCHEDULED_TIME", raising=False)
    prepare_prefect()
    # The yearly flows' next runs lie up to a year ahead; Prefect's default is 100 days.
    assert Settings().server.services.scheduler.max_scheduled_time >= timedelta(days=366)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SPREIDING_ALERTS__SECRET", "te-kort-geheim"),
        ("SPREIDING_ALERTS__URL", "spreiding.intern:8000"),
        ("SPREIDING_ALERTS__WINDOW_SECONDS", "1"),
    ],
)
def test_a_bad_alert_setting_is_one_line_naming_it_and_never_quotes_the_secret(
    cli, configured, monkeypatch, variable, value
):
    monkeypatch.setenv(variable, value)
    result = cli("deploy", "--pool", "spreiding")
    assert result.exit_code == 2
    assert result.error.startswith(f"{variable}: ")
    assert "te-kort-geheim" not in result.stdout + result.stderr


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_local_run_past_its_timeout_is_stopped_with_exit_124(
    prefect_harness, cli, zbos, days, monkeypatch
):
    import socket
    from datetime import date

    # An SMTP server that accepts the connection and then says nothing: delivery hangs.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        monkeypatch.setenv("SPREIDING_SMTP__HOST", "127.0.0.1")
        monkeypatch.setenv("SPREIDING_SMTP__PORT", str(silent.getsockname()[1]))
        monkeypatch.setenv("SPREIDING_SMTP__TIMEOUT", "120")
        days.on(date(2026, 5, 2))  # the SVB reminder is due: there is mail to deliver
        result = cli("flows", "run", "zbo-consultation-reminders", "--timeout", "3")
    assert result.exit_code == 124, result.stdout + result.stderr
    assert "niet klaar binnen 3 s / not finished within 3 s" in result.error
    assert "Prefect heeft hem gestopt" in result.error
