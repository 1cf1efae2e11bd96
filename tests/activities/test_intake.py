"""copy_intake: complainants copied to a split-off case, and merged into another case."""

from __future__ import annotations

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.records import RecordActivities
from domain.cases import IntakeCopy
from domain.enums import CaseStatus, Outcome, Stage
from domain.errors import InvalidAction, WrongStage
from store import cases
from store.db import session_scope
from tests.factories import Database, case_state, complainant, migrated, projection

TARGET, SOURCE = "GT-2026-0001", "GT-2026-0002"


async def _setup(database: Database) -> RecordActivities:
    records = RecordActivities(migrated(database))
    for reference in (TARGET, SOURCE):
        await ActivityEnvironment().run(records.project_case, projection(case_state(reference)))
    with session_scope(database.engine) as session:
        session.add(complainant(TARGET))
        second = complainant(SOURCE, confidential=True, email="second@private.example")
        second.name, second.language, second.access_code_hash = "Second Person", "tr", "2" * 64
        session.add(second)
    return records


def _merge(source: str = SOURCE, target: str = TARGET) -> IntakeCopy:
    return IntakeCopy(from_reference=source, to_reference=target, merge=True)


async def test_a_merged_case_adds_its_complainant_once(database: Database) -> None:
    records = await _setup(database)
    await ActivityEnvironment().run(records.copy_intake, _merge())
    await ActivityEnvironment().run(records.copy_intake, _merge())  # a retry
    with session_scope(database.engine) as session:
        rows = cases.case_complainants(session=session, reference=TARGET)
        assert [(r.number, r.name, r.merged_from) for r in rows] == [
            (1, "Rahima Akter", None),
            (2, "Second Person", SOURCE),
        ]
        added = rows[1]
        # Its own code, language, confidentiality and the pseudonym it had.
        assert (added.access_code_hash, added.language, added.confidential) == (
            "2" * 64,
            "tr",
            True,
        )
        assert added.pseudonym == case_state(SOURCE).pseudonym != case_state(TARGET).pseudonym
        assert added.receipt_code is None
        # The merged case keeps its own record.
        assert cases.get_complainant(session=session, reference=SOURCE) is not None


@pytest.mark.parametrize(
    ("target", "change", "kind", "said"),
    [
        (SOURCE, None, InvalidAction.kind, "itself"),
        ("GT-1999-0001", None, InvalidAction.kind, "no complaint"),
        (TARGET, {"covenant": "natural-stone"}, InvalidAction.kind, "another covenant"),
        (TARGET, {"status": CaseStatus.CLOSED, "stage": Stage.CLOSED}, WrongStage.kind, "closed"),
        (
            TARGET,
            {"merged_into": "GT-2026-0009", "outcome": Outcome.MERGED},
            WrongStage.kind,
            "merged",
        ),
    ],
)
async def test_a_target_that_cannot_take_it_refuses_and_nothing_is_copied(
    database: Database, target: str, change: dict[str, object] | None, kind: str, said: str
) -> None:
    records = await _setup(database)
    if change:
        changed = case_state(TARGET).model_copy(update=change)
        changed.seq = 5  # newer than the first projection
        await ActivityEnvironment().run(records.project_case, projection(changed))
    with pytest.raises(ApplicationError) as refused:
        await ActivityEnvironment().run(records.copy_intake, _merge(target=target))
    assert refused.value.type == kind and refused.value.non_retryable
    assert said in refused.value.message
    with session_scope(database.engine) as session:
        assert len(cases.case_complainants(session=session, reference=TARGET)) == 1


async def test_a_split_off_case_gets_every_complainant(database: Database) -> None:
    records = await _setup(database)
    await ActivityEnvironment().run(records.copy_intake, _merge())
    split = IntakeCopy(from_reference=TARGET, to_reference=f"{TARGET}-2")
    await ActivityEnvironment().run(records.copy_intake, split)
    await ActivityEnvironment().run(records.copy_intake, split)
    with session_scope(database.engine) as session:
        rows = cases.case_complainants(session=session, reference=f"{TARGET}-2")
        assert [(r.number, r.name) for r in rows] == [(1, "Rahima Akter"), (2, "Second Person")]
