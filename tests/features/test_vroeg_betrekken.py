"""The living specification: features/vroeg-betrekken.feature, on SQLite and PostgreSQL."""

import pytest
from pytest_bdd import scenarios

pytestmark = pytest.mark.usefixtures("spec_db")

scenarios("../../features/vroeg-betrekken.feature")
