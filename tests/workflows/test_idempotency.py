"""An update id is an idempotency key: a retry takes effect once and answers as the first."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.calendar import compute_schedule
from domain.actions import ActionRequest, action_adapter
from domain.cases import ActionResult, Actor, AppliedUpdate, Carried, CaseStart, continuing
from domain.enums import Stage
from tests.clock import shifted
from tests.workflows.conftest import (
    SECRETARIAT,
    TASK_QUEUE,
    UNION,
    Sinks,
    Start,
    act,
    case_start,
    state_of,
)
from workflows.case import IDEMPOTENCY_MISMATCH, CaseWorkflow, digest_of


async def _start(env: WorkflowEnvironment, queue: str) -> CaseStart:
    start = case_start()
    await shifted(env.client).start_workflow(
        CaseWorkflow.run, start, id=f"case-{start.reference}", task_queue=queue
    )
    return start


def _request(actor: Actor, **action: Any) -> ActionRequest:
    return ActionRequest(actor=actor, action=action_adapter.validate_python(action))


async def _update(handle, actor, update_id: str, **action) -> ActionResult:  # type: ignore[no-untyped-def]
    request = _request(actor, **action)
    result: ActionResult = await handle.execute_update(CaseWorkflow.act, request, id=update_id)
    return result


async def test_a_retried_action_takes_effect_once(start_case: Start):
    handle = await start_case()
    first = await _update(handle, UNION, "key-1", action="add_message", text="Are you there?")
    events = len((await state_of(handle)).events)
    again = await _update(handle, UNION, "key-1", action="add_message", text="Are you there?")
    assert again == first
    assert len((await state_of(handle)).events) == events


async def test_a_retry_after_the_stage_moved_on_answers_the_first_result(start_case: Start):
    handle = await start_case()
    registered = await _update(handle, SECRETARIAT, "reg-1", action="register")
    assert registered.stage is Stage.ADMISSIBILITY
    # Registering again would be refused (409); the retry of the same request is not.
    assert await _update(handle, SECRETARIAT, "reg-1", action="register") == registered
    with pytest.raises(WorkflowUpdateFailedError):
        await _update(handle, SECRETARIAT, "reg-2", action="register")


async def test_within_a_run_the_same_key_answers_the_first_and_applies_nothing_more(
    start_case: Start,
):
    handle = await start_case()
    first = await _update(handle, UNION, "key-2", action="add_message", text="First text")
    # Temporal itself answers a known update id; the API refuses another body (422) first.
    again = await _update(handle, UNION, "key-2", action="add_message", text="Another text")
    assert again == first
    state = await state_of(handle)
    assert [e.text for e in state.events if e.type == "message"] == ["First text"]


async def test_applied_keys_carry_over_into_the_next_run(
    env: WorkflowEnvironment, start_case: Start
):
    handle = await start_case()
    first = await _update(handle, UNION, "key-3", action="add_message", text="Before the new run")
    state = await state_of(handle)
    state.reference = f"{state.reference}-C"  # a second case, as the first's next run
    state.events = []
    applied = AppliedUpdate(
        digest=digest_of(_request(UNION, action="add_message", text="Before the new run")),
        result=first,
    )
    carried = Carried(state=state, applied={"key-3": applied})
    next_run = await shifted(env.client).start_workflow(
        CaseWorkflow.run, continuing(carried), id=f"case-{state.reference}", task_queue=TASK_QUEUE
    )
    with pytest.raises(WorkflowUpdateFailedError) as raised:
        await _update(next_run, UNION, "key-3", action="add_message", text="Another text")
    cause = raised.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == IDEMPOTENCY_MISMATCH
    # (A refused update leaves no trace of its id: the right retry is still answered.)
    again = await _update(next_run, UNION, "key-3", action="add_message", text="Before the new run")
    assert again == first
    assert (await state_of(next_run)).last_seq == state.last_seq
    await act(next_run, UNION, action="add_message", text="A new key is a new action")


async def test_an_action_sent_before_the_first_step_waits_for_it(
    env: WorkflowEnvironment, sinks: Sinks
):
    queue = f"late-{uuid.uuid4().hex[:8]}"  # no worker yet: the filing's step has not run
    start = await _start(env, queue)
    handle = env.client.get_workflow_handle(f"case-{start.reference}")
    early = asyncio.create_task(_update(handle, SECRETARIAT, "early", action="register"))
    await asyncio.sleep(0.5)
    worker = Worker(
        env.client,
        task_queue=queue,
        workflows=[CaseWorkflow],
        activities=[compute_schedule, sinks.project_case, sinks.send_notice],
    )
    async with worker:
        result = await early
    assert result.stage is Stage.ADMISSIBILITY
    types = [e.type for e in sinks.events(start.reference)]
    assert types[:2] == ["filed", "stage_changed"] and types.count("stage_changed") == 2
    assert [e.seq for e in sinks.events(start.reference)] == list(range(1, len(types) + 1))
