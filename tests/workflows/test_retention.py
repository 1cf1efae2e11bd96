"""The retention schedule: sweeps in batches until one is short, then again a day later by
the workflow's clock; starting it again joins the run already going."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta

from temporalio import activity
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from workflows.retention import RetentionPlan, RetentionWorkflow, SweepRequest, SweepResult


class FakeSweep:
    """``sweep_retention`` by name: the first batch is full, every later one short."""

    def __init__(self) -> None:
        self.calls: list[SweepRequest] = []

    @activity.defn(name="sweep_retention")
    async def sweep(self, request: SweepRequest) -> SweepResult:
        self.calls.append(request)
        return SweepResult(contacts=request.limit, more=len(self.calls) == 1)

    async def until(self, count: int) -> None:
        async with asyncio.timeout(20):
            while len(self.calls) < count:
                await asyncio.sleep(0.05)


async def test_sweeps_in_batches_then_a_day_later(env: WorkflowEnvironment) -> None:
    fake, queue = FakeSweep(), f"retention-{uuid.uuid4().hex[:8]}"
    workflow_id = f"retention-{uuid.uuid4().hex[:8]}"
    async with Worker(
        env.client, task_queue=queue, workflows=[RetentionWorkflow], activities=[fake.sweep]
    ):
        handle = await env.client.start_workflow(
            RetentionWorkflow.run, RetentionPlan(batch=3), id=workflow_id, task_queue=queue
        )
        await fake.until(2)  # the first batch was full: a second followed at once
        again = await env.client.start_workflow(
            RetentionWorkflow.run,
            RetentionPlan(batch=3),
            id=workflow_id,
            task_queue=queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        )
        assert again.result_run_id == handle.result_run_id
        await asyncio.sleep(0.3)
        assert len(fake.calls) == 2  # no second run, and no sweep before the day is over
        await env.fast_forward(handle, timedelta(hours=24, minutes=1))
        await fake.until(3)
        first, _, next_day = (call.now for call in fake.calls)
        assert isinstance(first, datetime)
        assert next_day - first >= timedelta(hours=24)
        assert {call.limit for call in fake.calls} == {3}
        progress = await handle.query(RetentionWorkflow.progress)
        assert progress["contacts"] == 9 and progress["sweeps"] >= 1
        await handle.terminate("test over")
