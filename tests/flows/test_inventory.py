"""The annual-inventory flow end to end on the demo store: files in, mail out, report written.

The business steps run through ``annual_inventory.fn`` (no Prefect server); one test runs the
flow for real under the session's Prefect test server and checks its artifacts.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
from datetime import date
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select
from sqlmodel import Session

from spreiding.core.settings import get_settings
from spreiding.inventory.demo_files import write_demo_files
from spreiding.models import OutboxMessage, Submission, WorkforceCount
from spreiding.models.db import session_scope
from spreiding.models.registry import add_ministry
from tests.inventory.test_report import FILES  # the files a report consists of
from tests.mailserver import free_port

DEMO_FILES = [
    "az-2023.csv",
    "bz-2023.csv",
    "bzk-2023.csv",
    "def-2023.xlsx",
    "ez-2023.csv",
    "fin-2023.csv",
    "ienw-2023.csv",
    "jenv-2023.xlsx",
    "lvvn-2023.csv",
    "ocw-2023.csv",
    "szw-2023.csv",
    "vws-2023.csv",
]


def annual_inventory():
    from spreiding.flows.inventory import annual_inventory as flow

    return flow


def row_counts(engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table))
            for table in (Submission, WorkforceCount, OutboxMessage)
        )


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


class MailServer:
    """A real SMTP server on 127.0.0.1 that keeps the envelopes it accepts."""

    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.received: list[tuple[str, ...]] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, _server, _session, envelope) -> str:
        self.received.append(tuple(envelope.rcpt_tos))
        return "250 OK"


@pytest.fixture(autouse=True)
def no_smtp(monkeypatch):
    """In every test here mail goes nowhere unless ``mail_server`` runs: no
    ``SPREIDING_SMTP__*`` from the environment, and the host is a port on 127.0.0.1 that
    nothing listens on (not localhost:25, where an MTA may run)."""
    for name in [name for name in os.environ if name.upper().startswith("SPREIDING_SMTP__")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("SPREIDING_SMTP__HOST", "127.0.0.1")
    monkeypatch.setenv("SPREIDING_SMTP__PORT", str(free_port()))
    get_settings.cache_clear()


@pytest.fixture
def mail_server(no_smtp, monkeypatch):
    server = MailServer()
    server.controller.start()
    monkeypatch.setenv("SPREIDING_SMTP__HOST", "127.0.0.1")
    monkeypatch.setenv("SPREIDING_SMTP__PORT", str(server.port))
    monkeypatch.setenv("SPREIDING_SMTP__SECURITY", "none")
    monkeypatch.setenv("SPREIDING_BZK_EMAIL", "spreiding@minbzk.nl")
    get_settings.cache_clear()
    yield server
    server.controller.stop()
    get_settings.cache_clear()


@pytest.fixture
def inbox(demo_db) -> Path:
    """The configured inbox folder for 2023, holding the demo ministries' deliveries."""
    folder = get_settings().inbox / "2023"
    write_demo_files(folder)
    return folder


def test_the_demo_year_loads_the_delivered_files_and_writes_the_report(demo_db, inbox):
    summary = annual_inventory().fn(year=2023)
    assert [f["file"] for f in summary["files"]] == DEMO_FILES
    assert {f["status"] for f in summary["files"]} == {"loaded"}
    report = summary["report"]
    assert report["total_fte"] == 336_270
    assert report["files"] == FILES
    out = get_settings().data_dir / "reports" / "2023"
    assert report["dir"] == str(out)
    assert sorted(p.name for p in out.iterdir()) == FILES
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "**336.270 fte**" in text
    assert "SYNTHETISCHE DEMODATA" in text
    with Session(demo_db.engine()) as session:
        current = session.scalars(
            select(Submission.source).where(
                Submission.peildatum == date(2023, 1, 1), Submission.superseded_by.is_(None)
            )
        ).all()
    assert sorted(current) == DEMO_FILES  # the synthetic demo submissions are superseded
    assert summary["missing"] == [] and summary["reminders_queued"] == []


