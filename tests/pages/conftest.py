"""Browser tests of the pages: Playwright drives Debian's Chromium against a real service.

The service is the one the API tests use (:func:`tests.web.conftest._serve`): uvicorn on a
free loopback port, started once per test session and backend (SQLite, and PostgreSQL when
it answers), filled with the demo set and one account per role (cheap Argon2 parameters).
The browser is ``/usr/bin/chromium`` (``make chromium`` installs it); Playwright's own
browser downloads are never used. Screenshots of every page go to ``build/screens/``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from spreiding.models.db import get_engine, session_scope
from spreiding.models.tables import Case
from tests.conftest import UNDER_CI
from tests.web.conftest import PASSWORD, Server, _serve

CHROMIUM = os.environ.get("SPREIDING_CHROMIUM", "/usr/bin/chromium")
SCREENS = Path(__file__).resolve().parents[2] / "build" / "screens"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
FORM_FIELD = re.compile(r'name="formulier" value="([^"]+)"')


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def site(request: pytest.FixtureRequest) -> Iterator[Server]:
    """The running service with its pages, once per test session and backend."""
    with _serve(request.param) as running:
        yield running


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, for the browser tests of this folder.

    Not for the whole session: Playwright's sync API keeps an asyncio loop running in the
    main thread while it is open, and Prefect's sync calls (``State.result()``) then hand
    back coroutines to the tests that run after these.
    """
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        message = f"no Chromium at {CHROMIUM}: run 'make chromium' (apt-get install chromium)"
        if UNDER_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=nl"],
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, site: Server) -> Iterator[object]:
    """A fresh browser tab with no cookies, at the service's address, in Dutch."""
    context = browser.new_context(
        base_url=site.url, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    try:
        yield tab
    finally:
        context.close()


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the form, as a person would."""
    page.goto("/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("button", name="Uitloggen").wait_for()


def sign_out(page) -> None:
    """Press Uitloggen and land on Inloggen."""
    page.get_by_role("button", name="Uitloggen").click()
    page.get_by_role("heading", name="Inloggen").wait_for()


def screenshot(page, name: str) -> Path:
    """The whole page as ``build/screens/<name>.png``."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def plan_form(client, **changes: str) -> dict[str, str]:
    """The Plan melden form as the browser has it (its CSRF token and its one-time form
    token), filled in with a valid growth plan of FIN's BD; ``changes`` replace fields."""
    page = client.get("/plan-melden").text
    return {
        "csrf_token": CSRF_FIELD.search(page).group(1),
        "formulier": FORM_FIELD.search(page).group(1),
        "organisation": "BD", "case_type": "groei", "fte": "12", "location": "Groningen",
        "confidentiality": "intern", "stage": "plan", "title": "Plan", **changes,
    }  # fmt: skip


def cases_titled(site: Server, title: str) -> list[int]:
    """The ids of the stored cases with this title."""
    with session_scope(get_engine(site.settings.sqlalchemy_url)) as session:
        return list(session.exec(select(Case.id).where(Case.title == title)))
