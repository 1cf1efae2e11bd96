"""Graceful shutdown: on SIGTERM the API answers the requests it is serving, and the worker
finishes the activities it is running (none is cut short and retried)."""

from __future__ import annotations

import asyncio
import signal
from typing import Any

import httpx
import pytest
from temporalio.api.enums.v1 import PendingActivityState

from tests.faults.checks import (
    assert_delivered_once,
    assert_only_these_once,
    assert_whole,
    received,
    records,
)
from tests.faults.driver import Api, complaint, eventually, handle_of, settled
from tests.faults.stack import FaultStack

pytestmark = pytest.mark.faults


async def test_the_api_answers_requests_in_flight_when_stopped(stack: FaultStack) -> None:
    mail_before = await received(stack)
    client = await stack.temporal_client()
    running = (await client.count_workflows("ExecutionStatus='Running'")).count
    # Without a worker a filing waits for its workflow: the requests stay in flight.
    assert await stack.worker.terminate() == 0
    filings = [
        asyncio.create_task(stack.http.post("/api/v1/complaints", json=complaint()))
        for _ in range(4)
    ]

    async def all_started() -> bool | None:
        count = (await client.count_workflows("ExecutionStatus='Running'")).count
        return True if count >= running + len(filings) else None

    await eventually(all_started, "the filings' workflows to start", 60)
    stopping = asyncio.create_task(stack.api.terminate())

    async def refusing() -> bool | None:  # stopping, it finishes what it has, takes no more
        try:
            await stack.http.get("/healthz", timeout=2)
        except httpx.TransportError:
            return True
        return None

    await eventually(refusing, "the API to refuse new requests", 20)
    assert not any(f.done() for f in filings), "a filing ended before its workflow could run"
    await stack.worker.start()
    answers: list[httpx.Response] = await asyncio.gather(*filings)
    # uvicorn stops, then re-raises the SIGTERM it caught: the exit says what stopped it.
    assert await stopping in (0, -signal.SIGTERM), stack.api.tail()
    assert "Application shutdown complete" in stack.api.tail(), stack.api.tail()
    assert [a.status_code for a in answers] == [201] * len(filings), [a.text for a in answers]
    references = [a.json()["reference"] for a in answers]
    await stack.api.start()
    await settled(stack, references)
    found = await records(stack, references)
    sink = await received(stack)
    for record in found.values():
        assert_whole(record)
        assert_delivered_once(record, sink)
    assert_only_these_once(mail_before, sink, found.values())


async def test_the_worker_finishes_its_running_activities_when_stopped(stack: FaultStack) -> None:
    mail_before = await received(stack)
    api = Api(stack.http)
    reference = await api.file()
    await api.act(reference, "secretariat", action="register")
    await settled(stack, [reference])
    stack.proxy.delay = 0.1  # a slow database: each activity takes seconds
    try:
        await api.act(reference, "chair", action="declare_admissible", reasons="In scope.")
        handle = await handle_of(stack, reference)

        async def sending() -> Any:
            pending = (await handle.describe()).raw_description.pending_activities
            started = PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
            return next((p for p in pending if p.state == started), None)

        activity = await eventually(sending, "a notice being sent", 60)
        assert await stack.worker.terminate() == 0, stack.worker.tail()
    finally:
        stack.proxy.delay = 0.0
    log = stack.worker.log_text()
    where = f"{activity.activity_type.name} of case-{reference}"
    assert f"{where}: attempt 1 failed" not in log, "the running activity was cut short"
    await stack.worker.start()
    await settled(stack, [reference])
    assert f"{where}: attempt 2" not in stack.worker.log_text(), "it had to be tried again"
    found = await records(stack, [reference])
    assert_whole(found[reference])
    sink = await received(stack)
    assert_delivered_once(found[reference], sink)
    assert_only_these_once(mail_before, sink, found.values())
