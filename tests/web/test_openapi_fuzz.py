"""schemathesis against the OpenAPI document, as each role: never a 5xx, never a response
that breaks its documented schema. A bounded number of examples per operation and role runs
in ``make test``; ``SPREIDING_FUZZ_EXAMPLES=200`` runs a longer pass on demand.

It gets a server of its own: the fuzzer may disable accounts, revoke tokens and register
cases, which the other web tests must not see.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from spreiding.accounts.store import create_token, get_account
from spreiding.models.db import get_engine, session_scope
from tests.web.conftest import ROLES, Server, _serve

EXAMPLES = int(os.environ.get("SPREIDING_FUZZ_EXAMPLES", "3"))


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def fuzz_server(request: pytest.FixtureRequest) -> Iterator[Server]:
    """A server only for the fuzzer."""
    with _serve(request.param) as running:
        yield running


def _last_the_destructive(operation: schemathesis.APIOperation) -> tuple[bool, str]:
    return operation.method.upper() in ("DELETE", "PATCH"), operation.label


def _fresh_token(server: Server, role: str) -> str:
    with session_scope(get_engine(server.settings.sqlalchemy_url)) as session:
        return create_token(session, get_account(session, server.emails[role])).secret


def _fuzz(server: Server, operation: schemathesis.APIOperation, headers: dict) -> None:
    """Run the bounded examples of one operation; raise at the first failure."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        response = case.call(base_url=server.url, headers=headers)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    run()


@pytest.mark.parametrize("role", ROLES)  # beheer last: as beheer it may disable the others
def test_no_operation_answers_5xx_or_breaks_its_schema(fuzz_server, role):
    schema = schemathesis.openapi.from_url(f"{fuzz_server.api}/openapi.json")
    operations = sorted((r.ok() for r in schema.get_all_operations()), key=_last_the_destructive)
    failures = []
    for operation in operations:
        # A token of its own per operation: the fuzzer may revoke the one it uses.
        headers = {"Authorization": f"Bearer {_fresh_token(fuzz_server, role)}"}
        try:
            _fuzz(fuzz_server, operation, headers)
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {str(exc).splitlines()[0]}")
    assert failures == []
