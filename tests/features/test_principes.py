"""The living specification: features/principes.feature, on SQLite and PostgreSQL."""

import pytest
from pytest_bdd import scenarios

pytestmark = pytest.mark.usefixtures("spec_db")

scenarios("../../features/principes.feature")
