"""The read model's projected cases in batches, compared with the state they came from, and a
row whose sequence ran ahead set back: on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from activities.records import RecordActivities
from domain.cases import Party, Recusal
from domain.enums import DeadlineState
from services.consistency_compare import Difference, compare
from store import projected
from store.tables import CaseRow
from tests.factories import (
    FILED,
    Database,
    case_state,
    deadline,
    migrated,
    order,
    project_state,
    projection,
)


def test_projected_cases_agree_with_the_state_they_were_projected_from(
    database: Database,
) -> None:
    engine = migrated(database)
    records = RecordActivities(engine)
    first = case_state(
        "GT-2026-0001",
        events=4,
        respondents=("noorderlicht-fashion", "delta-denim"),
        deadlines=[
            deadline("response", FILED + timedelta(days=30, microseconds=250)),
            deadline("register", FILED + timedelta(days=5), state=DeadlineState.MET),
        ],
        orders=[order(1, date(2026, 9, 1)), order(2, date(2026, 12, 1))],
    )
    first.deadlines[0].party = "delta-denim"
    first.recusals = [Recusal(member="committee", reason="Former employee.", at=FILED)]
    second = case_state("GT-2026-0002", events=1)
    for state in (first, second):
        assert project_state(records, state)
    with Session(engine) as session:
        assert projected.case_references(session=session, limit=1) == ["GT-2026-0001"]
        assert projected.case_references(session=session, after="GT-2026-0001") == ["GT-2026-0002"]
        found = projected.projected_cases(
            session=session, references=["GT-2026-0001", "GT-2026-0002", "GT-2026-NONE"]
        )
    assert sorted(found) == ["GT-2026-0001", "GT-2026-0002"]
    one = found["GT-2026-0001"]
    assert (one.event_count, one.last_event) == (4, 4)
    assert sorted(one.respondents) == ["delta-denim", "noorderlicht-fashion"]
    assert one.recusals == ["committee"] and [o.number for o in one.orders] == [1, 2]
    for state in (first, second):
        live = projection(state).state
        assert compare(state.reference, found[state.reference], live) == []

    # The workflow's state moved on where the read model did not: each field is named.
    live = projection(first).state
    live.respondents.append(Party(organisation_id="waddenzee-apparel", name="Waddenzee"))
    live.orders[1].due = date(2027, 1, 1)
    live.deadlines[0].party = None
    found_fields = {d.field for d in compare(first.reference, one, live)}
    assert found_fields == {"respondents", "order 2", "deadline response-1", "snapshot"}
    snapshot = next(d for d in compare(first.reference, one, live) if d.field == "snapshot")
    assert snapshot == Difference(
        first.reference, "snapshot", "differs in deadlines, orders, respondents", "the state"
    )


def test_a_row_ahead_of_its_workflow_is_set_back_only_from_what_was_seen(
    database: Database,
) -> None:
    engine = migrated(database)
    records = RecordActivities(engine)
    state = case_state("GT-2026-0003", events=3)
    project_state(records, state)
    with Session(engine) as session, session.begin():
        row = session.get(CaseRow, state.reference)
        assert row is not None
        row.last_seq = 9  # tampered, or a bug
    ahead = case_state("GT-2026-0003", events=3)
    assert not records.project_sync(projection(ahead))  # stale
    with Session(engine) as session, session.begin():
        assert not projected.rewind_case(
            session=session, reference=state.reference, seen_seq=8, to_seq=3
        )
        assert projected.rewind_case(
            session=session, reference=state.reference, seen_seq=9, to_seq=3
        )
    assert records.project_sync(projection(ahead))
    with Session(engine) as session:
        row = session.get(CaseRow, state.reference)
        assert row is not None and row.last_seq == 3
