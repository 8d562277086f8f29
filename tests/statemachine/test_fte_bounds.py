"""The fte of a decision, an MR decision or a submitted plan has the bounds of a registered
plan's: more than 0 and at most ``MAX_FTE`` (100.000); ``1e12`` is a typo, not a decision."""

from __future__ import annotations

import pytest

from spreiding.core.errors import TransitionRefused
from spreiding.statemachine import rules
from spreiding.statemachine.service import MAX_FTE


@pytest.mark.parametrize("event", ["decide", "record_mr_decision", "submit_plan"])
@pytest.mark.parametrize("fte", [1e12, "1e12", MAX_FTE + 1])
def test_an_fte_above_the_plan_maximum_is_refused_in_dutch(event, fte) -> None:
    payload = {**rules.example_payload(event), "fte": fte}
    with pytest.raises(TransitionRefused, match=r"ten hoogste 100\.000 fte"):
        rules.check_payload(event, payload)


def test_the_maximum_itself_is_accepted() -> None:
    assert rules.check_payload("decide", {"fte": MAX_FTE})["fte"] == MAX_FTE
