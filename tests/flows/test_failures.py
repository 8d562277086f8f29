"""Red when it is red: runs that could not deliver their mail or write their report end Failed.

Under a real Prefect (test) server: the run's state is Failed with the reason in Dutch as its
message, while the messages stay pending for the next run. A refused ministry file is the
ministry's error: the run completes and the artifact names the file.
"""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from spreiding.inventory.demo_files import write_demo_files
from spreiding.mail.outbox import deliver_pending


def _flow_run(state):
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return client.read_flow_run(state.state_details.flow_run_id)


def test_a_reminder_run_against_an_unreachable_smtp_server_is_failed(
    prefect_harness, zbos, mail_outage, days
):
    from spreiding.flows.reminders import zbo_consultation_reminders

    days.on(date(2026, 5, 2))
    state = zbo_consultation_reminders(today=date(2026, 5, 2), return_state=True)
    assert state.is_failed()
    assert "Bezorging van de e-mail mislukt" in state.message
    assert "1 bericht(en) blijven in de wachtrij voor de volgende run" in state.message
    run = _flow_run(state)
    assert run.state.is_failed() and run.name == "zbo-herinneringen-2026-05-02"
    mail_outage.start()  # the server is back: the next delivery sends what waited
    assert deliver_pending().sent == 1


def test_without_prefect_the_summary_names_the_problem(zbos, mail_outage, days):
    summary = days.zbo(date(2026, 5, 2))
    assert summary["pending"] == 1 and summary["problems"][0].startswith(
        "Bezorging van de e-mail mislukt"
    )


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_report_run_without_figures_is_failed(prefect_harness, demo_db, mail_server, tmp_path):
    from spreiding.flows.inventory import annual_inventory

    # 2019 has no counts in the demo set; its report day lies long behind us.
    state = annual_inventory(year=2019, inbox=str(tmp_path / "leeg"), return_state=True)
    assert state.is_failed()
    assert state.message == "Rapportage 2019 niet geschreven: nog geen cijfers voor dit jaar."
    assert _flow_run(state).name == "inventarisatie-2019"


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_refused_file_completes_the_run_and_shows_in_the_artifact(
    prefect_harness, demo_db, mail_server, tmp_path
):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from spreiding.flows.inventory import annual_inventory

    inbox = tmp_path / "inbox"
    write_demo_files(inbox)
    shutil.copy(inbox / "bz-2023.csv", inbox / "bz-2023-fout.csv")
    (inbox / "bz-2023-fout.csv").write_text("dit is geen levering\n", encoding="utf-8")
    state = annual_inventory(
        year=2023, inbox=str(inbox), out=str(tmp_path / "out"), return_state=True
    )
    assert state.is_completed()
    with get_client(sync_client=True) as client:
        (artifact,) = client.read_latest_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["inventarisatie-2023"]))
        )
    assert "## Geweigerde bestanden" in artifact.data and "bz-2023-fout.csv" in artifact.data
