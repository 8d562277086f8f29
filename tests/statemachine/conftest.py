"""Every lifecycle test keeps its audit key in its own temporary data folder, never in ./var."""

from __future__ import annotations

import pytest

from spreiding.core.settings import get_settings


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SPREIDING_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
