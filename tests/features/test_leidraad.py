"""The living specification: features/leidraad.feature, on SQLite and PostgreSQL."""

import pytest
from pytest_bdd import scenarios

pytestmark = pytest.mark.usefixtures("spec_db")

scenarios("../../features/leidraad.feature")
