"""What the read model projected of many cases at once, read in batches to check it against
the workflows; and the one repair a rebuild needs that a projection cannot make."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from store.tables import CaseDeadline, CaseEvent, CaseOrder, CaseRecusal, CaseRespondent, CaseRow


@dataclass
class ProjectedCase:
    """One case as the read model holds it: its row and the rows derived with it."""

    row: CaseRow
    deadlines: list[CaseDeadline] = field(default_factory=list)
    orders: list[CaseOrder] = field(default_factory=list)
    respondents: list[str] = field(default_factory=list)
    recusals: list[str] = field(default_factory=list)
    event_count: int = 0
    last_event: int = 0


def case_references(*, session: Session, after: str | None = None, limit: int = 500) -> list[str]:
    """The next ``limit`` case references after ``after``, in order (a keyset page)."""
    statement = select(CaseRow.reference).order_by(col(CaseRow.reference)).limit(limit)
    if after is not None:
        statement = statement.where(col(CaseRow.reference) > after)
    return list(session.exec(statement).all())


def projected_cases(*, session: Session, references: Sequence[str]) -> dict[str, ProjectedCase]:
    """Those cases as projected, by reference; a reference with no case row is left out."""
    refs = list(references)
    if not refs:
        return {}
    rows = session.exec(select(CaseRow).where(col(CaseRow.reference).in_(refs))).all()
    found = {row.reference: ProjectedCase(row=row) for row in rows}
    deadlines = select(CaseDeadline).where(col(CaseDeadline.reference).in_(refs))
    for deadline in session.exec(deadlines.order_by(col(CaseDeadline.due))):
        found[deadline.reference].deadlines.append(deadline)
    orders = select(CaseOrder).where(col(CaseOrder.reference).in_(refs))
    for order in session.exec(orders.order_by(col(CaseOrder.number))):
        found[order.reference].orders.append(order)
    for reference, organisation in session.exec(
        select(CaseRespondent.reference, CaseRespondent.organisation_id).where(
            col(CaseRespondent.reference).in_(refs)
        )
    ):
        found[reference].respondents.append(organisation)
    for reference, member in session.exec(
        select(CaseRecusal.reference, CaseRecusal.member).where(
            col(CaseRecusal.reference).in_(refs)
        )
    ):
        found[reference].recusals.append(member)
    events = (
        select(CaseEvent.reference, func.count(), func.max(CaseEvent.seq))
        .where(col(CaseEvent.reference).in_(refs))
        .group_by(col(CaseEvent.reference))
    )
    for reference, count, last in session.exec(events):
        found[reference].event_count, found[reference].last_event = int(count), int(last or 0)
    return found


def rewind_case(*, session: Session, reference: str, seen_seq: int, to_seq: int) -> bool:
    """Set the case row's ``last_seq`` back from ``seen_seq`` to ``to_seq``, only if it still
    is ``seen_seq``; True when it was.

    A projection never overwrites a row with a higher sequence (a stale retry must not win),
    so a row whose sequence ran ahead of its workflow's is rewound before it is re-projected.
    """
    statement = (
        update(CaseRow)
        .where(col(CaseRow.reference) == reference, col(CaseRow.last_seq) == seen_seq)
        .values(last_seq=to_seq)
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]
