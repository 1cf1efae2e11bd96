"""The suite's "today": the real date, or the one given with ``--today`` / REDRESS_TEST_TODAY.

Python's clock is moved with time-machine. The Temporal server's clock cannot be moved, so
every workflow the tests start through ``shifted(client)`` is started with a delay of the
same offset, which the dev server's time skipping passes over at once: the workflow's first
step, and everything after it, sees the suite's today. Temporal's clocks only move forward,
so the suite's today is never before the real one.
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import temporalio.api.common.v1
import temporalio.api.workflowservice.v1
from temporalio.api.enums.v1.time_skipping_pb2 import FastForwardPollingResult
from temporalio.client import (
    Client,
    Interceptor,
    OutboundInterceptor,
    StartWorkflowInput,
    WorkflowHandle,
)

ENV = "REDRESS_TEST_TODAY"
_offset = timedelta(0)


def parse_today(value: str | None) -> date | None:
    """The date asked for (ISO 8601), or None for the real date; refuses one in the past."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{ENV}/--today must be a date like 2026-12-24, not {value!r}") from None
    if day < datetime.now(UTC).date():
        raise ValueError(f"{ENV}/--today {day} is in the past: Temporal's clock only moves forward")
    return day


def travel_to(day: date) -> Any:
    """Start moving Python's clock to ``day`` at the real time of day; returns the traveller."""
    import time_machine

    global _offset
    real = datetime.now(UTC)
    destination = datetime.combine(day, real.timetz())
    _offset = destination - real
    traveller = time_machine.travel(destination, tick=True)
    traveller.start()
    os.environ[ENV] = day.isoformat()  # for processes the tests start
    return traveller


def today() -> date:
    """The suite's today."""
    return datetime.now(UTC).date()


def shifted(client: Client) -> Client:
    """``client``, starting workflows at the suite's today (itself when that is the real one)."""
    if _offset <= timedelta(0):
        return client
    interceptor = _ShiftedStart(_offset)
    config = client.config()
    config["interceptors"] = [*config["interceptors"], interceptor]
    interceptor.client = Client(**config)
    return interceptor.client


class _ShiftedStart(Interceptor):
    client: Client

    def __init__(self, delay: timedelta) -> None:
        self.delay = delay

    def intercept_client(self, next: OutboundInterceptor) -> OutboundInterceptor:
        return _ShiftedStartOutbound(next, self)


class _ShiftedStartOutbound(OutboundInterceptor):
    def __init__(self, next: OutboundInterceptor, shift: _ShiftedStart) -> None:
        super().__init__(next)
        self.shift = shift

    async def start_workflow(self, input: StartWorkflowInput) -> WorkflowHandle[Any, Any]:
        skip = str(uuid.uuid4())
        config = temporalio.api.common.v1.TimeSkippingConfig(enabled=True)
        config.fast_forward_config.id = skip
        config.fast_forward_config.duration.FromTimedelta(self.shift.delay)
        input.start_delay = self.shift.delay
        input.time_skipping_config = config
        handle = await super().start_workflow(input)
        # Wait for the skip: an update arriving before it would wake the workflow at real time.
        await _skipped(self.shift.client, handle.id, skip)
        return handle


async def _skipped(client: Client, workflow_id: str, skip: str) -> None:
    request = temporalio.api.workflowservice.v1.PollWorkflowExecutionTimeSkippingRequest(
        namespace=client.namespace,
        workflow_execution=temporalio.api.common.v1.WorkflowExecution(workflow_id=workflow_id),
        fast_forward_id=skip,
    )
    done = FastForwardPollingResult.FAST_FORWARD_POLLING_RESULT_FAST_FORWARD_COMPLETED
    failed = FastForwardPollingResult.FAST_FORWARD_POLLING_RESULT_FAST_FORWARD_FAILED
    while True:
        response = await client.workflow_service.poll_workflow_execution_time_skipping(
            request, retry=True
        )
        if response.fast_forward_polling_result == done:
            return
        if response.fast_forward_polling_result == failed:
            raise RuntimeError(f"could not start {workflow_id} at the suite's today: {response}")
