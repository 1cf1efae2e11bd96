"""Merging a complaint into another case, and reopening a closed case, through the worker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from temporalio import activity
from temporalio.client import (
    WithStartWorkflowOperation,
    WorkflowExecutionStatus,
    WorkflowHandle,
    WorkflowUpdateFailedError,
)
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.calendar import compute_schedule
from domain.cases import CaseState, IntakeCopy, Reopening, going_on
from domain.enums import Audience, CaseStatus, DeadlineState, NoticeKind, Outcome, Stage
from domain.errors import WrongStage
from domain.merging import ABSORB_SIGNAL, merge_in_of
from domain.notices import NoticeRequest
from tests.clock import shifted
from tests.workflows.conftest import (
    CHAIR,
    SECRETARIAT,
    UNION,
    Sinks,
    act,
    case_start,
    keep_history,
    state_of,
    wait_until,
)
from tests.workflows.drive import drive_to
from workflows.case import CaseWorkflow
from workflows.notice_retry import NoticeRetryWorkflow

QUEUE = "test-case-files"
CLOSED_TARGET = "T-CLOSED"  # the fake copy_intake answers as the read model would for it


class Copies:
    """``copy_intake`` as the read model answers it: a closed target refuses the merge; and
    ``send_notice`` holding back the notices of the cases in ``held`` until released."""

    def __init__(self, sinks: Sinks) -> None:
        self.requests: list[IntakeCopy] = []
        self.sinks = sinks
        self.held: set[str] = set()
        self.released = asyncio.Event()

    @activity.defn(name="send_notice")
    async def send_notice(self, request: NoticeRequest) -> int:
        if request.reference in self.held:
            await self.released.wait()
        return await self.sinks.send_notice(request)

    @activity.defn(name="copy_intake")
    async def copy_intake(self, request: IntakeCopy) -> None:
        if request.to_reference == CLOSED_TARGET:
            raise ApplicationError(
                f"case {CLOSED_TARGET} is closed", type=WrongStage.kind, non_retryable=True
            )
        self.requests.append(request)


@pytest.fixture(scope="module")
async def copies(env: WorkflowEnvironment, sinks: Sinks) -> AsyncIterator[Copies]:
    copies = Copies(sinks)
    activities = [
        compute_schedule,
        sinks.project_case,
        copies.send_notice,
        copies.copy_intake,
        sinks.park_notice,
    ]
    worker = Worker(
        env.client,
        task_queue=QUEUE,
        workflows=[CaseWorkflow, NoticeRetryWorkflow],
        activities=activities,
    )
    async with worker:
        yield copies


async def _start(env: WorkflowEnvironment, **fields: Any) -> WorkflowHandle[Any, Any]:
    start = case_start(**fields)
    handle = await shifted(env.client).start_workflow(
        CaseWorkflow.run, start, id=f"case-{start.reference}", task_queue=QUEUE
    )
    await handle.execute_update(CaseWorkflow.synced)
    return handle


async def test_a_complaint_merged_into_another_goes_on_there(
    env: WorkflowEnvironment, sinks: Sinks, copies: Copies
):
    target = await _start(env)
    source = await _start(env)
    await drive_to(source, Stage.ADMISSIBILITY)
    target_ref = (await state_of(target)).reference

    state = await act(source, SECRETARIAT, action="merge_into", target=target_ref, reason="Same")
    assert (state.status, state.outcome, state.merged_into) == (
        CaseStatus.CLOSED,
        Outcome.MERGED,
        target_ref,
    )
    assert not state.open_deadlines()
    assert [e.type for e in state.events][-2:] == ["merged_into", "closed"]
    # The complainants' records were copied before the source closed; identity never passes.
    copy = IntakeCopy(from_reference=state.reference, to_reference=target_ref, merge=True)
    assert copy in copies.requests
    await source.result()  # the merged case's workflow ends

    merged = await wait_until(target, lambda s: s.merged_from == [state.reference])
    assert merged.status is CaseStatus.OPEN and merged.stage is Stage.SCREENING
    assert [e.type for e in merged.events].count("merged_from") == 1
    told = await sinks.wait_for(target_ref, NoticeKind.MESSAGE)
    assert Audience.COMPLAINANT in told[0].notice.audiences
    assert state.reference in (told[0].notice.text or "")

    # A signal delivered twice (a retry of the source's step) changes nothing more.
    await target.signal(ABSORB_SIGNAL, merge_in_of(state))
    await act(target, SECRETARIAT, action="register")
    again = await state_of(target)
    assert again.merged_from == [state.reference]
    assert [e.type for e in again.events].count("merged_from") == 1
    await keep_history(source, "merged-into")
    await keep_history(target, "merged-from")


async def test_a_merge_the_target_refuses_changes_nothing(env: WorkflowEnvironment, copies: Copies):
    source = await _start(env)
    before = await state_of(source)
    with pytest.raises(WorkflowUpdateFailedError) as failed:
        await act(source, SECRETARIAT, action="merge_into", target=CLOSED_TARGET, reason="Same")
    cause = failed.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == WrongStage.kind
    assert "closed" in cause.message
    after = await state_of(source)
    assert (after.status, after.merged_into, after.last_seq) == (
        CaseStatus.OPEN,
        None,
        before.last_seq,
    )
    with pytest.raises(WorkflowUpdateFailedError):  # only the secretariat merges
        await act(source, CHAIR, action="merge_into", target="T-OTHER", reason="Same")
    with pytest.raises(WorkflowUpdateFailedError):  # not into itself
        await act(source, SECRETARIAT, action="merge_into", target=before.reference, reason="x" * 3)


async def _reopen_run(
    env: WorkflowEnvironment, closed: CaseState, stage: Stage
) -> WorkflowHandle[Any, Any]:
    """What the service does for a closed case whose workflow has finished."""
    reopening = Reopening(state=closed, actor=CHAIR, stage=stage, reason="New evidence")
    start = going_on(closed, description="", reopening=reopening)
    operation = WithStartWorkflowOperation(
        CaseWorkflow.run,
        start,
        id=f"case-{closed.reference}",
        task_queue=QUEUE,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
    )
    await shifted(env.client).execute_update_with_start_workflow(
        CaseWorkflow.synced, start_workflow_operation=operation
    )
    return await operation.workflow_handle()


async def test_the_chair_reopens_a_closed_case_in_a_new_run(
    env: WorkflowEnvironment, sinks: Sinks, copies: Copies
):
    handle = await _start(env)
    await drive_to(handle, Stage.RESPONSE)
    await act(handle, UNION, action="withdraw", reason="Settled")
    closed: CaseState = await handle.result()  # the run has finished
    assert closed.status is CaseStatus.CLOSED
    closed.events, closed.documents = [], []

    reopened = await _reopen_run(env, closed, Stage.RESPONSE)
    state = await state_of(reopened)
    assert (state.status, state.stage, state.outcome) == (CaseStatus.OPEN, Stage.RESPONSE, None)
    assert state.reopened_at is not None and state.closed_at is None
    response = state.deadline("response", "acme")
    assert response is not None and response.state is DeadlineState.OPEN
    assert [e.type for e in state.events].count("reopened") == 1
    reopened_event = next(e for e in state.events if e.type == "reopened")
    assert reopened_event.text == "New evidence"
    told = await sinks.wait_for(closed.reference, NoticeKind.STAGE_CHANGED, count=1)
    last = told[-1].notice
    assert last.stage is Stage.RESPONSE and Audience.COMPLAINANT in last.audiences

    # A retried reopening joins the run it started: the case is reopened once.
    again = await _reopen_run(env, closed, Stage.RESPONSE)
    assert again.result_run_id == reopened.result_run_id
    state = await state_of(reopened)
    assert [e.type for e in state.events].count("reopened") == 1

    # The reopened case goes on as any other, and closes again.
    state = await act(reopened, UNION, action="withdraw", reason="Settled for good")
    assert state.status is CaseStatus.CLOSED
    await reopened.result()
    await keep_history(reopened, "reopened")


async def test_a_merged_case_is_not_reopened(env: WorkflowEnvironment, copies: Copies):
    target = await _start(env)
    source = await _start(env)
    target_ref = (await state_of(target)).reference
    await act(source, SECRETARIAT, action="merge_into", target=target_ref, reason="Same")
    closed: CaseState = await source.result()
    closed.events, closed.documents = [], []
    reopened = await _reopen_run(env, closed, Stage.SCREENING)
    state = await state_of(reopened)
    assert (state.status, state.outcome) == (CaseStatus.CLOSED, Outcome.MERGED)
    assert "reopened" not in [e.type for e in state.events]


async def test_a_case_reopened_while_its_run_still_sends_goes_on_in_that_run(
    env: WorkflowEnvironment, copies: Copies
):
    handle = await _start(env)
    reference = (await state_of(handle)).reference
    copies.held.add(reference)  # its closing notices wait: the closed run has not finished
    await act(handle, UNION, action="withdraw", reason="Settled")
    state = await act(handle, CHAIR, action="reopen", stage="screening", reason="Not settled")
    assert (state.status, state.stage) == (CaseStatus.OPEN, Stage.SCREENING)
    assert state.deadline("register") is not None
    copies.released.set()
    copies.held.discard(reference)
    state = await act(handle, SECRETARIAT, action="register")  # the same run goes on
    assert state.stage is Stage.ADMISSIBILITY
    assert (await handle.describe()).status is WorkflowExecutionStatus.RUNNING


async def test_a_target_whose_workflow_ended_meanwhile_does_not_undo_the_merge(
    env: WorkflowEnvironment, copies: Copies
):
    source = await _start(env)
    # copy_intake found the case open, but its workflow has ended before the signal.
    state = await act(source, SECRETARIAT, action="merge_into", target="T-ENDED", reason="Same")
    assert (state.status, state.merged_into) == (CaseStatus.CLOSED, "T-ENDED")
    await source.result()
