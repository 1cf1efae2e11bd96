"""Withdrawing on a case others were merged into, through the worker: each complainant
withdraws for itself, the last one withdraws the case; a merge recorded before complainants
were counted keeps the behaviour its history recorded."""

from __future__ import annotations

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from domain.cases import Actor
from domain.enums import Audience, CaseStatus, NoticeKind, Outcome, Role, Side, Stage
from domain.merging import ABSORB_SIGNAL, MergeIn
from tests.workflows.conftest import (
    SECRETARIAT,
    Sinks,
    act,
    keep_history,
    state_of,
    wait_until,
)
from tests.workflows.drive import drive_to
from tests.workflows.test_case_files import Copies, _start
from tests.workflows.test_case_files import copies as copies  # the worker, as a fixture


def complainant(number: int) -> Actor:
    """The holder of the access code of the case's complainant ``number``."""
    return Actor(user="complainant", side=Side.COMPLAINANT, complainant=number)


async def test_one_of_two_complainants_withdraws_alone_and_the_last_withdraws_the_case(
    env: WorkflowEnvironment, sinks: Sinks, copies: Copies
) -> None:
    target = await _start(env)
    source = await _start(env)
    await drive_to(source, Stage.ADMISSIBILITY)
    target_ref = (await state_of(target)).reference
    await act(source, SECRETARIAT, action="merge_into", target=target_ref, reason="Same")
    merged = await wait_until(target, lambda s: s.complainants == 2)
    assert merged.withdrawn_complainants == []

    state = await act(target, complainant(2), action="withdraw", reason="We settled")
    assert (state.status, state.outcome, state.stage) == (CaseStatus.OPEN, None, Stage.SCREENING)
    assert state.withdrawn_complainants == [2]
    [event] = [e for e in state.events if e.type == "complainant_withdrawn"]
    assert event.complainant == 2 and event.text == "We settled"
    # The merge told the case's parties (one notice), the withdrawal the secretariat alone.
    told = await sinks.wait_for(target_ref, NoticeKind.MESSAGE, count=2)
    withdrew = [r.notice for r in told if "withdrew" in (r.notice.text or "")]
    assert [n.audiences for n in withdrew] == [[Audience.SECRETARIAT]]

    # Withdrawn, it cannot withdraw again; the case goes on (the secretariat registers it).
    with pytest.raises(WorkflowUpdateFailedError):
        await act(target, complainant(2), action="withdraw", reason="Again")
    assert (await act(target, SECRETARIAT, action="register")).stage is Stage.ADMISSIBILITY

    closed = await act(target, complainant(1), action="withdraw", reason="Paid")
    assert (closed.status, closed.outcome) == (CaseStatus.CLOSED, Outcome.WITHDRAWN)
    await keep_history(target, "complainant-withdrew")


async def test_a_merge_signalled_without_a_count_keeps_one_withdrawal_for_all(
    env: WorkflowEnvironment, copies: Copies
) -> None:
    target = await _start(env)
    # As a merge recorded this morning signalled it: no count of complainants.
    await target.signal(
        ABSORB_SIGNAL, MergeIn(source="T-EARLIER", pseudonym="P", confidential=True)
    )
    absorbed = await wait_until(target, lambda s: s.merged_from == ["T-EARLIER"])
    assert absorbed.complainants == 1
    union = Actor(user="union", role=Role.UNION, organisation_id="dgwu", side=Side.COMPLAINANT)
    closed = await act(
        target, union.model_copy(update={"complainant": 2}), action="withdraw", reason="Moved"
    )
    assert (closed.status, closed.outcome) == (CaseStatus.CLOSED, Outcome.WITHDRAWN)
    await keep_history(target, "uncounted-merge-withdrawn")
