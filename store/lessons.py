"""The lessons log: the committee's recommendations and lessons from cases, for the
statistics page and the annual report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from store.tables.register import Lesson


@dataclass(frozen=True)
class LessonRow:
    """One lesson as readers list it."""

    id: int
    reference: str
    covenant: str
    addressed_to: str  # covenant, companies or mechanism
    text: str
    recorded_at: datetime
    recorded_by: str


def record_lesson(
    *,
    session: Session,
    reference: str,
    covenant: str,
    addressed_to: str,
    text: str,
    at: datetime,
    by: str,
) -> int:
    """Add a lesson drawn from the case; its id."""
    row = Lesson(
        reference=reference,
        covenant=covenant,
        addressed_to=addressed_to,
        text=text,
        recorded_at=at,
        recorded_by=by,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def lessons(
    session: Session,
    *,
    covenant: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    reference: str | None = None,
) -> list[LessonRow]:
    """The lessons recorded in [start, end) (either open), oldest first, of one covenant or
    of all, or of one case."""
    query = select(Lesson)
    if covenant is not None:
        query = query.where(Lesson.covenant == covenant)
    if reference is not None:
        query = query.where(Lesson.reference == reference)
    if start is not None:
        query = query.where(col(Lesson.recorded_at) >= start)
    if end is not None:
        query = query.where(col(Lesson.recorded_at) < end)
    rows = session.exec(query.order_by(col(Lesson.recorded_at), col(Lesson.id))).all()
    return [
        LessonRow(
            id=r.id or 0,
            reference=r.reference,
            covenant=r.covenant,
            addressed_to=r.addressed_to,
            text=r.text,
            recorded_at=r.recorded_at,
            recorded_by=r.recorded_by,
        )
        for r in rows
    ]
