"""Counts for the metrics endpoint: grouped queries over the read model, nothing per case."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from domain.enums import DeadlineState
from store.tables import CaseDeadline, CaseRow, NoticeParked, Outbox


@dataclass(frozen=True)
class ReadModelCounts:
    """What a scrape reports: cases by (stage, status), overdue deadlines, notices by state."""

    cases: dict[tuple[str, str], int]
    overdue_deadlines: int
    notices: dict[str, int]


def read_model_counts(*, session: Session) -> ReadModelCounts:
    """Four aggregate queries, each answered from an index or one scan, never per row."""
    cases = {
        (stage, status): n
        for stage, status, n in session.exec(
            select(CaseRow.stage, CaseRow.status, func.count()).group_by(
                col(CaseRow.stage), col(CaseRow.status)
            )
        ).all()
    }
    overdue = session.exec(
        select(func.count())
        .select_from(CaseDeadline)
        .where(col(CaseDeadline.state) == DeadlineState.OPEN.value)
        .where(col(CaseDeadline.overdue))
    ).one()
    queued, sent, failed = session.exec(
        select(
            func.count().filter(col(Outbox.sent_at).is_(None), col(Outbox.failed_at).is_(None)),
            func.count(col(Outbox.sent_at)),
            func.count(col(Outbox.failed_at)),
        )
    ).one()
    # A parked notice stays parked until staff retry it.
    parked = session.exec(
        select(func.count()).select_from(NoticeParked).where(col(NoticeParked.retried_at).is_(None))
    ).one()
    return ReadModelCounts(
        cases=cases,
        overdue_deadlines=int(overdue),
        notices={
            "queued": int(queued),
            "sent": int(sent),
            "failed": int(failed),
            "parked": int(parked),
        },
    )
