"""Step definitions of features/jaarlijkse-inventarisatie.feature, on SQLite and PostgreSQL.

The steps act as BZK and the ministries would: files are written into the inbox, the annual
inventory runs (its flow body, without a Prefect server), mail goes to a real SMTP server.
"""

from __future__ import annotations

import hashlib
import socket
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pytest_bdd import given, parsers, scenarios, then, when
from sqlalchemy import func, select
from sqlmodel import Session

from spreiding.core.errors import InvalidSubmission
from spreiding.core.settings import get_settings
from spreiding.inventory.deliveries import import_file
from spreiding.inventory.demo_files import write_demo_files
from spreiding.models import OutboxMessage, Submission, WorkforceCount
from spreiding.models.db import session_scope
from spreiding.models.figures import distribution
from spreiding.models.registry import add_ministry

scenarios(
    "../../features/jaarlijkse-inventarisatie.feature",
    features_base_dir=str(Path(__file__).parent),
)

OCW = "organisatie;gemeente;fte\nOCW-KERN;Den Haag;500\nDUO;Groningen;2500\nDUO;Den Haag;400\n"


class MailServer:
    """A real SMTP server on 127.0.0.1 that keeps the recipients of what it accepts."""

    def __init__(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.received: list[str] = []
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, _server, _session, envelope) -> str:
        self.received.extend(envelope.rcpt_tos)
        return "250 OK"


@dataclass
class World:
    """What the steps of one scenario share."""

    engine: Any
    inbox: Path
    tmp: Path
    mail: MailServer
    runs: list[dict] = field(default_factory=list)
    results: list[Any] = field(default_factory=list)
    refusal: str | None = None
    counts: tuple[int, ...] = ()


def _counts(engine) -> tuple[int, ...]:
    with Session(engine) as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table))
            for table in (Submission, WorkforceCount, OutboxMessage)
        )


def _current(engine, ministry: str) -> list[Submission]:
    with Session(engine) as session:
        return list(
            session.scalars(
                select(Submission)
                .where(Submission.ministry_code == ministry)
                .where(Submission.peildatum == date(2023, 1, 1))
                .order_by(Submission.id)
            )
        )


@pytest.fixture(autouse=True)
def store(demo_db):
    """Every scenario runs on the demo store, on SQLite and on PostgreSQL.

    Requested here rather than only in a step so that pytest parametrizes the scenarios by
    database when it collects them (a step cannot request a parametrized fixture).
    """
    return demo_db


@pytest.fixture
def mail_server(monkeypatch):
    server = MailServer()
    server.controller.start()
    monkeypatch.setenv("SPREIDING_SMTP__HOST", "127.0.0.1")
    monkeypatch.setenv("SPREIDING_SMTP__PORT", str(server.port))
    monkeypatch.setenv("SPREIDING_SMTP__SECURITY", "none")
    get_settings.cache_clear()
    yield server
    server.controller.stop()


@given("de demonstratiegegevens met twaalf ministeries", target_fixture="world")
def demo_store(store, mail_server, tmp_path) -> World:
    return World(store.engine(), get_settings().inbox / "2023", tmp_path, mail_server)


@given("elk ministerie heeft zijn opgave over 1 januari 2023 aangeleverd")
def every_ministry_delivered(world: World) -> None:
    write_demo_files(world.inbox)


@given(parsers.parse('het "{name}" met contactadres "{email}"'))
def new_ministry(world: World, name: str, email: str) -> None:
    with session_scope(world.engine) as session:
        add_ministry(session, code="NZ", name=name, contact_email=email)


@given(parsers.parse("het ministerie {code} heeft zijn opgave over 2023 aangeleverd"))
def ministry_delivered(world: World, code: str) -> None:
    path = world.tmp / f"{code.lower()}-2023.csv"
    path.write_text(OCW, encoding="utf-8")
    world.results.append(import_file(path, year=2023))
    world.counts = _counts(world.engine)


@given(parsers.parse("in de opgave van BZK staat op regel {line:d} een negatief aantal fte"))
def negative_fte(world: World, line: int) -> None:
    path = world.inbox / "bzk-2023.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line - 1] = lines[line - 1].rsplit(";", 1)[0] + ";-3"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@when("de jaarlijkse inventarisatie over 2023 draait")
def run_once(world: World) -> None:
    from spreiding.flows.inventory import annual_inventory

    world.runs.append(annual_inventory.fn(year=2023, out=str(world.tmp / "rapport-1")))


@when("de jaarlijkse inventarisatie over 2023 twee keer draait")
def run_twice(world: World) -> None:
    from spreiding.flows.inventory import annual_inventory

    world.runs.append(annual_inventory.fn(year=2023, out=str(world.tmp / "rapport-1")))
    world.counts = _counts(world.engine)
    world.runs.append(annual_inventory.fn(year=2023, out=str(world.tmp / "rapport-2")))


@when(parsers.parse("het ministerie {code} een verbeterde opgave aanlevert met 100 fte meer"))
def corrected_delivery(world: World, code: str) -> None:
    path = world.tmp / f"{code.lower()}-2023-verbeterd.csv"
    path.write_text(OCW.replace("Den Haag;500", "Den Haag;600"), encoding="utf-8")
    world.results.append(import_file(path, year=2023))


