"""Projects each step of a case into the read model: what changed, idempotent, stale-safe."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, Table, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from temporalio import activity

from activities import intake
from domain.cases import CaseState, IntakeCopy, Projection
from domain.notices import ParkedNotice
from domain.privacy import shown_to_respondents
from store.tables import (
    CaseDeadline,
    CaseEvent,
    CaseOrder,
    CaseRecusal,
    CaseRespondent,
    CaseRow,
    Document,
    NoticeParked,
)

Row = dict[str, Any]


def _table(model: type[Any]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _insert(session: Session, table: Table) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL alike)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def _upsert(
    session: Session, table: Table, rows: Sequence[Row], keys: Sequence[str], update: bool = True
) -> None:
    """Insert the rows; on a key conflict update the other columns (or leave the row)."""
    if not rows:
        return
    statement = _insert(session, table)
    others = [name for name in rows[0] if name not in keys]
    if update and others:
        statement = statement.on_conflict_do_update(
            index_elements=list(keys), set_={name: statement.excluded[name] for name in others}
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(keys))
    session.execute(statement, list(rows))


def case_row_values(state: CaseState) -> Row:
    """The ``cases`` row of a state, with the list fields derived from its deadlines."""
    open_deadlines = state.open_deadlines()
    first = open_deadlines[0] if open_deadlines else None
    return {
        "reference": state.reference,
        "kind": state.kind.value,
        "covenant": state.covenant,
        "stage": state.stage.value,
        "status": state.status.value,
        "outcome": state.outcome.value if state.outcome else None,
        "subject": state.subject,
        "confidential": state.confidential,
        "pseudonym": state.pseudonym,
        "complainant_organisation_id": state.complainant_organisation_id,
        "deciding_body": state.deciding_body.value,
        "overdue": any(d.overdue for d in open_deadlines),
        "next_deadline_name": first.name if first else None,
        "next_due": first.due if first else None,
        "filed_at": state.filed_at,
        "closed_at": state.closed_at,
        "last_seq": state.last_seq,
        "officer": state.officer,
        "mediator": state.mediator,
        "respondents_see": shown_to_respondents(state),
        # What the state machine holds: its events and documents are rows of their own.
        "snapshot": state.model_dump_json(exclude={"events", "documents"}),
    }


def _store_case_row(session: Session, state: CaseState) -> bool:
    """Upsert the case row unless a newer state is stored; True when this state won.

    The conditional upsert also takes the write lock (the row lock on PostgreSQL, the
    database lock on SQLite), so the child rows below are written by one projection at
    a time and a stale retry cannot interleave with a newer one.
    """
    table = _table(CaseRow)
    values = case_row_values(state)
    statement = _insert(session, table).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=["reference"],
        set_={name: statement.excluded[name] for name in values if name != "reference"},
        where=table.c.last_seq <= statement.excluded.last_seq,
    ).returning(table.c.reference)
    return session.execute(statement).first() is not None


def _delete_missing(
    session: Session, table: Table, reference: str, key: str, keep: Sequence[object]
) -> None:
    statement = delete(table).where(table.c.reference == reference)
    if keep:
        statement = statement.where(table.c[key].not_in(list(keep)))
    session.execute(statement)


def project(session: Session, projection: Projection) -> bool:
    """Write one step's projection in the session's transaction; False if it was stale.

    The case row holds the compact state; the step's new events and documents are added.
    """
    state = projection.state
    if not _store_case_row(session, state):
        return False
    ref = state.reference
    _upsert(
        session,
        _table(CaseEvent),
        [
            {
                "reference": ref,
                "seq": e.seq,
                "at": e.at,
                "type": e.type,
                "summary": e.summary,
                "text": e.text,
                "visibility": e.visibility.value,
                "actor_role": e.actor_role,
                "party": e.party,
                "complainant": e.complainant,
                "channel": e.channel.value if e.channel else None,
            }
            for e in projection.events
        ],
        keys=["reference", "seq"],
        update=False,
    )
    for doc in projection.documents:  # the upload's row exists: it is now on the case
        # The one respondent it concerns, when the step says so (an undisclosed company's own).
        concerns = {"party": doc.party} if doc.party else {}
        session.execute(
            update(_table(Document))
            .where(_table(Document).c.id == doc.id)
            .values(recorded_at=doc.at, **concerns)
        )
    respondents = _table(CaseRespondent)
    _delete_missing(
        session, respondents, ref, "organisation_id", [p.organisation_id for p in state.respondents]
    )
    _upsert(
        session,
        respondents,
        [
            {
                "reference": ref,
                "organisation_id": p.organisation_id,
                "production_location_id": p.production_location_id,
            }
            for p in state.respondents
        ],
        keys=["reference", "organisation_id"],
    )
    _upsert(
        session,
        _table(CaseRecusal),
        [{"reference": ref, "member": m} for m in sorted({r.member for r in state.recusals})],
        keys=["reference", "member"],
        update=False,
    )
    deadlines = _table(CaseDeadline)
    _delete_missing(session, deadlines, ref, "id", [d.id for d in state.deadlines])
    _upsert(
        session,
        deadlines,
        [
            {
                "reference": ref,
                "id": d.id,
                "name": d.name,
                "label": d.label,
                "owner": d.owner.value,
                "due": d.due,
                "state": d.state.value,
                "overdue": d.overdue,
                "reminded": d.reminded,
                "escalated": d.escalated,
            }
            for d in state.deadlines
        ],
        keys=["reference", "id"],
    )
    orders = _table(CaseOrder)
    _delete_missing(session, orders, ref, "number", [o.number for o in state.orders])
    _upsert(
        session,
        orders,
        [
            {
                "reference": ref,
                "number": o.number,
                "text": o.text,
                "due": o.due,
                "status": o.status.value,
                "respondent": o.respondent,
            }
            for o in state.orders
        ],
        keys=["reference", "number"],
    )
    return True


def park(session: Session, parked: ParkedNotice) -> None:
    """Keep the notice for staff; parked again after a retry, it shows as pending again."""
    notice = parked.request.notice
    values = {
        "key": notice.key,
        "reference": parked.request.reference,
        "kind": notice.kind.value,
        "error": parked.error[:1000],
        "parked_at": parked.at,
        "request": parked.request.model_dump_json(),
        "retried_at": None,
        "retried_by": None,
    }
    _upsert(session, _table(NoticeParked), [values], keys=["key"])


class RecordActivities:
    """Activities that write the read model; the engine is injected by the worker."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def project_sync(self, projection: Projection) -> bool:
        """Project the step in one transaction; False when a newer state was already stored."""
        with Session(self.engine) as session, session.begin():
            return project(session, projection)

    @activity.defn(name="project_case")
    async def project_case(self, projection: Projection) -> None:
        """Write the step's projection; retries and stale steps change nothing."""
        applied = await asyncio.to_thread(self.project_sync, projection)
        if not applied:
            state = projection.state
            activity.logger.info(
                "ignored stale snapshot of %s (seq %d)", state.reference, state.last_seq
            )

    def park_sync(self, parked: ParkedNotice) -> None:
        """Keep the notice for staff (in its own transaction)."""
        with Session(self.engine) as session, session.begin():
            park(session, parked)

    @activity.defn(name="park_notice")
    async def park_notice(self, parked: ParkedNotice) -> None:
        """Park a notice whose sending was given up on, where staff see and retry it."""
        await asyncio.to_thread(self.park_sync, parked)

    def copy_intake_sync(self, request: IntakeCopy) -> None:
        """Copy the complainants' intake records (``activities.intake``), in one transaction."""
        with Session(self.engine) as session, session.begin():
            if request.merge:
                intake.copy_merged(session, request)
            else:
                intake.copy_split(session, request)

    @activity.defn(name="copy_intake")
    async def copy_intake(self, request: IntakeCopy) -> None:
        """Copy the intake records to a case split off from another, or to the case another
        was merged into (idempotent)."""
        await asyncio.to_thread(self.copy_intake_sync, request)
