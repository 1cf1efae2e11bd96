"""``redress import-locations``: supplier lists into the registry, with progress and a summary."""

from __future__ import annotations

from collections.abc import Sequence
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


def import_locations(
    settings: Settings,
    console: Console,
    *,
    covenant: str,
    files: Sequence[Path],
    company: str | None = None,
    encoding: str | None = None,
    confidential: bool = False,
) -> int:
    """Import each company's list in its own transaction; returns the exit status.

    ``company`` names the one company whose list the files are; without it each file is
    the list of a company named after the file. A ``confidential`` list is shared with
    the secretariat only (never in public search nor shown to other companies).
    """
    if company is None:
        groups = [(path.stem, [path]) for path in files]
    else:
        groups = [(company, list(files))]
    engine = engine_from_settings(settings)
    status = 0
    with Session(engine) as session:
        if latest_covenant(session=session, slug=covenant) is None:
            console.print(f"[red]unknown covenant {covenant!r}[/]; run `redress migrate`")
            return 2
        for company_key, paths in groups:
            status = max(
                status,
                _import_company(
                    session, console, covenant, company_key, paths, encoding, confidential
                ),
            )
    return status


def _import_company(
    session: Session,
    console: Console,
    covenant: str,
    key: str,
    paths: list[Path],
    encoding: str | None,
    confidential: bool,
) -> int:
    try:
        rows, rejected = read_lists(paths, encoding)
    except (OSError, UnreadableList) as exc:
        console.print(f"[red]{key}: nothing imported: {exc}[/]")
        return 1
    company, created = company_for_import(session=session, covenant=covenant, key=key)
    if created:
        console.print(f"Added {company.name} ({company.id}) as a company of {covenant}.")
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"{company.name}: {len(rows)} locations", total=len(rows))
        report = import_list(
            session=session,
            covenant=covenant,
            company_id=company.id,
            rows=rows,
            now=datetime.now(UTC),
            progress=partial(progress.advance, task),
            confidential=confidential,
        )
    report.rejected = rejected
    session.commit()
    if confidential:
        console.print(f"{company.name}: imported as a confidential list.")
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
