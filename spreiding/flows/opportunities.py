"""The yearly overview of regional opportunities (measure M5) as a Prefect flow.

:func:`regional_opportunities_overview` compiles the opportunities of one inventory year per
province and region, writes the overview that ministries browse and publishes it as Prefect
artifacts. The work itself is done by :mod:`spreiding.opportunities.overview`; the tasks are
thin wrappers around it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from pydantic import Field

from spreiding.core.settings import get_settings
from spreiding.flows.runs import (
    artifact_key,
    in_flow_run,
    run_day,
    run_logger,
    run_parameters,
    step,
)
from spreiding.models.db import session_scope
from spreiding.opportunities.overview import (
    Overview,
    compile_overview,
    count_table,
    render_markdown,
    write_overview,
)
from spreiding.opportunities.store import latest_year

if TYPE_CHECKING:
    from sqlmodel import Session


# --- the flow --------------------------------------------------------------------------------


def _default_year(session: Session) -> int:
    return latest_year(session) or get_settings().current_date().year


@task(name="compile-opportunities", cache_policy=NO_CACHE)
def compile_task(year: int | None) -> Overview:
    """Read the opportunities of ``year`` (default: the latest inventory) from the store."""
    with session_scope() as session:
        return compile_overview(session, year if year is not None else _default_year(session))


@task(name="write-opportunities-overview", cache_policy=NO_CACHE)
def write_task(overview: Overview, out: str | None) -> dict[str, Path]:
    """Write the overview files; default folder ``<data_dir>/reports``."""
    out_dir = Path(out) if out else get_settings().data_dir / "reports"
    return write_overview(overview, out_dir)


@task(name="publish-opportunities-artifacts", cache_policy=NO_CACHE)
def artifacts_task(overview: Overview) -> list[str]:
    """Publish the overview (Markdown) and the counts per region (table) as artifacts."""
    overview_key = artifact_key("regional-opportunities", overview.year)
    counts_key = artifact_key("regional-opportunities", overview.year, "counts")
    if not in_flow_run():  # run as ``.fn``: nothing to publish to
        return [overview_key, counts_key]
    create_markdown_artifact(
        markdown=render_markdown(overview),
        key=overview_key,
        description=f"Regionale kansen {overview.year}: overzicht per regio",
    )
    create_table_artifact(
        table=count_table(overview),
        key=counts_key,
        description=f"Regionale kansen {overview.year}: aantal per regio",
    )
    return [overview_key, counts_key]


def run_name() -> str:
    """``regionale-kansen-2024``, or with the run's day when the year is the latest one."""
    year = run_parameters().get("year")
    return f"regionale-kansen-{year}" if year else f"regionale-kansen-{run_day():%Y-%m-%d}"


@flow(name="regional-opportunities-overview", flow_run_name=run_name, log_prints=False)
def regional_opportunities_overview(
    year: Annotated[int | None, Field(ge=1990, le=2100)] = None, out: str | None = None
) -> dict[str, Any]:
    """Compile the regional opportunities of ``year`` into an overview per region.

    Returns the year, the number of opportunities, the files written and the artifact keys.

    Args:
        year: Inventarisatiejaar van de regionale kansen. Leeg: het laatste jaar in de database.
        out: Map voor het overzicht. Leeg: <datamap>/reports.
    """
    overview = step(compile_task, year)
    files = step(write_task, overview, out)
    keys = step(artifacts_task, overview)
    run_logger(__name__).info(
        "Regional opportunities %s: %s in %s regions, written to %s",
        overview.year,
        overview.total,
        len(overview.regions),
        files["html"].parent,
    )
    return {
        "year": overview.year,
        "total": overview.total,
        "synthetic": overview.synthetic,
        "files": {name: str(path) for name, path in files.items()},
        "artifacts": keys,
    }
