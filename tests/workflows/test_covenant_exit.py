"""Disputes under the new covenants: forest (a party withdraws from the covenant after the
dialogue period) and gold or banking (the steering group decides)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from domain.actions import action_adapter
from domain.cases import CaseState
from domain.enums import CaseKind, DeadlineState, DecidingBody, Outcome, Stage
from domain.errors import WrongStage
from domain.rules import allowed_actions, check
from domain.schedule import ScheduleInput, plan
from domain.transitions import start_case as first_step
from tests.workflows.conftest import (
    CHAIR,
    COMPANY,
    SECRETARIAT,
    UNION,
    Start,
    act,
    case_start,
    in_days,
    state_of,
    wait_until,
)

WITHDRAW = {"action": "withdraw_from_covenant", "reason": "No agreement in three months"}


async def test_a_forest_party_withdraws_from_the_covenant_after_the_dialogue(
    env: WorkflowEnvironment, start_case: Start
) -> None:
    handle = await start_case(kind=CaseKind.DISPUTE, covenant="forest")
    state = await state_of(handle)
    assert state.stage is Stage.DIALOGUE and state.procedure.withdrawal_after_dialogue
    with pytest.raises(WorkflowUpdateFailedError):  # not during the dialogue
        await act(handle, COMPANY, **WITHDRAW)
    dialogue = state.deadline("dialogue")
    assert dialogue is not None
    await env.fast_forward(handle, dialogue.due - state.filed_at + timedelta(hours=1))
    state = await wait_until(handle, lambda s: s.stage is Stage.HEARING)
    with pytest.raises(WorkflowUpdateFailedError):  # the parties' call, not the staff's
        await act(handle, SECRETARIAT, **WITHDRAW)
    state = await act(handle, COMPANY, **WITHDRAW)
    assert (state.stage, state.outcome) == (Stage.CLOSED, Outcome.WITHDREW_FROM_COVENANT)
    closed = state.events[-1]
    assert closed.type == "closed" and closed.text == WITHDRAW["reason"]
    assert closed.summary == "The other party withdrew from the covenant"
    assert all(d.state is not DeadlineState.OPEN for d in state.deadlines)
    await handle.result()


def _dispute(covenant: str, kind: CaseKind = CaseKind.DISPUTE) -> CaseState:
    """A new case with its deadlines planned, as the workflow plans them."""
    t = first_step(case_start(kind=kind, covenant=covenant))
    s = t.state
    s.deadlines = plan(
        ScheduleInput(procedure=s.procedure, now=s.filed_at, deadlines=s.deadlines, opens=t.opens)
    ).deadlines
    return s


def test_withdrawal_needs_the_dialogue_period_over_and_a_covenant_that_allows_it() -> None:
    action = action_adapter.validate_python(WITHDRAW)
    forest = _dispute("forest")
    dialogue = forest.deadline("dialogue")
    assert forest.stage is Stage.DIALOGUE and dialogue is not None
    later = dialogue.due + timedelta(days=1)
    with pytest.raises(WrongStage):  # while the dialogue runs, no withdrawal
        check(forest, UNION, action, later)
    forest.stage = Stage.HEARING  # the dialogue was ended early, by a party
    with pytest.raises(WrongStage, match="only after the dialogue period"):
        check(forest, UNION, action, forest.filed_at + timedelta(days=30))
    assert "withdraw_from_covenant" in allowed_actions(forest, UNION, later)
    assert "withdraw_from_covenant" in allowed_actions(forest, COMPANY, later)
    assert "withdraw_from_covenant" not in allowed_actions(forest, SECRETARIAT, later)
    garments = _dispute("garments-textile")
    garments.stage = Stage.HEARING
    with pytest.raises(WrongStage, match="no withdrawal"):
        check(garments, UNION, action, later)
    complaint = _dispute("forest", CaseKind.COMPLAINT)
    complaint.stage = Stage.HEARING
    with pytest.raises(WrongStage, match="only a party to a dispute"):
        check(complaint, UNION, action, later)


@pytest.mark.parametrize("covenant", ["gold", "banking"])
async def test_a_gold_or_banking_dispute_goes_to_the_steering_group(
    start_case: Start, covenant: str
) -> None:
    handle = await start_case(kind=CaseKind.DISPUTE, covenant=covenant)
    state = await act(handle, UNION, action="end_dialogue", reason="The parties cannot agree")
    assert state.stage is Stage.HEARING
    assert state.deciding_body is DecidingBody.STEERING_GROUP
    assert any("steering group" in e.summary for e in state.events)
    with pytest.raises(WorkflowUpdateFailedError):  # no one may leave these covenants so
        await act(handle, UNION, **WITHDRAW)
    await act(handle, SECRETARIAT, action="schedule_hearing", at=f"{in_days(30)}T09:00:00Z")
    await act(handle, CHAIR, action="record_hearing", minutes="The steering group met.")
    state = await act(
        handle,
        SECRETARIAT,
        action="issue_decision",
        finding="unfounded",
        reasons="The steering group's decision.",
    )
    assert state.decision is not None and state.decision.body is DecidingBody.STEERING_GROUP
