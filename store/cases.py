"""Reading cases: one case, its orders and parties, and the filtered, paged case list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, func, or_, true
from sqlmodel import Session, col, select

from domain.enums import CaseKind, CaseStatus, DecidingBody
from store.listing import contains_text, page_bounds
from store.tables import CaseOrder, CaseRecusal, CaseRespondent, CaseRow, Complainant


@dataclass(frozen=True)
class CaseFilter:
    """Which cases a list (or statistics) keeps; every field left at its default keeps all.

    ``recused`` leaves out the cases that member is recused from, ``covenants`` keeps only
    those covenants' cases, ``steering_group`` only the disputes a steering group decides,
    ``organisation_id`` the cases that organisation is a visible respondent or complainant of.
    """

    covenant: str | None = None
    stage: str | None = None
    overdue: bool | None = None
    q: str | None = None
    organisation_id: str | None = None
    mediator: str | None = None
    due_before: datetime | None = None
    assigned_to: str | None = None
    recused: str | None = None
    covenants: frozenset[str] | None = None
    steering_group: bool = False


ALL_CASES = CaseFilter()


def get_case(*, session: Session, reference: str) -> CaseRow | None:
    """The projected case, or None."""
    return session.get(CaseRow, reference)


def case_status(*, session: Session, reference: str) -> CaseStatus | None:
    """The case's status as last projected, read from the database (not the session cache)."""
    statement = select(CaseRow.status).where(col(CaseRow.reference) == reference)
    status = session.exec(statement).first()
    return CaseStatus(status) if status is not None else None


def case_filters(where: CaseFilter) -> list[ColumnElement[bool]]:
    """WHERE clauses on ``CaseRow`` for the case filter (shared with statistics)."""
    clauses: list[ColumnElement[bool]] = []
    if where.covenants is not None:
        clauses.append(col(CaseRow.covenant).in_(sorted(where.covenants)))
    if where.steering_group:
        clauses.append(col(CaseRow.kind) == CaseKind.DISPUTE.value)
        clauses.append(col(CaseRow.deciding_body) == DecidingBody.STEERING_GROUP.value)
    if where.recused is not None:
        closed_to = select(CaseRecusal.reference).where(col(CaseRecusal.member) == where.recused)
        clauses.append(col(CaseRow.reference).not_in(closed_to))
    if where.covenant:
        clauses.append(col(CaseRow.covenant) == where.covenant)
    if where.stage:
        clauses.append(col(CaseRow.stage) == where.stage)
    if where.overdue is not None:
        clauses.append(col(CaseRow.overdue) == (true() if where.overdue else false()))
    if where.q and where.q.strip():
        clauses.append(contains_text([col(CaseRow.reference), col(CaseRow.subject)], where.q))
    if where.organisation_id is not None:
        respondent_of = select(CaseRespondent.reference).where(
            col(CaseRespondent.organisation_id) == where.organisation_id
        )
        clauses.append(
            or_(
                and_(col(CaseRow.reference).in_(respondent_of), col(CaseRow.respondents_see)),
                col(CaseRow.complainant_organisation_id) == where.organisation_id,
            )
        )
    if where.mediator is not None:
        clauses.append(col(CaseRow.mediator) == where.mediator)
    if where.due_before is not None:
        clauses.append(col(CaseRow.next_due) < where.due_before)
    if where.assigned_to is not None:
        clauses.append(
            or_(
                col(CaseRow.officer) == where.assigned_to,
                col(CaseRow.mediator) == where.assigned_to,
            )
        )
    return clauses


def list_cases(
    *, session: Session, where: CaseFilter = ALL_CASES, page: int = 1, page_size: int = 20
) -> tuple[list[CaseRow], int]:
    """One page of cases matching the filter, newest first, and the total count."""
    clauses = case_filters(where)
    offset, limit = page_bounds(page, page_size)
    total = session.exec(select(func.count()).select_from(CaseRow).where(*clauses)).one()
    rows = session.exec(
        select(CaseRow)
        .where(*clauses)
        .order_by(col(CaseRow.filed_at).desc(), col(CaseRow.reference).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), int(total)


def case_orders(*, session: Session, reference: str) -> list[CaseOrder]:
    """The case's remediation orders by number."""
    statement = select(CaseOrder).where(col(CaseOrder.reference) == reference)
    return list(session.exec(statement.order_by(col(CaseOrder.number))).all())


def case_respondent_ids(*, session: Session, reference: str) -> list[str]:
    """Organisation ids of the case's respondents."""
    statement = select(CaseRespondent.organisation_id).where(
        col(CaseRespondent.reference) == reference
    )
    return list(session.exec(statement).all())


def get_complainant(*, session: Session, reference: str) -> Complainant | None:
    """The intake record of the case's complainant (identity and contact), or None."""
    return session.get(Complainant, reference)
