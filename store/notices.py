"""Notices that could not go out: parked ones for staff to retry, and refused addresses."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from store.tables import NoticeParked, Outbox


def parked_notices(
    *, session: Session, pending: bool = True, reference: str | None = None
) -> list[NoticeParked]:
    """Parked notices, newest first: those not yet retried, or all of them."""
    statement = select(NoticeParked)
    if pending:
        statement = statement.where(col(NoticeParked.retried_at).is_(None))
    if reference is not None:
        statement = statement.where(col(NoticeParked.reference) == reference)
    return list(session.exec(statement.order_by(col(NoticeParked.parked_at).desc())).all())


def get_parked(*, session: Session, key: str) -> NoticeParked | None:
    """One parked notice by its key, or None."""
    return session.get(NoticeParked, key)


def mark_retried(*, session: Session, notice: NoticeParked, by: str, at: datetime) -> None:
    """Record who sent the notice again, and when (it leaves the pending list)."""
    notice.retried_at, notice.retried_by = at, by
    session.add(notice)


def refused_mails(*, session: Session, limit: int = 100) -> list[Outbox]:
    """Mails the server refused for good (a wrong address), newest first."""
    statement = select(Outbox).where(col(Outbox.failed_at).is_not(None))
    return list(session.exec(statement.order_by(col(Outbox.failed_at).desc()).limit(limit)).all())
