"""The regional-opportunities flow: its tasks without Prefect, and a run on a Prefect server."""

from __future__ import annotations

from pathlib import Path

import pytest

from spreiding.models.db import session_scope
from spreiding.opportunities.store import import_opportunities, load_demo_opportunities
from tests.opportunities.conftest import GOOD_ROWS


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


def test_the_tasks_without_a_prefect_server(demo_db, write_csv, tmp_path):
    from spreiding.flows.opportunities import compile_task, write_task
    from spreiding.opportunities.overview import count_table

    with session_scope(demo_db.engine()) as session:
        import_opportunities(session, write_csv("k.csv", GOOD_ROWS), year=2023)
        load_demo_opportunities(session, 2022)
    overview = compile_task.fn(None)  # the latest inventory year
    assert (overview.year, overview.total, overview.synthetic) == (2023, 3, False)
    written = write_task.fn(overview, str(tmp_path / "rapport"))
    assert written["html"] == tmp_path / "rapport" / "regionale-kansen-2023.html"
    by_default = write_task.fn(overview, None)  # into the data folder of the settings
    assert by_default["html"] == tmp_path / "var" / "reports" / "regionale-kansen-2023.html"
    assert [(r["regio"], r["niveau"], r["kansen"]) for r in count_table(overview)] == [
        ("Fryslân", "provincie", 1),
        ("Twente", "COROP-gebied", 1),
        ("Limburg", "provincie", 1),
    ]