def test_a_rerun_gives_the_same_report_and_no_duplicate_rows_or_mails(demo_db, inbox, tmp_path):
    flow = annual_inventory()
    flow.fn(year=2023, out=str(tmp_path / "first"))
    after_first = row_counts(demo_db.engine())
    second = flow.fn(year=2023, out=str(tmp_path / "second"))
    assert {f["status"] for f in second["files"]} == {"unchanged"}
    assert row_counts(demo_db.engine()) == after_first
    assert digests(tmp_path / "first") == digests(tmp_path / "second")


def test_a_bad_file_is_reported_and_skipped_and_the_others_load(demo_db, inbox):
    engine = demo_db.engine()
    bad = inbox / "bzk-2023.csv"
    lines = bad.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].rsplit(";", 1)[0] + ";-3"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = row_counts(engine)
    summary = annual_inventory().fn(year=2023)
    outcome = {f["file"]: f for f in summary["files"]}
    assert outcome["bzk-2023.csv"]["status"] == "refused"
    assert outcome["bzk-2023.csv"]["message"].startswith(
        "bzk-2023.csv, regel 5, kolom 'fte': '-3' is negatief"
    )
    assert sum(f["status"] == "loaded" for f in summary["files"]) == 11
    assert row_counts(engine)[0] == before[0] + 11
    with Session(engine) as session:
        bzk = session.scalars(
            select(Submission).where(
                Submission.ministry_code == "BZK",
                Submission.peildatum == date(2023, 1, 1),
                Submission.superseded_by.is_(None),
            )
        ).one()
    assert bzk.sha256 is None  # BZK's synthetic demo delivery still counts
    assert summary["report"]["total_fte"] == 336_270


def test_each_ministry_that_has_not_delivered_gets_exactly_one_mail(demo_db, inbox, mail_server):
    with session_scope(demo_db.engine()) as session:
        add_ministry(
            session, code="NZ", name="Ministerie van Nieuwe Zaken", contact_email="nz@x.nl"
        )
        add_ministry(session, code="OZ", name="Ministerie van Oude Zaken")
    flow = annual_inventory()
    first = flow.fn(year=2023)
    second = flow.fn(year=2023)
    assert first["missing"] == second["missing"] == ["NZ", "OZ"]
    assert (first["reminders_queued"], second["reminders_queued"]) == (["NZ", "OZ"], [])
    assert first["mail"] == {"sent": 2, "failed": 0, "pending": 0, "error": None}
    with Session(demo_db.engine()) as session:
        queued = session.execute(
            select(OutboxMessage.key, OutboxMessage.to_address, OutboxMessage.subject)
            .where(OutboxMessage.kind == "inventory-missing")
            .order_by(OutboxMessage.key)
        ).all()
    subject = "Herinnering: opgave rijkswerkgelegenheid peildatum 1 januari 2023"
    assert queued == [
        ("inventory:2023:NZ:missing", "nz@x.nl", subject),
        ("inventory:2023:OZ:missing", "spreiding@minbzk.nl", subject),  # no contact: BZK
    ]
    assert sorted(mail_server.received) == [("nz@x.nl",), ("spreiding@minbzk.nl",)]
    report = (Path(first["report"]["dir"]) / "report.md").read_text(encoding="utf-8")
    assert (
        "Nog niet geleverd: Ministerie van Nieuwe Zaken (NZ), Ministerie van Oude Zaken" in report
    )


def test_a_year_without_counts_reminds_every_ministry_and_writes_no_report(demo_db, tmp_path):
    summary = annual_inventory().fn(year=2030, inbox=str(tmp_path / "leeg"))
    assert summary["files"] == [] and summary["report"] is None
    assert len(summary["reminders_queued"]) == 12
    assert summary["mail"]["pending"] == 12  # no SMTP server here: they wait for the next run


