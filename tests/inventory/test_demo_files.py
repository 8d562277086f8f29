"""The demo ministries' delivery files: the same bytes every time, and the published total."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlmodel import Session

from spreiding.inventory.deliveries import import_file
from spreiding.inventory.demo_files import demo_deliveries, write_demo_files
from spreiding.models import Submission
from spreiding.models.figures import distribution


def test_the_files_are_the_same_bytes_on_every_run():
    assert demo_deliveries() == demo_deliveries()


def test_there_is_one_file_per_ministry_some_of_them_workbooks():
    names = sorted(demo_deliveries())
    assert len(names) == 12
    assert [n for n in names if n.endswith(".xlsx")] == ["def-2023.xlsx", "jenv-2023.xlsx"]


def test_every_file_says_it_is_synthetic_in_its_first_row():
    for name, data in demo_deliveries().items():
        if name.endswith(".csv"):
            assert (
                data.decode("utf-8").splitlines()[0].lstrip('"').startswith("SYNTHETISCHE DEMODATA")
            ), name


def test_loading_them_replaces_the_synthetic_submissions_and_keeps_the_total(demo_db, tmp_path):
    engine = demo_db.engine()
    with Session(engine) as session:
        demo = dict(
            session.execute(
                select(Submission.ministry_code, Submission.total_fte).where(
                    Submission.peildatum == date(2023, 1, 1)
                )
            ).all()
        )
    for path in write_demo_files(tmp_path):
        result = import_file(path, year=2023)
        assert result.status == "loaded", path.name
        assert result.total_fte == pytest.approx(demo[result.ministry_code]), path.name
        assert len(result.superseded) == 1
    with Session(engine) as session:
        figures = distribution(session, 2023, ("PV26", "PV27", "PV28"))
        current = session.scalars(
            select(Submission).where(
                Submission.peildatum == date(2023, 1, 1), Submission.superseded_by.is_(None)
            )
        ).all()
    assert figures.total_fte == 336_270
    assert figures.synthetic is True  # still demo data, and the report will say so
    assert all(s.sha256 for s in current) and len(current) == 12
