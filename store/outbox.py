"""Notices: those sent to a party, parked ones for staff to retry, and refused addresses."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from store.cases import CaseFilter, case_filters
from store.tables import CaseRow, NoticeParked, Outbox


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


def notices_to(
    *, session: Session, addresses: Collection[str], organisation_id: str, limit: int = 20
) -> list[Outbox]:
    """The newest e-mails to any of the addresses about the organisation's cases, one a notice."""
    wanted = sorted({a.strip().lower() for a in addresses if a})
    if not wanted:
        return []
    theirs = case_filters(CaseFilter(organisation_id=organisation_id))
    cases = select(CaseRow.reference).where(*theirs)
    statement = (
        select(Outbox)
        .where(
            func.lower(col(Outbox.recipient)).in_(wanted),
            col(Outbox.reference).in_(cases),
        )
        .order_by(col(Outbox.created_at).desc(), col(Outbox.message_id))
        .limit(limit * 4)
    )
    found: dict[str, Outbox] = {}
    for mail in session.exec(statement).all():
        found.setdefault(mail.notice_key, mail)
    return list(found.values())[:limit]
