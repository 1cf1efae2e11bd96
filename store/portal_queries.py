"""Reads for the portal pages: deadlines across cases, and the notices sent to a party."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func
from sqlmodel import Session, col, select

from domain.enums import DeadlineState
from store.queries import case_filters
from store.tables import CaseDeadline, CaseRow, Outbox


def deadlines_due(
    *,
    session: Session,
    mediator: str | None = None,
    recused: str | None = None,
    covenants: Collection[str] | None = None,
    steering_group: bool = False,
    limit: int = 500,
) -> list[tuple[CaseDeadline, CaseRow]]:
    """Open deadlines of open cases with their case, soonest first, among the cases the
    ``store.queries.case_filters`` of those names keep."""
    statement = (
        select(CaseDeadline, CaseRow)
        .join(CaseRow, col(CaseRow.reference) == CaseDeadline.reference)
        .where(col(CaseDeadline.state) == DeadlineState.OPEN.value)
        .where(
            *case_filters(
                mediator=mediator,
                recused=recused,
                covenants=covenants,
                steering_group=steering_group,
            )
        )
        .order_by(col(CaseDeadline.due), col(CaseDeadline.reference))
        .limit(limit)
    )
    return [(deadline, case) for deadline, case in session.exec(statement).all()]


def notices_to(
    *, session: Session, addresses: Collection[str], organisation_id: str, limit: int = 20
) -> list[Outbox]:
    """The newest e-mails to any of the addresses about the organisation's cases, one a notice."""
    wanted = sorted({a.strip().lower() for a in addresses if a})
    if not wanted:
        return []
    cases = select(CaseRow.reference).where(*case_filters(organisation_id=organisation_id))
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
