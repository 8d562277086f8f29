"""A delivery whose file name is longer than a file system takes is refused in Dutch, on the
API and on the Leveringen page, instead of failing with a 500 when it is saved."""

from __future__ import annotations

import re

from tests.pages.test_bad_input import _signed_in

LONG_NAME = "fin-2024-" + "x" * 300 + ".csv"
ROWS = b"organisatie;gemeente;fte\nBelastingdienst;Almere;10\n"


def test_the_api_refuses_a_file_name_that_is_too_long(server) -> None:
    answer = server.bearer("ministry:FIN").post(
        "/deliveries", data={"year": "2024"}, files={"file": (LONG_NAME, ROWS, "text/csv")}
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"].startswith("de bestandsnaam is te lang (313 bytes")


def test_the_page_refuses_a_file_name_that_is_too_long_at_the_file_field(server) -> None:
    client, _csrf = _signed_in(server, "ministry:FIN")
    form = client.get("/leveringen")
    answer = client.post(
        "/leveringen",
        data={"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1),
              "year": "2024"},
        files={"file": (LONG_NAME, ROWS, "text/csv")},
    )  # fmt: skip
    assert answer.status_code == 422
    assert "De bestandsnaam is te lang (313 bytes" in answer.text
