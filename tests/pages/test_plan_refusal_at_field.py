"""A refusal of the service on Plan melden that names a field ('fte') shows at that field
too, not only in the banner at the top, so a person sees what to change where."""

from __future__ import annotations

import re

from tests.pages.test_bad_input import _field_error, _signed_in

FORM = re.compile(r'name="formulier" value="([^"]+)"')


def test_a_growth_plan_of_zero_fte_is_refused_at_the_fte_field(site) -> None:
    client, csrf = _signed_in(site, "ministry:FIN")
    form = FORM.search(client.get("/plan-melden").text).group(1)
    answer = client.post(
        "/plan-melden",
        data={"csrf_token": csrf, "formulier": form, "organisation": "BD",
              "case_type": "groei", "fte": "0", "location": "Groningen",
              "confidentiality": "intern", "stage": "plan", "title": "Groei van niets"},
    )  # fmt: skip
    assert answer.status_code == 409
    assert "meer dan 0 fte" in _field_error(answer.text, "fte")
    assert 'aria-invalid="true"' in re.search(r'<input[^>]*id="fte"[^>]*>', answer.text).group(0)
