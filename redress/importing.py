"""``redress import-locations``: supplier lists into the registry, with progress and a summary."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlmodel import Session

from core.settings import Settings
from store.covenants import latest_covenant
from store.db import engine_from_settings
from store.supplier_lists import (
    ImportReport,
    UnreadableList,
    company_for_import,
    import_list,
    read_lists,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The import's options and files."""
    parser.add_argument("--covenant", required=True, help="covenant slug, e.g. garments-textile")
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--company", help="the company's id or name; the files are its one list")
    who.add_argument(
        "--company-per-file",
        action="store_true",
        help="each file is the list of a company named after the file",
    )
    parser.add_argument(
        "--encoding", help="text encoding of CSV files (guessed when not given), e.g. cp1254"
    )
    parser.add_argument("files", nargs="+", type=Path, help="CSV or XLSX supplier lists")


def import_locations(settings: Settings, args: argparse.Namespace, console: Console) -> int:
    """Import each company's list in its own transaction; returns the exit status."""
    files: list[Path] = args.files
    if args.company_per_file:
        groups = [(path.stem, [path]) for path in files]
    else:
        groups = [(args.company, files)]
    engine = engine_from_settings(settings)
    status = 0
    with Session(engine) as session:
        if latest_covenant(session=session, slug=args.covenant) is None:
            console.print(f"[red]unknown covenant {args.covenant!r}[/]; run `redress migrate`")
            return 2
        for company_key, paths in groups:
            status = max(status, _import_company(session, args, console, company_key, paths))
    return status


def _import_company(
    session: Session, args: argparse.Namespace, console: Console, key: str, paths: list[Path]
) -> int:
    try:
        rows, rejected = read_lists(paths, args.encoding)
    except (OSError, UnreadableList) as exc:
        console.print(f"[red]{key}: nothing imported: {exc}[/]")
        return 1
    company, created = company_for_import(session=session, covenant=args.covenant, key=key)
    if created:
        console.print(f"Added {company.name} ({company.id}) as a company of {args.covenant}.")
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"{company.name}: {len(rows)} locations", total=len(rows))
        report = import_list(
            session=session,
            covenant=args.covenant,
            company_id=company.id,
            rows=rows,
            now=datetime.now(UTC),
            progress=partial(progress.advance, task),
        )
    report.rejected = rejected
    session.commit()
    console.print(summary(company.name, report))
    for row in rejected:
        detail = f": {row.detail}" if row.detail else ""
        console.print(f"  {row.source} line {row.line}: {row.reason}{detail}")
    return 0


def summary(company: str, report: ImportReport) -> Table:
    """The import's outcome as a table: every row is in exactly one line of it."""
    table = Table(title=f"{company}: {report.rows + len(report.rejected)} rows")
    table.add_column("outcome")
    table.add_column("rows", justify="right")
    for label, count in (
        ("imported (new locations)", report.imported),
        ("merged (already listed by another company)", report.merged),
        ("updated (listed again)", report.updated),
        ("unchanged", report.unchanged),
        ("no longer listed", report.delisted),
    ):
        table.add_row(label, str(count))
    for reason, count in sorted(report.rejected_by_reason().items()):
        table.add_row(f"rejected: {reason}", str(count))
    return table
