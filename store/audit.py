"""The audit trail: who read, downloaded, saw an identity in or changed which case, and
when. Rows are only appended; each holds the hash of the one before, so an edited or
deleted row breaks the chain (``verify``)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from store.security_tables import AuditEntry

GENESIS = "0" * 64


@dataclass(frozen=True)
class Who:
    """The person a row is about: user name (or "complainant"), role, organisation."""

    username: str
    role: str
    organisation: str | None = None


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    """The row's hash over the previous hash and every field it records."""
    fields = [
        prev_hash,
        entry.reference,
        entry.at.astimezone(UTC).isoformat(),
        entry.username,
        entry.role,
        entry.organisation,
        entry.action,
        entry.detail,
    ]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


def append(
    engine: Engine, *, reference: str, who: Who, action: str, detail: dict[str, Any]
) -> None:
    """Append a row in its own transaction. Two processes appending at once both read the
    same last hash; the unique ``prev_hash`` lets one win and the other chain after it."""
    for attempt in range(10):
        try:
            with Session(engine) as session, session.begin():
                last = session.exec(
                    select(AuditEntry.hash).order_by(col(AuditEntry.id).desc()).limit(1)
                ).first()
                entry = AuditEntry(
                    reference=reference,
                    at=datetime.now(UTC),
                    username=who.username,
                    role=who.role,
                    organisation=who.organisation,
                    action=action,
                    detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
                    prev_hash=last or GENESIS,
                    hash="",
                )
                entry.hash = entry_hash(entry.prev_hash, entry)
                session.add(entry)
            return
        except IntegrityError:
            if attempt == 9:
                raise


def entries(*, session: Session, reference: str, limit: int = 5000) -> list[AuditEntry]:
    """The case's rows, oldest first."""
    statement = (
        select(AuditEntry)
        .where(col(AuditEntry.reference) == reference)
        .order_by(col(AuditEntry.id))
        .limit(limit)
    )
    return list(session.exec(statement).all())


def verify(engine: Engine) -> tuple[int, AuditEntry | None]:
    """How many rows hold, and the first row that does not (edited, or after a deleted
    one), if any."""
    checked, expected = 0, GENESIS
    with Session(engine) as session:
        for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id))):
            if entry.prev_hash != expected or entry.hash != entry_hash(entry.prev_hash, entry):
                return checked, entry
            checked, expected = checked + 1, entry.hash
    return checked, None
