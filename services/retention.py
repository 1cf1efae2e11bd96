"""Retention for the operator and the worker: the sweep until nothing is due, and the
register's summaries redacted for good before the names they are redacted against go.

The periods are the covenants' (``Procedure.contact_retention_days`` and
``document_retention_years``, newest version); the work is ``store.retention.sweep``.
After erasure a reopened case reaches its complainant only through the access code: no
e-mail address or phone is left to write to.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from services.redaction import redact
from store import retention, retention_due
from store.retention import Swept

# Batches one run takes at most: a backlog larger than this goes on in the next run.
MAX_BATCHES = 1000
DRY_LIMIT = 1_000_000  # a dry run counts in one pass


def scrub_register(session: Session, reference: str, values: list[str]) -> None:
    """Redact the values from the case's published summary in the store itself: it is
    redacted when shown against the complainants' rows, which will not hold them any more."""
    entry = retention_due.register_entry(session=session, reference=reference)
    if entry is not None and values:
        entry.summary = redact(entry.summary, values)
        session.add(entry)


def run_retention(
    engine: Engine, *, now: datetime, data_dir: Path, dry: bool = False, batch: int = 200
) -> Swept:
    """Sweep batch after batch until none is full (``dry``: count only, change nothing)."""
    if dry:
        return retention.sweep(engine, now=now, data_dir=data_dir, limit=DRY_LIMIT, dry=True)
    total = Swept()
    for _ in range(MAX_BATCHES):
        swept = retention.sweep(
            engine, now=now, data_dir=data_dir, limit=batch, scrub=scrub_register
        )
        total.add(swept)
        if not swept.more:
            break
    return total
