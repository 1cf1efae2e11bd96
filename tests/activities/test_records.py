"""project_case: idempotent upserts, newest state wins, derived list fields."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func
from sqlmodel import SQLModel, select
from temporalio.testing import ActivityEnvironment

from activities.records import RecordActivities
from domain.cases import CaseState
from domain.enums import CaseStatus, DeadlineState, OrderStatus, Outcome, Stage
from store import case_content, cases
from store import deadlines as deadline_store
from store.db import session_scope
from store.tables import CaseDeadline, CaseEvent, CaseOrder, CaseRespondent, CaseRow
from tests.factories import (
    FILED,
    Database,
    case_state,
    deadline,
    event,
    migrated,
    order,
    projection,
)

DAY = timedelta(days=1)
PROJECTED: list[type[SQLModel]] = [CaseRow, CaseRespondent, CaseEvent, CaseDeadline, CaseOrder]


def _counts(database: Database) -> dict[str, int]:
    with session_scope(database.engine) as session:
        return {
            model.__name__: session.exec(select(func.count()).select_from(model)).one()
            for model in PROJECTED
        }


async def _project(records: RecordActivities, state: CaseState) -> None:
    await ActivityEnvironment().run(records.project_case, projection(state))


def _older_and_newer() -> tuple[CaseState, CaseState]:
    older = case_state(
        stage=Stage.RESPONSE,
        events=3,
        deadlines=[deadline("response", FILED + 30 * DAY)],
    )
    newer = older.model_copy(deep=True)
    newer.stage = Stage.REMEDIATION
    newer.events += [event(4, "decision_issued"), event(5, "plan_awaited")]
    newer.deadlines = [
        deadline("response", FILED + 30 * DAY, state=DeadlineState.MET),
        deadline("remediation_plan", FILED + 90 * DAY, owner=newer.deadlines[0].owner),
        deadline("progress_report", FILED + 60 * DAY, escalated=True),
    ]
    newer.orders = [order(1, (FILED + 120 * DAY).date()), order(2, (FILED + 150 * DAY).date())]
    newer.mediator = "mediator"
    return older, newer


async def test_projecting_twice_writes_each_row_once(database: Database) -> None:
    records = RecordActivities(migrated(database))
    _, state = _older_and_newer()
    await _project(records, state)
    first = _counts(database)
    await _project(records, state)
    assert _counts(database) == first
    assert first == {
        "CaseRow": 1,
        "CaseRespondent": 1,
        "CaseEvent": 5,
        "CaseDeadline": 3,
        "CaseOrder": 2,
    }


async def test_newest_state_wins_and_stale_snapshot_is_ignored(database: Database) -> None:
    records = RecordActivities(migrated(database))
    older, newer = _older_and_newer()
    await _project(records, older)
    await _project(records, newer)
    counts = _counts(database)
    await _project(records, older)  # a late retry of an earlier projection
    assert _counts(database) == counts
    with session_scope(database.engine) as session:
        row = cases.get_case(session=session, reference=newer.reference)
        assert row is not None
        assert row.stage == "remediation" and row.last_seq == 5
        assert row.mediator == "mediator"
        loaded = case_content.load_state(session=session, reference=newer.reference)
        assert loaded == newer.model_copy(update={"seq": newer.last_seq})
        deadlines = {
            d.name: d
            for d in deadline_store.case_deadlines(session=session, reference=newer.reference)
        }
        assert deadlines["response"].state == "met"
        assert len(case_content.case_events(session=session, reference=newer.reference)) == 5
        assert [
            o.number for o in cases.case_orders(session=session, reference=newer.reference)
        ] == [1, 2]


async def test_list_fields_derive_from_open_deadlines(database: Database) -> None:
    records = RecordActivities(migrated(database))
    _, state = _older_and_newer()
    await _project(records, state)
    with session_scope(database.engine) as session:
        row = cases.get_case(session=session, reference=state.reference)
        assert row is not None
        # The met response deadline is ignored; the earliest open one is next.
        assert row.next_deadline_name == "progress_report"
        assert row.next_due == FILED + 60 * DAY
        assert row.overdue is True
        assert row.filed_at == FILED

    state.events.append(event(6, "report_received"))
    state.deadlines = [d for d in state.deadlines if d.name != "progress_report"]
    state.orders[0].status = OrderStatus.REPORTED
    await _project(records, state)
    with session_scope(database.engine) as session:
        row = cases.get_case(session=session, reference=state.reference)
        assert row is not None
        assert (row.next_deadline_name, row.overdue) == ("remediation_plan", False)
        found = deadline_store.case_deadlines(session=session, reference=state.reference)
        names = {d.name for d in found}
        assert names == {"response", "remediation_plan"}
        orders = cases.case_orders(session=session, reference=state.reference)
        assert [o.status for o in orders] == ["reported", "open"]


async def test_closed_case_has_no_next_deadline(database: Database) -> None:
    records = RecordActivities(migrated(database))
    state = case_state(events=2, deadlines=[deadline("register", FILED + 5 * DAY)])
    await _project(records, state)
    state.events.append(event(3, "closed"))
    state.deadlines = [deadline("register", FILED + 5 * DAY, state=DeadlineState.CANCELLED)]
    state.stage, state.status, state.outcome = Stage.CLOSED, CaseStatus.CLOSED, Outcome.WITHDRAWN
    state.closed_at = FILED + 3 * DAY
    await _project(records, state)
    with session_scope(database.engine) as session:
        row = cases.get_case(session=session, reference=state.reference)
        assert row is not None
        assert (row.status, row.outcome, row.next_due, row.next_deadline_name) == (
            "closed",
            "withdrawn",
            None,
            None,
        )
        assert row.closed_at == FILED + 3 * DAY


async def test_respondents_follow_the_state(database: Database) -> None:
    records = RecordActivities(migrated(database))
    state = case_state(respondents=("noorderlicht-fashion", "delta-denim"))
    await _project(records, state)
    state.respondents = state.respondents[:1]
    state.events.append(event(2, "respondent_removed"))
    await _project(records, state)
    with session_scope(database.engine) as session:
        assert cases.case_respondent_ids(session=session, reference=state.reference) == [
            "noorderlicht-fashion"
        ]


async def test_concurrent_projections_of_many_cases(database: Database) -> None:
    import asyncio

    records = RecordActivities(migrated(database))
    states = [case_state(f"GT-2026-{n:04d}", events=4) for n in range(1, 11)]
    await asyncio.gather(*(_project(records, s) for s in states + states))
    assert _counts(database)["CaseRow"] == 10
    assert _counts(database)["CaseEvent"] == 40
