"""``redress notices``: notices that could not be sent, listed and sent again."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from core.settings import Settings
from store import outbox
from store.db import engine_from_settings

WHO = "redress notices"  # recorded as who sent a notice again from the command line


def notices_command(
    settings: Settings,
    console: Console,
    *,
    sent_again_too: bool = False,
    retry: Sequence[str] = (),
    retry_all: bool = False,
) -> int:
    """List the notices given up on (``sent_again_too``: and those sent again), or send
    the ``retry`` ones (``retry_all``: every one) again; returns the exit status."""
    engine = engine_from_settings(settings)
    with Session(engine) as session:
        if retry or retry_all:
            keys = list(retry) or [n.key for n in outbox.parked_notices(session=session)]
            return asyncio.run(_resend(settings, session, keys, console))
        _list(session, console, pending=not sent_again_too)
    return 0


def _list(session: Session, console: Console, *, pending: bool) -> None:
    parked = outbox.parked_notices(session=session, pending=pending)
    table = Table(title=f"Notices given up on ({len(parked)})")
    for column in ("key", "case", "kind", "parked", "why", "sent again"):
        table.add_column(column)
    for n in parked:
        again = f"{n.retried_at:%Y-%m-%d %H:%M} by {n.retried_by}" if n.retried_at else ""
        table.add_row(n.key, n.reference, n.kind, f"{n.parked_at:%Y-%m-%d %H:%M}", n.error, again)
    console.print(table)
    refused = outbox.refused_mails(session=session)
    table = Table(title=f"Addresses the mail server refused ({len(refused)})")
    for column in ("case", "to", "refused", "why"):
        table.add_column(column)
    for m in refused:
        when = f"{m.failed_at:%Y-%m-%d %H:%M}" if m.failed_at else ""
        table.add_row(m.reference, m.recipient, when, m.error or "")
    console.print(table)


async def _resend(settings: Settings, session: Session, keys: list[str], console: Console) -> int:
    from core.temporal_client import connect
    from domain.problems import Problem
    from services.parked_notices import resend_parked

    status = 0
    pending = []
    for key in keys:  # refuse unknown keys before reaching for Temporal
        parked = outbox.get_parked(session=session, key=key)
        if parked is None or parked.retried_at is not None:
            console.print(f"[red]{key}: no parked notice waiting to be sent again[/]")
            status = 1
        else:
            pending.append(key)
    if not pending:
        return status
    try:
        client = await connect(settings)
    except RuntimeError as error:  # the worker sends them: without Temporal nothing can
        console.print(f"[red]Temporal at {settings.temporal_address} is not reachable: {error}[/]")
        return 1
    for key in pending:
        try:
            await resend_parked(
                session=session, client=client, task_queue=settings.task_queue, key=key, by=WHO
            )
        except Problem as error:
            console.print(f"[red]{key}: {error.message}[/]")
            status = 1
            continue
        console.print(f"{key}: sent again (parked again if it fails)")
    return status
