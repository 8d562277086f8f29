"""The ``spreiding inventory`` and ``spreiding report`` commands (no Prefect needed).

``inventory import`` loads one delivered file in one transaction, ``inventory list`` shows the
deliveries (current and superseded), ``inventory missing`` the ministries that have not
delivered for a year, and ``report write`` writes the yearly report from the store, without
running the ``annual-inventory`` flow. A bad file is refused with one line per error naming
file, row and column (exit code 2 through :func:`spreiding.cli.main.main`), and nothing of it
is loaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from spreiding.cli.common import (
    SYNTHETIC_NOTE,
    YEAR_RANGE,
    JsonOption,
    PlainTable,
    cannot_write,
    console,
    emit_json,
    open_store,
    randstad,
    synthetic_note,
)
from spreiding.core.dutch import whole
from spreiding.core.folders import output_folder
from spreiding.core.synthetic import SYNTHETIC_MARK

inventory_app = typer.Typer(
    help="The annual inventory: load ministries' deliveries, list them, who is missing.",
    no_args_is_help=True,
)
report_app = typer.Typer(help="The yearly report to parliament.", no_args_is_help=True)

YearOption = Annotated[int, typer.Option(help="Peildatum year (1 January).", **YEAR_RANGE)]


def register(app: typer.Typer) -> None:
    """Add the ``inventory`` and ``report`` command groups to the main app."""
    app.add_typer(inventory_app, name="inventory")
    app.add_typer(report_app, name="report")


@inventory_app.command("import")
def inventory_import(
    file: Annotated[Path, typer.Argument(help="The delivered file (.csv, .xlsx, .ods or .xls).")],
    year: YearOption,
    as_json: JsonOption = False,
) -> None:
    """Load one ministry's delivery for peildatum 1 January YEAR (replaces its earlier one)."""
    from spreiding.inventory.deliveries import import_file

    result = import_file(file, year=year, engine=open_store())
    if as_json:
        emit_json(result.to_json())
        return
    if result.status == "unchanged":
        console.print(
            f"{result.file} was delivered before by {result.ministry_code} "
            f"(delivery {result.submission_id}): nothing changed."
        )
        return
    replaced = ", ".join(str(i) for i in result.superseded)
    console.print(
        f"Loaded {result.file} for {result.ministry_code}, peildatum 1-1-{year}: "
        f"{result.rows} rows, {whole(result.total_fte)} fte (delivery {result.submission_id})"
        + (f"; replaces delivery {replaced}." if replaced else ".")
    )
    if result.synthetic:
        console.print(SYNTHETIC_NOTE)


@inventory_app.command("list")
def inventory_list(
    year: Annotated[
        int | None, typer.Option(help="Only this peildatum year.", **YEAR_RANGE)
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List the deliveries, current and superseded."""
    from spreiding.inventory.deliveries import list_deliveries
    from spreiding.models.db import session_scope

    with session_scope(open_store()) as session:
        deliveries = list_deliveries(session, year=year)
    if as_json:
        emit_json([d.to_json() for d in deliveries])
        return
    # Readable at 80 columns: the peildatum is always 1 January, so its year; the digest is
    # in --json; the synthetic label once above the table, a * on the rows it concerns.
    table = PlainTable(
        "#", "jaar", "ministerie", "bestand", "regels", "fte", "status", title="Leveringen"
    )
    for d in deliveries:
        status = "actueel" if d.current else f"vervangen door {d.superseded_by}"
        table.add_row(
            f"{d.id}{' *' if d.synthetic else ''}",
            str(d.peildatum.year),
            d.ministry_code,
            "(demodata)" if d.synthetic and SYNTHETIC_MARK in d.source else Path(d.source).name,
            str(d.row_count),
            whole(d.total_fte),
            status,
        )
    if any(d.synthetic for d in deliveries):
        console.print(Text("* ") + SYNTHETIC_NOTE)  # the label once, not in every row
    console.print(table)


@inventory_app.command("missing")
def inventory_missing(year: YearOption, as_json: JsonOption = False) -> None:
    """The ministries that have not delivered for peildatum 1 January YEAR."""
    from spreiding.inventory.deliveries import missing_ministries
    from spreiding.models.db import session_scope

    with session_scope(open_store()) as session:
        missing = missing_ministries(session, year)
    if as_json:
        emit_json([{"code": m.code, "name": m.name, "contact": m.contact_email} for m in missing])
        return
    if not missing:
        console.print(f"Every ministry has delivered for peildatum 1-1-{year}.")
        return
    table = PlainTable("code", "ministerie", "contact", title=f"Nog niet geleverd voor 1-1-{year}")
    for m in missing:
        table.add_row(m.code, m.name, m.contact_email or "")
    console.print(table)


@inventory_app.command("demo")
def inventory_demo(
    year: YearOption = 2023,
    folder: Annotated[
        str | None, typer.Option(help="Where to write them; default the inbox for YEAR.")
    ] = None,
) -> None:
    """Write the demo ministries' (synthetic) deliveries for YEAR as CSV and Excel files."""
    from spreiding.core.settings import get_settings
    from spreiding.inventory.demo_files import SYNTHETIC_LABEL, write_demo_files

    default = str(get_settings().inbox / str(year))
    target = output_folder(default if folder is None else folder, "--folder")
    try:
        written = write_demo_files(target, year=year)
    except OSError as exc:
        raise cannot_write("--folder", target, exc) from None
    console.print(f"Wrote {len(written)} demo deliveries for {year} into {target}.")
    console.print(synthetic_note(SYNTHETIC_LABEL))


@report_app.command("write")
def report_write(
    year: YearOption,
    out_option: Annotated[str, typer.Option("--out", help="Folder to write the report into.")],
    as_json: JsonOption = False,
) -> None:
    """Write the report for peildatum 1 January YEAR from the store (md, html, csv, png, svg)."""
    from spreiding.core.settings import get_settings
    from spreiding.flows.annual import build_annual_report
    from spreiding.models.db import session_scope

    out = output_folder(out_option, "--out")
    with session_scope(open_store()) as session:
        try:
            today = get_settings().current_date()
            data, written = build_annual_report(session, year, out, randstad(), today)
        except OSError as exc:
            raise cannot_write("--out", out, exc) from None
    if as_json:
        emit_json(
            {
                "year": year,
                "out": str(out),
                "files": [path.name for path in written],
                "total_fte": round(data.total, 2),
                "synthetic": data.synthetic,
                "missing": [code for code, _ in data.missing],
            }
        )
        return
    console.print(
        f"Wrote the report for 1-1-{year} ({whole(data.total)} fte) into {out}: "
        + ", ".join(path.name for path in written)
    )
    if data.missing:
        console.print(f"Voorlopig: nog niet geleverd: {', '.join(c for c, _ in data.missing)}.")
    if data.synthetic:
        console.print(SYNTHETIC_NOTE)
