"""A NUL character (0x00) in text sent to the API: PostgreSQL cannot hold or compare it and
SQLite would store it silently, so on both it is refused as bad input, in Dutch, and nothing
is stored."""

from __future__ import annotations


def test_a_plan_title_with_a_nul_character_is_refused_in_dutch_and_not_stored(server) -> None:
    client = server.bearer("ministry:FIN")
    before = int(client.get("/cases", params={"limit": 1}).headers["x-total-count"])
    answer = client.post(
        "/cases",
        json={"organisation": "BD", "case_type": "groei", "fte": 10, "location": "Den Haag",
              "title": "Verhuizing\x00Almere"},
    )  # fmt: skip
    assert answer.status_code == 422, answer.text
    assert "NUL-teken" in answer.json()["detail"]
    assert "title" in answer.json()["detail"]
    assert int(client.get("/cases", params={"limit": 1}).headers["x-total-count"]) == before


def test_a_search_or_filter_with_a_nul_character_is_refused_in_dutch(server) -> None:
    client = server.bearer("bzk")
    for params in ({"q": "Almere\x00"}, {"ministry": "FIN\x00"}):
        answer = client.get("/cases", params=params)
        assert answer.status_code == 422, answer.text
        assert "NUL-teken" in answer.json()["detail"]
