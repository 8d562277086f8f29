"""Where a projection starts: the newest complete peildatum's current counts, from the store.

The counts are read by :func:`spreiding.models.figures.start_counts` with the same query as
the figures (:func:`~spreiding.models.figures.current_fte_counts`) and handed to the
simulation as plain numbers.
"""

from __future__ import annotations

from datetime import date

import pytest

from spreiding.core.errors import NotFound
from spreiding.core.settings import DEFAULT_RANDSTAD
from spreiding.models.db import session_scope
from spreiding.models.figures import distribution, latest_complete_peildatum, start_counts
from spreiding.models.loading import init_database
from tests.conftest import Database

Y22, Y23, Y24 = date(2022, 1, 1), date(2023, 1, 1), date(2024, 1, 1)


def test_a_year_with_only_some_deliveries_is_not_a_starting_point():
    delivered = [(Y23, "AZ"), (Y23, "BZK"), (Y23, "FIN"), (Y24, "AZ")]
    assert latest_complete_peildatum(delivered) == Y23


def test_the_newest_year_once_everyone_has_delivered():
    delivered = [(Y22, "AZ"), (Y22, "FIN"), (Y23, "AZ"), (Y23, "FIN"), (Y23, "BZK")]
    assert latest_complete_peildatum(delivered) == Y23


def test_a_single_year_and_no_years():
    assert latest_complete_peildatum([(Y22, "AZ")]) == Y22
    assert latest_complete_peildatum([]) is None


def test_the_demo_store_starts_on_1_january_2023_with_the_published_total(
    demo_db: Database,
) -> None:
    with session_scope(demo_db.engine()) as session:
        start = start_counts(session)
        figures = distribution(session, 2023, DEFAULT_RANDSTAD)
    assert start.peildatum == Y23
    assert start.synthetic is True
    assert sum(fte for *_, fte in start.cells) == pytest.approx(336_270)
    assert len({code for code, *_ in start.cells}) > 1  # per organisation, not per sector
    # the same query as the figures: per province the counts agree with the distribution
    per_province: dict[str, float] = {}
    for _code, _sector, province, fte in start.cells:
        per_province[province] = per_province.get(province, 0.0) + fte
    for row in figures.rows:
        assert per_province.get(row.province_code, 0.0) == pytest.approx(row.fte)


def test_the_source_names_the_store_without_a_password(demo_db: Database) -> None:
    engine = demo_db.engine()
    with session_scope(engine) as session:
        start = start_counts(session)
    assert start.source == engine.url.render_as_string(hide_password=True)
    assert start.source.startswith(demo_db.backend)


def test_a_store_without_counts_says_how_to_get_them(configured: Database) -> None:
    init_database(configured.engine())
    with session_scope(configured.engine()) as session, pytest.raises(NotFound) as refused:
        start_counts(session)
    assert "spreiding init --demo" in str(refused.value)


def test_every_complete_peildatum_and_a_start_on_an_earlier_one(demo_db: Database) -> None:
    from spreiding.models.figures import complete_peildata, store_complete_peildata

    delivered = [(Y22, "AZ"), (Y22, "FIN"), (Y23, "AZ"), (Y24, "AZ"), (Y24, "FIN")]
    assert complete_peildata(delivered) == [Y22, Y24]  # 2023 lacks FIN
    with session_scope(demo_db.engine()) as session:
        assert [d.year for d in store_complete_peildata(session)] == [2021, 2022, 2023]
        start = start_counts(session, 2021)
    assert start.peildatum == date(2021, 1, 1)
    assert sum(fte for *_, fte in start.cells) == pytest.approx(311_353)
