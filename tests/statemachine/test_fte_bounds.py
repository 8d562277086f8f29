"""The fte of a decision, an MR decision or a submitted plan: the bounds of a registered plan's
(more than 0, at most ``MAX_PLAN_FTE``, 100.000), and text read as the pages read it."""

from __future__ import annotations

import pytest

from spreiding.core.errors import TransitionRefused
from spreiding.statemachine import rules


@pytest.mark.parametrize("event", ["decide", "record_mr_decision", "submit_plan"])
@pytest.mark.parametrize("fte", [1e12, "100001", rules.MAX_PLAN_FTE + 1])
def test_an_fte_above_the_plan_maximum_is_refused_in_dutch(event, fte) -> None:
    payload = {**rules.example_payload(event), "fte": fte}
    with pytest.raises(TransitionRefused, match=r"ten hoogste 100\.000 fte"):
        rules.check_payload(event, payload)


def test_the_maximum_itself_is_accepted() -> None:
    assert rules.check_payload("decide", {"fte": rules.MAX_PLAN_FTE})["fte"] == rules.MAX_PLAN_FTE


def test_an_fte_sent_as_text_is_read_as_the_pages_read_it() -> None:
    assert rules.check_payload("decide", {"fte": "1.234,5"})["fte"] == 1234.5
    assert rules.check_payload("decide", {"fte": "12,5"})["fte"] == 12.5
    with pytest.raises(TransitionRefused, match="kan 1234 of 1,234 betekenen"):
        rules.check_payload("decide", {"fte": "1.234"})
    with pytest.raises(TransitionRefused, match="is geen getal"):
        rules.check_payload("decide", {"fte": "1,2,3"})
