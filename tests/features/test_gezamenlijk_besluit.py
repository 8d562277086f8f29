"""The living specification: features/gezamenlijk-besluit.feature, on SQLite and PostgreSQL."""

import pytest
from pytest_bdd import scenarios

pytestmark = pytest.mark.usefixtures("spec_db")

scenarios("../../features/gezamenlijk-besluit.feature")
