"""Mijn werkvoorraad with more cases than a group shows: the first ones, the count, a way on.

A service of its own (not the shared ``site``): the many cases registered here would change
what the other page tests count.
"""

from __future__ import annotations

import re

import pytest

from spreiding.web.pages.cases import QUEUE_SHOWN
from tests.pages.conftest import sign_in
from tests.web.conftest import _serve

MANY = QUEUE_SHOWN + 5


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_a_long_work_queue_shows_the_first_cases_and_leads_to_all_of_them(browser, backend):
    with _serve(backend) as server:
        ministry = server.bearer("ministry:FIN")
        for n in range(MANY):
            early = ministry.post(
                "/cases",
                json={"organisation": "BD", "case_type": "groei", "fte": 120 + n,
                      "location": "Den Haag", "stage": "voornemen", "title": f"Voornemen {n}"},
            )  # fmt: skip
            assert early.status_code == 201, early.text
        context = browser.new_context(base_url=server.url, locale="nl-NL")
        page = context.new_page()
        try:
            sign_in(page, server.emails["ministry:FIN"])
            page.get_by_role("heading", name="Mijn werkvoorraad").wait_for()
            counted = page.get_by_text(re.compile(r"Deze groep telt \d+ zaken"))
            assert counted.count() == 1
            total = int(re.search(r"telt (\d+) zaken", counted.inner_text())[1])
            assert total >= MANY
            table = page.locator(
                "xpath=//p[contains(., 'Deze groep telt')]/preceding-sibling::table[1]"
            )
            assert table.locator("tbody tr").count() == QUEUE_SHOWN
            page.get_by_role("link", name="Bekijk ze in Zaken").click()
            page.get_by_role("heading", name="Zaken").wait_for()
            assert page.get_by_label("Wacht op mijn rol").is_checked()
            found = page.get_by_role("status").inner_text()
            assert found.startswith(f"{total} zaken gevonden")
        finally:
            context.close()
