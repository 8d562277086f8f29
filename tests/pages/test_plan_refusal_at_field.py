"""A refusal of the service on Plan melden that names a field ('fte') shows at that field
too, not only in the banner at the top, so a person sees what to change where."""

from __future__ import annotations

import re

from tests.pages.conftest import plan_form
from tests.pages.test_bad_input import _field_error, _signed_in


def test_a_growth_plan_of_zero_fte_is_refused_at_the_fte_field(site) -> None:
    client, _csrf = _signed_in(site, "ministry:FIN")
    answer = client.post("/plan-melden", data=plan_form(client, fte="0", title="Groei van niets"))
    assert answer.status_code == 409
    assert "meer dan 0 fte" in _field_error(answer.text, "fte")
    assert 'aria-invalid="true"' in re.search(r'<input[^>]*id="fte"[^>]*>', answer.text).group(0)
