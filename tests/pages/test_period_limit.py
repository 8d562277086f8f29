"""The period of a voornemen has one limit, the service's (``rules.PERIOD_LIMIT``): Plan
melden refuses a longer one at its field, the API with a 422, and both take one that fits."""

from __future__ import annotations

import pytest

from spreiding.statemachine.rules import PERIOD_LIMIT
from tests.pages.conftest import plan_form
from tests.pages.test_bad_input import _field_error, _signed_in


def _intention(period: str) -> dict[str, str]:
    return {"organisation": "BD", "case_type": "groei", "fte": "12", "location": "Groningen",
            "confidentiality": "intern", "stage": "voornemen", "period": period,
            "title": "Voornemen met periode"}  # fmt: skip


@pytest.mark.parametrize(("extra", "refused"), [(0, False), (1, True)])
def test_plan_melden_and_the_api_hold_a_period_to_the_same_limit(site, extra, refused) -> None:
    period = "p" * (PERIOD_LIMIT + extra)
    client, _csrf = _signed_in(site, "ministry:FIN")
    page = client.post("/plan-melden", data=plan_form(client, **_intention(period)))
    api = site.bearer("ministry:FIN").post("/cases", json={**_intention(period), "fte": 12})
    if refused:
        assert page.status_code == 422
        assert f"ten hoogste {PERIOD_LIMIT}" in _field_error(page.text, "period")
        assert api.status_code == 422 and api.json()["detail"].startswith("period:")
    else:
        assert page.status_code == 303, page.text
        assert api.status_code == 201, api.text
