"""Portal reads: due-before and assigned-to filters, deadlines across cases, party notices."""

from __future__ import annotations

from datetime import UTC, datetime

from activities.records import RecordActivities
from store import deadlines, outbox
from store.cases import CaseFilter
from store.db import session_scope
from store.tables import Outbox
from tests.factories import FILED, Database, case_state, project_state
from tests.store.test_queries import DAY, case_refs, project_cases, seeded_engine


def test_due_before_and_assigned_to(database: Database) -> None:
    engine = seeded_engine(database)
    project_cases(engine)
    assert case_refs(engine, due_before=FILED + 10 * DAY) == ["GT-2026-0002"]
    assert case_refs(engine, due_before=FILED + 40 * DAY) == ["GT-2026-0002", "GT-2026-0001"]
    assert case_refs(engine, assigned_to="mediator") == ["GT-2026-0002"]
    state = case_state("GT-2026-0009", filed_at=FILED + 9 * DAY)
    state.officer = "secretariat"
    project_state(RecordActivities(engine), state)
    assert case_refs(engine, assigned_to="secretariat") == ["GT-2026-0009"]
    assert case_refs(engine, assigned_to="nobody") == []


def test_deadlines_due_soonest_first_with_their_case(database: Database) -> None:
    engine = seeded_engine(database)
    project_cases(engine)
    with session_scope(engine) as session:
        found = deadlines.deadlines_due(session=session)
        assert [(d.reference, d.name, c.subject[:6]) for d, c in found] == [
            ("GT-2026-0002", "register", "Unpaid"),
            ("GT-2026-0001", "response", "Dismis"),
        ]
        assert found[1][0].overdue
        mine = deadlines.deadlines_due(session=session, where=CaseFilter(mediator="mediator"))
        assert [d.reference for d, _ in mine] == ["GT-2026-0002"]


def test_notices_to_a_party_about_its_own_cases(database: Database) -> None:
    engine = seeded_engine(database)
    project_cases(engine)
    with session_scope(engine) as session:
        for number, (reference, recipient) in enumerate(
            [
                ("GT-2026-0001", "csr@noorderlicht-fashion.example"),
                ("GT-2026-0002", "csr@noorderlicht-fashion.example"),  # not its case
                ("GT-2026-0003", "CSR@noorderlicht-fashion.example"),
                ("GT-2026-0001", "office@dhaka-gwu.example"),
                ("GT-2026-0003", "eva@noorderlicht-fashion.example"),  # the same notice
            ]
        ):
            session.add(
                Outbox(
                    message_id=f"<m{number}@test>",
                    reference=reference,
                    notice_key="k2" if number == 4 else f"k{number}",
                    recipient=recipient,
                    subject=f"Notice {number}",
                    language="en",
                    created_at=datetime(2026, 3, 3, 9, number, tzinfo=UTC),
                )
            )
        session.commit()
        found = outbox.notices_to(
            session=session,
            addresses=["csr@noorderlicht-fashion.example", "eva@noorderlicht-fashion.example"],
            organisation_id="noorderlicht-fashion",
        )
        assert [n.notice_key for n in found] == ["k2", "k0"]
        assert (
            outbox.notices_to(session=session, addresses=[], organisation_id="noorderlicht-fashion")
            == []
        )
