"""An unexpected failure or a database refusal on a page's address answers a Dutch HTML page
with the account's menu and Uitloggen; the API keeps its problem details.

No route of the service can be made to fail this way on purpose (the known ones were fixed),
so the test builds its own instance of the application on the shared site's database and adds
two routes of its own: one that fails with an error no handler knows, one whose SQL the
database refuses. Our own handlers and pages run unmocked.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from spreiding.web.app import create_app
from spreiding.web.deps import SessionDep
from tests.pages.test_bad_input import _signed_in
from tests.web.conftest import Server


def _fails() -> None:
    raise RuntimeError("a failure no handler knows")


def _refused_by_database(session: SessionDep) -> None:
    session.exec(text("SELECT no_such_column FROM no_such_table"))  # type: ignore[call-overload]


@pytest.fixture
def failing(site: Server) -> Iterator[TestClient]:
    """The application on the site's database with two failing routes, signed in as BZK."""
    app: FastAPI = create_app(site.settings, clock=site.clock)
    for prefix in ("/proef", "/api/v1/proef"):
        app.add_api_route(f"{prefix}/onverwacht", _fails, methods=["GET"])
        app.add_api_route(f"{prefix}/database", _refused_by_database, methods=["GET"])
    signed_in, _csrf = _signed_in(site, "bzk")
    with TestClient(app, raise_server_exceptions=False, base_url=site.url) as client:
        client.cookies.update(signed_in.cookies)
        yield client
    signed_in.close()


def test_an_unexpected_failure_on_a_page_answers_a_dutch_page_with_the_menu(failing) -> None:
    answer = failing.get("/proef/onverwacht")
    assert answer.status_code == 500
    assert answer.headers["content-type"].startswith("text/html")
    assert "Interne fout" in answer.text and "vastgelegd voor BZK" in answer.text
    assert "Uitloggen" in answer.text and 'href="/zaken"' in answer.text


def test_a_database_refusal_on_a_page_answers_a_dutch_page_with_the_menu(failing) -> None:
    answer = failing.get("/proef/database")
    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("text/html")
    assert "Database weigert" in answer.text and "er is niets gewijzigd" in answer.text
    assert "Uitloggen" in answer.text and 'href="/zaken"' in answer.text


@pytest.mark.parametrize(("path", "status"), [("onverwacht", 500), ("database", 503)])
def test_the_api_still_answers_such_failures_with_problem_details(failing, path, status) -> None:
    answer = failing.get(f"/api/v1/proef/{path}")
    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