@when(parsers.parse("het ministerie {code} dezelfde opgave nog eens aanlevert"))
def same_delivery(world: World, code: str) -> None:
    world.results.append(import_file(world.tmp / f"{code.lower()}-2023.csv", year=2023))


@when("een opgave organisaties van OCW en van Defensie bevat")
def mixed_delivery(world: World) -> None:
    world.counts = _counts(world.engine)
    path = world.tmp / "gemengd-2023.csv"
    path.write_text(OCW + "Koninklijke Marechaussee;Den Haag;10\n", encoding="utf-8")
    with pytest.raises(InvalidSubmission) as refused:
        import_file(path, year=2023)
    world.refusal = str(refused.value)


@then("telt de rapportage 336.270 fte")
def report_total(world: World) -> None:
    report = world.runs[-1]["report"]
    assert report["total_fte"] == 336_270
    text = (Path(report["dir"]) / "report.md").read_text(encoding="utf-8")
    assert "**336.270 fte**" in text


@then("vermeldt de rapportage dat het om synthetische demodata gaat")
def report_synthetic(world: World) -> None:
    folder = Path(world.runs[-1]["report"]["dir"])
    for name in ("report.md", "report.html", "kaart-fte.svg", "staafdiagram-provincies.svg"):
        assert "SYNTHETISCHE DEMODATA" in (folder / name).read_text(encoding="utf-8"), name


@then("bevat de rapportage kaarten, een staafdiagram en tabellen per provincie en per sector")
def report_files(world: World) -> None:
    names = set(world.runs[-1]["report"]["files"])
    for stem in ("kaart-fte", "kaart-verandering", "staafdiagram-provincies"):
        assert {f"{stem}.png", f"{stem}.svg"} <= names
    assert {"per-provincie.csv", "per-sector.csv", "report.md", "report.html"} <= names


@then(parsers.parse("telt voor 2023 alleen de verbeterde opgave van {code}"))
def only_corrected_counts(world: World, code: str) -> None:
    current = [s for s in _current(world.engine, code) if s.superseded_by is None]
    assert [s.source for s in current] == [f"{code.lower()}-2023-verbeterd.csv"]
    with Session(world.engine) as session:
        total = distribution(session, 2023, get_settings().randstad).total_fte
    demo_total = 6_851  # OCW's synthetic delivery, replaced by 3,400 and then by 3,500 fte
    assert total == pytest.approx(336_270 - demo_total + 3_500)


@then(parsers.parse("blijft de eerdere opgave van {code} bewaard"))
def earlier_kept(world: World, code: str) -> None:
    sources = [(s.source, s.superseded_by is None) for s in _current(world.engine, code)]
    assert (f"{code.lower()}-2023.csv", False) in sources


@then("is er niets veranderd")
def nothing_changed(world: World) -> None:
    assert world.results[-1].status == "unchanged"
    assert _counts(world.engine) == world.counts


@then(parsers.parse("wordt de opgave geweigerd met een melding die regel {line:d} noemt"))
def refused_naming_row(world: World, line: int) -> None:
    assert world.refusal is not None
    assert world.refusal.startswith(f"gemengd-2023.csv, regel {line}, kolom 'organisatie'")


@then("is er niets van geladen")
def nothing_loaded(world: World) -> None:
    assert _counts(world.engine) == world.counts


@then(
    parsers.parse(
        "is de opgave van BZK geweigerd met een melding die regel {line:d} en de kolom fte noemt"
    )
)
def bzk_refused(world: World, line: int) -> None:
    bzk = next(f for f in world.runs[-1]["files"] if f["file"] == "bzk-2023.csv")
    assert bzk["status"] == "refused"
    assert bzk["message"].startswith(f"bzk-2023.csv, regel {line}, kolom 'fte'")


@then(parsers.parse("zijn de opgaven van de andere {count:d} ministeries geladen"))
def others_loaded(world: World, count: int) -> None:
    loaded = [f for f in world.runs[-1]["files"] if f["status"] == "loaded"]
    assert len(loaded) == count and "BZK" not in {f["ministry_code"] for f in loaded}


@then(parsers.parse('heeft "{email}" precies één herinnering ontvangen'))
def one_reminder(world: World, email: str) -> None:
    assert world.mail.received.count(email) == 1


@then("heeft verder niemand een herinnering ontvangen")
def nobody_else(world: World) -> None:
    assert len(world.mail.received) == 1


@then("noemt de rapportage de cijfers voorlopig")
def provisional(world: World) -> None:
    text = (Path(world.runs[-1]["report"]["dir"]) / "report.md").read_text(encoding="utf-8")
    assert "Voorlopige cijfers" in text and "Ministerie van Nieuwe Zaken" in text


@then("is de rapportage van de tweede keer gelijk aan die van de eerste")
def same_report(world: World) -> None:
    def digests(folder: Path) -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}

    assert digests(world.tmp / "rapport-1") == digests(world.tmp / "rapport-2")


@then("zijn er geen leveringen dubbel geladen")
def no_duplicates(world: World) -> None:
    assert _counts(world.engine) == world.counts
    assert {f["status"] for f in world.runs[-1]["files"]} == {"unchanged"}
