"""Reading deadlines: a case's, every open one, and those due on the cases a list keeps."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from domain.enums import DeadlineState
from store.cases import ALL_CASES, CaseFilter, case_filters
from store.tables import CaseDeadline, CaseRow


def case_deadlines(*, session: Session, reference: str) -> list[CaseDeadline]:
    """The case's projected deadlines, earliest due first."""
    statement = select(CaseDeadline).where(col(CaseDeadline.reference) == reference)
    return list(session.exec(statement.order_by(col(CaseDeadline.due))).all())


def open_deadlines(*, session: Session, before: datetime | None = None) -> list[CaseDeadline]:
    """Open deadlines of all cases (due before ``before`` if given), earliest first."""
    statement = select(CaseDeadline).where(col(CaseDeadline.state) == DeadlineState.OPEN.value)
    if before is not None:
        statement = statement.where(col(CaseDeadline.due) < before)
    return list(session.exec(statement.order_by(col(CaseDeadline.due))).all())


def deadlines_due(
    *, session: Session, where: CaseFilter = ALL_CASES, limit: int = 500
) -> list[tuple[CaseDeadline, CaseRow]]:
    """Open deadlines of the cases the filter keeps, with their case, soonest first."""
    statement = (
        select(CaseDeadline, CaseRow)
        .join(CaseRow, col(CaseRow.reference) == CaseDeadline.reference)
        .where(col(CaseDeadline.state) == DeadlineState.OPEN.value)
        .where(*case_filters(where))
        .order_by(col(CaseDeadline.due), col(CaseDeadline.reference))
        .limit(limit)
    )
    return [(deadline, case) for deadline, case in session.exec(statement).all()]
