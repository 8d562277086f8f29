"""The overview flow run for real on a Prefect test server (started once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spreiding.models.db import session_scope
from spreiding.opportunities.store import load_demo_opportunities


# One backend is enough here: the store itself is tested on both by the other modules.
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_the_flow_writes_the_overview_and_publishes_artifacts(prefect_harness, demo_db, tmp_path):
    from prefect.artifacts import Artifact

    from spreiding.flows import load_flow

    with session_scope(demo_db.engine()) as session:
        load_demo_opportunities(session, 2024)
    overview_flow = load_flow("regional-opportunities-overview")
    result = overview_flow(out=str(tmp_path / "out"))  # the latest year: 2024

    assert (result["year"], result["total"], result["synthetic"]) == (2024, 25, True)
    files = {name: Path(path) for name, path in result["files"].items()}
    assert all(path.is_file() for path in files.values())
    assert files["map-province-png"].name == "regionale-kansen-2024-provincies.png"
    assert result["artifacts"] == [
        "regional-opportunities-2024",
        "regional-opportunities-2024-counts",
    ]
    overview = Artifact.get("regional-opportunities-2024")
    assert overview is not None and overview.type == "markdown"
    assert "## Groningen: 4 kansen" in overview.data
    assert "SYNTHETISCHE DEMODATA" in overview.data
    counts = Artifact.get("regional-opportunities-2024-counts")
    assert counts is not None and counts.type == "table"
    assert '"Twente"' in counts.data