def test_the_default_year_is_that_of_the_latest_first_of_january(demo_db, inbox, monkeypatch):
    monkeypatch.setenv("SPREIDING_TODAY", "2023-03-01")
    get_settings.cache_clear()
    assert annual_inventory().fn()["year"] == 2023


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_the_flow_runs_under_prefect_and_publishes_its_artifacts(
    prefect_harness, demo_db, tmp_path
):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        ArtifactFilterKey,
    )

    inbox = tmp_path / "inbox"
    write_demo_files(inbox)
    # The same bytes twice: loaded once; by stem, so 'bz-2023' comes before 'bz-2023-kopie'.
    shutil.copy(inbox / "bz-2023.csv", inbox / "bz-2023-kopie.csv")
    state = annual_inventory()(
        year=2023, inbox=str(inbox), out=str(tmp_path / "out"), return_state=True
    )
    assert state.is_completed()
    summary = state.result()
    assert summary["report"]["total_fte"] == 336_270
    # This run's artifacts: other tests in the session publish the same keys on one server.
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=["rijkswerkgelegenheid-2023", "inventarisatie-2023"]),
                flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id]),
            )
        )
    by_key = {a.key: a for a in artifacts}
    assert set(by_key) == {"rijkswerkgelegenheid-2023", "inventarisatie-2023"}
    assert by_key["rijkswerkgelegenheid-2023"].type == "table"
    table = by_key["rijkswerkgelegenheid-2023"]
    rows = json.loads(table.data) if isinstance(table.data, str) else table.data
    assert "SYNTHETISCHE DEMODATA" in table.description and "Bron: " in table.description
    assert {r["gegevens"] for r in rows} == {"SYNTHETISCHE DEMODATA"}  # a copied row says so
    total = rows[-1]
    assert (total["provincie"], total["fte"], total["aandeel"]) == ("Totaal", "336.270", "100,0%")
    by_name = {r["provincie"]: r for r in rows}
    assert (
        by_name["Zuid-Holland"]["aandeel"].endswith("%")
        and "," in by_name["Zuid-Holland"]["aandeel"]
    )
    assert "." in by_name["Zuid-Holland"]["fte"]  # thousands dot: Dutch, as the report
    markdown = str(by_key["inventarisatie-2023"].data)
    assert "336.270 fte" in markdown and "SYNTHETISCHE DEMODATA" in markdown
    assert "| bz-2023.csv | geladen | BZ |" in markdown
    assert "| bz-2023-kopie.csv | al geladen | BZ |" in markdown


def test_a_link_in_the_inbox_is_refused_unread_and_the_rest_loads(demo_db, inbox, tmp_path, caplog):
    secret = tmp_path / "elders" / "passwd"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:GEHEIM:/root:/bin/bash\n", encoding="utf-8")
    (inbox / "fin-2023-extra.csv").symlink_to(secret)
    summary = annual_inventory().fn(year=2023)
    outcome = {f["file"]: f for f in summary["files"]}
    refused = outcome["fin-2023-extra.csv"]
    assert refused["status"] == "refused"
    assert refused["message"] == (
        "fin-2023-extra.csv: is een koppeling, geen geleverd bestand; "
        "zet het bestand zelf in de inbox"
    )
    assert sum(f["status"] == "loaded" for f in summary["files"]) == 12
    from spreiding.inventory.inbox import summary_markdown

    assert "GEHEIM" not in summary_markdown(summary)
    assert "GEHEIM" not in caplog.text


def test_a_file_with_huge_fte_never_stops_the_flow(demo_db, inbox, mail_server):
    bad = inbox / "bzk-2023.csv"
    lines = bad.read_text(encoding="utf-8").splitlines()
    for number in (4, 5):
        lines[number] = lines[number].rsplit(";", 1)[0] + ";1.7e308"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with session_scope(demo_db.engine()) as session:
        add_ministry(
            session, code="NZ", name="Ministerie van Nieuwe Zaken", contact_email="n@nz.nl"
        )
    summary = annual_inventory().fn(year=2023)
    outcome = {f["file"]: f for f in summary["files"]}
    assert outcome["bzk-2023.csv"]["status"] == "refused"
    assert outcome["bzk-2023.csv"]["message"].startswith("bzk-2023.csv, regel 5, kolom 'fte'")
    assert sum(f["status"] == "loaded" for f in summary["files"]) == 11  # the later ones too
    assert summary["reminders_queued"] == ["NZ"] and summary["mail"]["sent"] == 1
    assert summary["report"]["total_fte"] == 336_270
