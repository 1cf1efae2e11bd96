"""``redress audit verify``: check that no row of the audit trail was edited or deleted."""

from __future__ import annotations

from rich.console import Console

from core.settings import Settings
from store import audit
from store.db import engine_from_settings


def audit_command(settings: Settings, console: Console) -> int:
    """0 when the chain holds, 1 naming the first row that breaks it."""
    engine = engine_from_settings(settings)
    try:
        checked, broken = audit.verify(engine)
    finally:
        engine.dispose()
    if broken is None:
        console.print(f"The audit trail holds: {checked} rows, each chained to the one before.")
        return 0
    console.print(
        f"The audit trail is broken at row {broken.id} (case {broken.reference}, "
        f"{broken.at:%Y-%m-%d %H:%M}): it or the row before it was edited or deleted; "
        f"{checked} rows before it hold.",
        style="red",
    )
    return 1
