"""``redress retention``: erase what the covenants' retention periods say is due, now, or
show what that would be (``--dry-run``, optionally as of a later date)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from rich.console import Console

from core.settings import Settings
from services.retention import run_retention
from store.db import engine_from_settings


def retention_command(
    settings: Settings, console: Console, *, dry_run: bool, as_of: date | None = None
) -> int:
    """0 when the sweep ran (or, dry, counted); 1 when some cases changed meanwhile and are
    left for the next sweep."""
    now = datetime.now(UTC)
    if as_of is not None:
        now = max(now, datetime.combine(as_of, time(23, 59), tzinfo=UTC))
    engine = engine_from_settings(settings)
    try:
        swept = run_retention(engine, now=now, data_dir=settings.data_dir, dry=dry_run)
    finally:
        engine.dispose()
    verb = "would be" if dry_run else "were"
    console.print(
        f"Retention as of {now:%Y-%m-%d %H:%M} UTC"
        + (" (dry run: nothing changed)" if dry_run else "")
        + f": {swept.contacts} complainants' contact details {verb} erased and "
        f"{swept.documents} documents {verb} deleted, in {len(swept.references)} cases; "
        f"the senders of {swept.drafts} e-mailed complaints, filed or discarded, {verb} erased."
    )
    if swept.references:
        console.print("Cases: " + ", ".join(swept.references))
    if not dry_run:
        console.print(
            f"{swept.notes} notes added to the cases' histories; {swept.files} stored files "
            "removed; every deletion is in the audit trail."
        )
    if swept.raced:
        console.print(
            f"{swept.raced} cases changed while being swept and were left for the next run.",
            style="yellow",
        )
        return 1
    return 0
