"""Which peildatum a projection starts from: the newest year that every ministry delivered."""

from datetime import date

from spreiding.simulation.baseline import latest_complete_peildatum

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
