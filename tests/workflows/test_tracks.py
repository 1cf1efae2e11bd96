"""Withdrawal everywhere, the dispute track with both deciding bodies, and refusals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from domain.actions import ActionName, action_adapter
from domain.cases import CaseState
from domain.enums import CaseKind, DeadlineState, DecidingBody, Outcome, Stage
from domain.errors import Forbidden, WrongStage
from domain.rules import allowed_actions, check
from tests.domain.samples import SAMPLE_ACTIONS
from tests.workflows.conftest import (
    ACTORS,
    CHAIR,
    COMPANY,
    SECRETARIAT,
    UNION,
    Start,
    act,
    in_days,
    keep_history,
    state_of,
    wait_until,
)
from tests.workflows.drive import OPEN_STAGES, drive_to


@pytest.mark.parametrize("stage", OPEN_STAGES)
async def test_withdrawal_at_every_open_stage(start_case: Start, stage: Stage):
    handle = await start_case()
    await drive_to(handle, stage)
    assert (await state_of(handle)).stage is stage
    state = await act(handle, UNION, action="withdraw", reason="Settled with the factory")
    assert (state.stage, state.outcome) == (Stage.CLOSED, Outcome.WITHDRAWN)
    assert not state.open_deadlines()
    await handle.result()


async def test_dispute_dialogue_lapses_to_the_committee(
    env: WorkflowEnvironment, start_case: Start
):
    handle = await start_case(kind=CaseKind.DISPUTE)
    state = await state_of(handle)
    assert state.stage is Stage.DIALOGUE and state.deciding_body is DecidingBody.COMMITTEE
    dialogue = state.deadline("dialogue")
    assert dialogue is not None and 89 <= (dialogue.due - state.filed_at).days <= 92
    await env.fast_forward(handle, dialogue.due - state.filed_at + timedelta(hours=1))
    state = await wait_until(handle, lambda s: s.stage is Stage.HEARING)
    assert any(e.type == "dialogue_lapsed" for e in state.events)
    await act(handle, SECRETARIAT, action="schedule_hearing", at=f"{in_days(120)}T09:00:00Z")
    await act(handle, CHAIR, action="record_hearing", minutes="Both parties heard.")
    with pytest.raises(WorkflowUpdateFailedError):
        await act(handle, SECRETARIAT, action="issue_decision", finding="founded", reasons="x" * 5)
    state = await act(handle, CHAIR, action="issue_decision", finding="unfounded", reasons="None.")
    assert state.decision is not None and state.decision.body is DecidingBody.COMMITTEE


async def test_dispute_decided_by_the_steering_group(start_case: Start):
    handle = await start_case(kind=CaseKind.DISPUTE, covenant="natural-stone")
    state = await act(handle, COMPANY, action="end_dialogue", reason="No way forward")
    assert state.stage is Stage.HEARING and state.deciding_body is DecidingBody.STEERING_GROUP
    await act(handle, SECRETARIAT, action="schedule_hearing", at=f"{in_days(30)}T09:00:00Z")
    await act(handle, SECRETARIAT, action="record_hearing", minutes="Steering group met.")
    state = await act(
        handle,
        SECRETARIAT,
        action="issue_decision",
        finding="partly_founded",
        reasons="Steering group decision.",
        orders=[{"text": "Audit the quarry", "due": in_days(60)}],
    )
    assert state.decision is not None and state.decision.body is DecidingBody.STEERING_GROUP
    assert state.stage is Stage.REMEDIATION
    await keep_history(handle, "dispute-steering-group")


@pytest.mark.parametrize("stage", [Stage.RESPONSE, Stage.MEDIATION])
async def test_the_secretariat_sends_a_case_to_a_hearing(start_case: Start, stage: Stage):
    handle = await start_case()
    await drive_to(handle, stage)
    with pytest.raises(WorkflowUpdateFailedError):  # the secretariat's call alone
        await act(handle, CHAIR, action="send_to_hearing", reason="Too far apart")
    state = await act(handle, SECRETARIAT, action="send_to_hearing", reason="Too far apart")
    assert state.stage is Stage.HEARING
    assert [d.name for d in state.open_deadlines()] == ["hearing"]
    ended = [d for d in state.deadlines if d.name in ("response", "mediation")]
    assert ended[-1].name == stage and ended[-1].state is DeadlineState.CANCELLED
    sent = next(e for e in state.events if e.type == "sent_to_hearing")
    assert sent.text == "Too far apart"
    await act(handle, SECRETARIAT, action="schedule_hearing", at=f"{in_days(30)}T09:00:00Z")


def _comparable(state: CaseState) -> dict[str, Any]:
    return state.model_dump()


ON_CLOSED = {
    "chair": [ActionName.REOPEN, ActionName.PUBLISH_SUMMARY, ActionName.RECORD_LESSON],
    "committee": [ActionName.RECORD_LESSON],
    "union": [ActionName.CONSENT_TO_NAMING],
}


async def test_a_closed_case_refuses_everything(start_case: Start):
    handle = await start_case()
    state = await act(handle, SECRETARIAT, action="refer_out", reason="Out of scope")
    await handle.result()  # the workflow has ended; the API refuses from the read model
    for actor in ACTORS:
        # All but the chair's reopening (tests/workflows/test_case_files.py) and the
        # register's content actions, which need no workflow (tests/api/test_register.py).
        reopens = ON_CLOSED.get(actor.user, [])
        assert allowed_actions(state, actor, state.events[-1].at) == reopens
        for name in ActionName:
            if name in reopens:
                continue
            action = action_adapter.validate_python(SAMPLE_ACTIONS[name])
            with pytest.raises((WrongStage, Forbidden)):
                check(state, actor, action, state.events[-1].at)


@pytest.mark.parametrize("stage", OPEN_STAGES)
async def test_every_action_refused_where_not_allowed_and_nothing_changes(
    start_case: Start, stage: Stage
):
    handle = await start_case()
    await drive_to(handle, stage)
    before = await state_of(handle)
    refused = 0
    for actor in ACTORS:
        allowed = set(allowed_actions(before, actor, before.events[-1].at))
        for name in ActionName:
            if name in allowed:
                continue
            action = action_adapter.validate_python(SAMPLE_ACTIONS[name])
            with pytest.raises(WorkflowUpdateFailedError) as error:
                await act(handle, actor, **action.model_dump(by_alias=True, mode="json"))
            cause = error.value.cause
            assert isinstance(cause, ApplicationError)
            assert cause.type in ("WrongStage", "Forbidden", "InvalidAction"), cause
            refused += 1
    assert refused > 50
    assert _comparable(await state_of(handle)) == _comparable(before)
