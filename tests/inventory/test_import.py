"""Loading delivered files into the store, on SQLite and PostgreSQL, with real files.

Each rule of loading has its own test: a good CSV or workbook loads; every bad file of the
corpus is refused, naming file, row and column, with nothing stored; a new delivery replaces
the old one (which stays); the same file twice changes nothing; a file mixing ministries is
refused at its first row of another ministry.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlmodel import Session

from spreiding.core.errors import InvalidSubmission
from spreiding.inventory.deliveries import (
    import_file,
    list_deliveries,
    load_submission,
    missing_ministries,
    read_file,
)
from spreiding.models import OutboxMessage, Submission, WorkforceCount
from spreiding.models.db import session_scope
from spreiding.models.figures import distribution
from spreiding.models.registry import add_ministry, add_organisation
from tests.inventory.test_files import BAD, BAD_FILES

RANDSTAD = ("PV26", "PV27", "PV28")
DEMO_BZK_2023 = 7359  # the synthetic demo delivery of BZK for 2023

BZK_CSV = (
    "organisatie;gemeente;fte\n"
    "BZK-KERN;Den Haag;1200,5\n"
    "Logius;GM0518;300\n"
    "Kadaster;Apeldoorn;80,25\n"
    "KAD;Groningen;19,25\n"
)


def counts(engine) -> tuple[int, int, int]:
    """Rows in submission, workforce_count and outbox."""
    with Session(engine) as session:
        return tuple(
            session.scalar(select(func.count()).select_from(table))
            for table in (Submission, WorkforceCount, OutboxMessage)
        )


def total_2023(engine) -> float:
    with Session(engine) as session:
        return distribution(session, 2023, RANDSTAD).total_fte


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_csv_loads_and_replaces_the_ministrys_delivery(demo_db, tmp_path):
    engine = demo_db.engine()
    before = counts(engine)
    result = import_file(write(tmp_path / "bzk-2023.csv", BZK_CSV), year=2023)
    assert (result.status, result.ministry_code, result.rows) == ("loaded", "BZK", 4)
    assert result.total_fte == pytest.approx(1600.0)
    assert result.synthetic is True  # its organisations are those of the demo set
    assert len(result.superseded) == 1
    assert counts(engine) == (before[0] + 1, before[1] + 4, before[2])
    assert total_2023(engine) == pytest.approx(336_270 - DEMO_BZK_2023 + 1600.0)


def test_a_good_workbook_loads(demo_db, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Opgave Defensie, peildatum 1 januari 2023"])
    sheet.append(["Organisatie", "Gemeente", "FTE"])
    sheet.append(["CLAS", "Apeldoorn", 2500])
    sheet.append(["Koninklijke Marechaussee", "Den Haag", 1250.5])
    book.save(tmp_path / "defensie.xlsx")
    result = import_file(tmp_path / "defensie.xlsx", year=2023)
    assert (result.status, result.ministry_code, result.rows) == ("loaded", "DEF", 2)
    assert result.total_fte == pytest.approx(3750.5)
    with Session(demo_db.engine()) as session:
        rows = session.execute(
            select(WorkforceCount.municipality_code, WorkforceCount.fte)
            .where(WorkforceCount.submission_id == result.submission_id)
            .order_by(WorkforceCount.municipality_code)
        ).all()
    assert rows == [("GM0200", 2500.0), ("GM0518", 1250.5)]


@pytest.fixture
def corpus_db(demo_db):
    """The demo store plus an organisation called BZK, as the corpus files name it."""
    with session_scope(demo_db.engine()) as session:
        add_organisation(
            session,
            code="BZK",
            name="Bestuursdepartement BZK",
            ministry_code="BZK",
            sector="ministeries",
            is_zbo=False,
        )
    return demo_db


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_every_bad_file_is_refused_naming_where_and_loads_nothing(corpus_db, name):
    engine = corpus_db.engine()
    before = counts(engine)
    with pytest.raises(InvalidSubmission) as refused:
        import_file(BAD / name, year=2023)
    message = str(refused.value)
    assert "\n" not in message
    assert message.startswith((f"{name}:", f"{name},"))
    for fragment in BAD_FILES[name]:
        assert fragment in message
    assert counts(engine) == before
    assert total_2023(engine) == 336_270


def test_a_new_delivery_supersedes_the_old_which_stays_in_the_history(demo_db, tmp_path):
    engine = demo_db.engine()
    first = import_file(write(tmp_path / "bzk-2023.csv", BZK_CSV), year=2023)
    corrected = BZK_CSV.replace("Logius;GM0518;300", "Logius;GM0518;350")
    second = import_file(write(tmp_path / "bzk-2023-v2.csv", corrected), year=2023)
    assert second.status == "loaded"
    assert second.superseded == (first.submission_id,)
    with Session(engine) as session:
        deliveries = [d for d in list_deliveries(session, year=2023) if d.ministry_code == "BZK"]
    assert [(d.source, d.current) for d in deliveries] == [
        (deliveries[0].source, False),  # the synthetic demo delivery
        ("bzk-2023.csv", False),
        ("bzk-2023-v2.csv", True),
    ]
    assert deliveries[0].superseded_by == first.submission_id
    assert deliveries[1].superseded_by == second.submission_id
    assert total_2023(engine) == pytest.approx(336_270 - DEMO_BZK_2023 + 1650.0)


def test_the_same_file_twice_changes_nothing(demo_db, tmp_path):
    engine = demo_db.engine()
    path = write(tmp_path / "bzk-2023.csv", BZK_CSV)
    first = import_file(path, year=2023)
    after_first = counts(engine)
    again = import_file(path, year=2023)
    # the same bytes under another name are the same delivery too
    renamed = import_file(write(tmp_path / "kopie.csv", BZK_CSV), year=2023)
    assert (again.status, renamed.status) == ("unchanged", "unchanged")
    assert again.submission_id == renamed.submission_id == first.submission_id
    assert counts(engine) == after_first


def test_an_earlier_version_delivered_again_does_not_come_back(demo_db, tmp_path):
    engine = demo_db.engine()
    path = write(tmp_path / "v1.csv", BZK_CSV)
    import_file(path, year=2023)
    import_file(write(tmp_path / "v2.csv", BZK_CSV.replace("300", "310")), year=2023)
    before = counts(engine)
    assert import_file(path, year=2023).status == "unchanged"
    assert counts(engine) == before
    assert total_2023(engine) == pytest.approx(336_270 - DEMO_BZK_2023 + 1610.0)


def test_the_same_file_for_another_year_is_a_delivery_of_its_own(demo_db, tmp_path):
    path = write(tmp_path / "levering.csv", BZK_CSV)
    assert import_file(path, year=2023).status == "loaded"
    assert import_file(path, year=2022).status == "loaded"


def test_a_file_mixing_ministries_is_refused_at_every_row_of_another(demo_db, tmp_path):
    engine = demo_db.engine()
    before = counts(engine)
    mixed = BZK_CSV + "Rijkswaterstaat;Utrecht;12\n"
    with pytest.raises(InvalidSubmission) as refused:
        import_file(write(tmp_path / "gemengd.csv", mixed), year=2023)
    assert str(refused.value) == (
        "gemengd.csv, regel 6, kolom 'organisatie': 'RWS' hoort bij ministerie IENW, maar regel 2 "
        "('BZK-KERN') bij BZK; een levering bevat de organisaties van één ministerie, lever dus "
        "één bestand per ministerie"
    )
    assert counts(engine) == before


def test_a_refusal_after_reading_rolls_back_the_callers_transaction(demo_db, tmp_path):
    engine = demo_db.engine()
    before = counts(engine)
    path = write(tmp_path / "gemengd.csv", BZK_CSV + "RWS;Utrecht;12\n")
    with pytest.raises(InvalidSubmission), session_scope(engine) as session:
        load_submission(session, read_file(session, path, year=2023))
    assert counts(engine) == before


def test_a_delivery_of_real_organisations_is_not_marked_synthetic(demo_db, tmp_path):
    with session_scope(demo_db.engine()) as session:
        add_ministry(session, code="NEW", name="Ministerie van Nieuwe Zaken")
        add_organisation(
            session,
            code="NZ-KERN",
            name="Kerndepartement Nieuwe Zaken",
            ministry_code="NEW",
            sector="ministeries",
            is_zbo=False,
        )
    result = import_file(
        write(tmp_path / "nz.csv", "organisatie,gemeente,fte\nNZ-KERN,Zwolle,40\n"), year=2023
    )
    assert (result.ministry_code, result.synthetic, result.superseded) == ("NEW", False, ())


def test_who_has_not_delivered(demo_db):
    with session_scope(demo_db.engine()) as session:
        add_ministry(
            session, code="NEW", name="Ministerie van Nieuwe Zaken", contact_email="a@b.nl"
        )
    with Session(demo_db.engine()) as session:
        assert [m.code for m in missing_ministries(session, 2023)] == ["NEW"]
        assert len(missing_ministries(session, 2024)) == 13


def test_a_waiting_reminder_is_cancelled_once_the_ministry_has_delivered(demo_db, tmp_path):
    from spreiding.inventory.deliveries import import_file, queue_reminders
    from spreiding.mail.outbox import count_pending

    engine = demo_db.engine()
    with session_scope(engine) as session:  # 2024: nobody has delivered yet
        queued = queue_reminders(session, 2024, fallback_email="bzk@example.nl")
        assert "BZK" in queued and count_pending(session) == len(queued)
    # The mail server is down; meanwhile BZK delivers.
    import_file(write(tmp_path / "bzk-2024.csv", BZK_CSV), year=2024, engine=engine)
    with session_scope(engine) as session:
        assert queue_reminders(session, 2024, fallback_email="bzk@example.nl") == []
        waiting = {m.key for m in session.scalars(select(OutboxMessage)) if m.cancelled_at is None}
    assert "inventory:2024:BZK:missing" not in waiting
    assert "inventory:2024:FIN:missing" in waiting
