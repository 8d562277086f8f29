"""The living specification: features/rollen.feature, on SQLite and PostgreSQL."""

import pytest
from pytest_bdd import scenarios

pytestmark = pytest.mark.usefixtures("spec_db")

scenarios("../../features/rollen.feature")
