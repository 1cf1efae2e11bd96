"""``redress reply-addresses``: a case's reply addresses (who each was issued to, whether it
still works), and revoking them: a reply to a revoked address is refused, and the person's
next notice on the case carries a new one."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from core.settings import Settings
from store import reply_addresses
from store.db import engine_from_settings
from store.tables import ReplyAddress


def _who(row: ReplyAddress) -> str:
    if row.user_id is not None:
        return f"user #{row.user_id}"
    if row.complainant is not None:
        return f"complainant {row.complainant}"
    return f"contact of {row.organisation_id}"


def reply_addresses_command(
    settings: Settings,
    console: Console,
    *,
    reference: str,
    email: str | None = None,
    revoke: bool = False,
) -> int:
    """List the case's reply addresses (only those sent to ``email`` when given), or revoke
    the working ones among them; the exit status (1: none matched)."""
    engine = engine_from_settings(settings)
    try:
        with Session(engine) as session:
            rows = reply_addresses.case_reply_addresses(session=session, reference=reference)
            if email is not None:
                rows = [r for r in rows if r.email == email.strip().lower()]
            if not rows:
                console.print(
                    f"No reply address was issued on {reference}"
                    + (f" to {email}" if email else "")
                )
                return 1
            if revoke:
                count = reply_addresses.revoke_reply_addresses(
                    session=session, now=datetime.now(UTC), reference=reference, email=email
                )
                session.commit()
                console.print(f"Revoked {count} reply address(es) of {reference}.")
                return 0
            table = Table(title=f"Reply addresses of {reference} ({len(rows)})")
            for column in ("token id", "for", "as", "side", "sent to", "issued", "revoked"):
                table.add_column(column)
            for r in rows:
                revoked = f"{r.revoked_at:%Y-%m-%d %H:%M}" if r.revoked_at else ""
                table.add_row(
                    r.id,
                    _who(r),
                    r.role,
                    r.side or "",
                    r.email,
                    f"{r.created_at:%Y-%m-%d %H:%M}",
                    revoked,
                )
            console.print(table)
            return 0
    finally:
        engine.dispose()
