"""The ``spreiding opportunity`` commands: the inventory of regional opportunities (M5).

``add`` registers one opportunity, ``import`` a CSV file of them (all rows or none), ``list``
shows them by year and region and ``demo`` loads the synthetic demo set. Adding or importing
the same opportunity again adds nothing. The overview per region is the Prefect flow
``regional-opportunities-overview``. Nothing here imports Prefect.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from spreiding.cli.common import (
    YEAR_RANGE,
    JsonOption,
    PlainTable,
    console,
    emit_json,
    open_store,
    synthetic_note,
)

opportunity_app = typer.Typer(
    help="Regional opportunities (M5): add, import and list the yearly inventory.",
    no_args_is_help=True,
)

YearOption = Annotated[int, typer.Option(help="The inventory year.", **YEAR_RANGE)]


def register(app: typer.Typer) -> None:
    """Add the ``opportunity`` command group to the main app."""
    app.add_typer(opportunity_app, name="opportunity")


@opportunity_app.command("add")
def opportunity_add(
    year: YearOption,
    region: Annotated[str, typer.Option(help="Province or COROP region (name or CBS code).")],
    by_kind: Annotated[
        str, typer.Option("--by-kind", help="Who puts it forward: provincie, gemeente, ministerie.")
    ],
    by: Annotated[str, typer.Option("--by", help="The province, municipality or ministry.")],
    theme: Annotated[str, typer.Option(help="Theme or core quality, e.g. Energietransitie.")],
    description: Annotated[str, typer.Option(help="The opportunity in a sentence or two.")],
    contact: Annotated[str | None, typer.Option(help="Contact (name, e-mail).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Register one regional opportunity (nothing is added when it is already there)."""
    from spreiding.models.db import session_scope
    from spreiding.opportunities.store import add_opportunity, opportunity_json, region_of_code

    with session_scope(open_store()) as session:
        row, created = add_opportunity(
            session,
            year=year,
            region=region,
            submitted_by_kind=by_kind,
            submitted_by=by,
            theme=theme,
            description=description,
            contact=contact,
        )
        data = opportunity_json(row) | {"created": created}
    if as_json:
        emit_json(data)
        return
    where = region_of_code(data["region"]["code"]).label
    if created:
        console.print(f"Added opportunity {data['id']}: {data['theme']} in {where} ({year}).")
    else:
        console.print(
            f"Already registered as opportunity {data['id']}: {data['theme']} in {where} "
            f"({year}); nothing added."
        )


@opportunity_app.command("import")
def opportunity_import(
    file: Annotated[Path, typer.Argument(help="CSV file with one opportunity per row.")],
    year: YearOption,
    as_json: JsonOption = False,
) -> None:
    """Import a CSV file (columns regio, ingediend_door_soort, ingediend_door, thema,
    omschrijving, contact); a file with a bad row is refused whole."""
    from spreiding.models.db import session_scope
    from spreiding.opportunities.store import import_opportunities

    with session_scope(open_store()) as session:
        report = import_opportunities(session, file, year=year)
    if as_json:
        emit_json(
            {
                "file": report.file,
                "year": report.year,
                "rows": report.rows,
                "added": report.added,
                "already_present": report.already_present,
            }
        )
        return
    console.print(
        f"Imported {report.file} for {report.year}: {report.added} new "
        f"opportunit{'y' if report.added == 1 else 'ies'}, "
        f"{report.already_present} already registered."
    )


@opportunity_app.command("list")
def opportunity_list(
    year: Annotated[
        int | None, typer.Option(help="Only this inventory year.", **YEAR_RANGE)
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(help="Only this province (with its COROP regions) or COROP region."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List the regional opportunities by year, province and region."""
    from spreiding.models.db import session_scope
    from spreiding.opportunities.store import (
        KIND_LABELS,
        SYNTHETIC_LABEL,
        is_synthetic,
        list_opportunities,
        opportunity_json,
    )

    with session_scope(open_store()) as session:
        found = list_opportunities(session, year=year, region=region)
        rows = [opportunity_json(row) for row in found]
        synthetic = is_synthetic(found)
    if as_json:
        emit_json(rows)
        return
    table = PlainTable("id", "jaar", "regio", "ingediend door", "thema", "omschrijving", "contact")
    table.title = "Regionale kansen"
    for r in rows:
        where = r["region"]["name"]
        if r["region"]["level"] == "corop":
            where += f" ({r['region']['province_name']})"
        table.add_row(
            str(r["id"]),
            str(r["year"]),
            where,
            f"{KIND_LABELS[r['submitted_by_kind']]} {r['submitted_by']}",
            r["theme"],
            r["description"],
            r["contact"] or "",
        )
    console.print(table)
    console.print(f"{len(rows)} opportunit{'y' if len(rows) == 1 else 'ies'}.")
    if synthetic:
        console.print(synthetic_note(SYNTHETIC_LABEL))


@opportunity_app.command("demo")
def opportunity_demo(year: YearOption) -> None:
    """Load the synthetic demo set of regional opportunities for YEAR (after init --demo)."""
    from spreiding.models.db import session_scope
    from spreiding.opportunities.store import SYNTHETIC_LABEL, load_demo_opportunities

    with session_scope(open_store()) as session:
        added = load_demo_opportunities(session, year)
    console.print(f"Demo opportunities for {year}: {added} added.")
    console.print(synthetic_note(SYNTHETIC_LABEL))
