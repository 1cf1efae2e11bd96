"""A case as its readers see it: the compact state, its latest events, its documents."""

from __future__ import annotations

from sqlmodel import Session, col, select

from domain.cases import CaseState, DocumentRef, Event
from domain.enums import Channel, Side, Visibility
from store.tables import CaseEvent, CaseRow, Document

# The events a case carries when read: the latest; earlier ones are paged (``case_events``).
EVENTS_SHOWN = 50


def load_state(
    *, session: Session, reference: str, content: bool = True, events: int = EVENTS_SHOWN
) -> CaseState | None:
    """The case's last projected state; with ``content``, its latest events and its documents."""
    row = session.get(CaseRow, reference)
    if row is None:
        return None
    state = CaseState.model_validate_json(row.snapshot)
    if content:
        state.events = case_events(session=session, reference=reference, limit=events)
        state.documents = case_documents(session=session, reference=reference)
    return state


def case_events(
    *, session: Session, reference: str, limit: int | None = None, before: int | None = None
) -> list[Event]:
    """The latest ``limit`` events of the case (all; those before ``before``), oldest first."""
    statement = select(CaseEvent).where(col(CaseEvent.reference) == reference)
    if before is not None:
        statement = statement.where(col(CaseEvent.seq) < before)
    rows = session.exec(statement.order_by(col(CaseEvent.seq).desc()).limit(limit)).all()
    return [
        Event(
            seq=r.seq,
            at=r.at,
            type=r.type,
            summary=r.summary,
            actor_role=r.actor_role,
            visibility=Visibility(r.visibility),
            text=r.text,
            party=r.party,
            complainant=r.complainant,
            channel=Channel(r.channel) if r.channel else None,
        )
        for r in reversed(rows)
    ]


def case_documents(*, session: Session, reference: str) -> list[DocumentRef]:
    """The documents on the case (taken on by its workflow), in the order they came."""
    statement = (
        select(Document)
        .where(col(Document.reference) == reference, col(Document.recorded_at).is_not(None))
        .order_by(col(Document.recorded_at), col(Document.id))
    )
    return [
        DocumentRef(
            id=d.id,
            filename=d.filename,
            visibility=Visibility(d.visibility),
            at=d.recorded_at or d.uploaded_at,
            by_side=Side(d.side) if d.side else None,
            party=d.party,
        )
        for d in session.exec(statement)
    ]


def with_whole_timeline(*, session: Session, state: CaseState) -> CaseState:
    """The state with every event of the case, not only the latest (a reader asked for all)."""
    state.events = case_events(session=session, reference=state.reference)
    return state


def has_earlier_events(state: CaseState) -> bool:
    """Whether the case has events before those the state carries."""
    return bool(state.events) and state.events[0].seq > 1
