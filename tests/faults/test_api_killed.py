"""Scenario 5: the API is SIGKILLed while filings are under way. Each client has either its
reference or an error; retrying with the same Idempotency-Key files exactly one case per key."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
from sqlalchemy import text

from tests.faults.checks import (
    assert_delivered_once,
    assert_only_these_once,
    assert_whole,
    received,
    records,
)
from tests.faults.driver import complaint, eventually, settled
from tests.faults.stack import FaultStack

pytestmark = pytest.mark.faults


def _cases_in_read_model(stack: FaultStack) -> int:
    with stack.engine.connect() as db:
        return int(db.execute(text("SELECT count(*) FROM cases")).scalar_one())


async def _file(stack: FaultStack, key: str) -> httpx.Response:
    return await stack.http.post(
        "/api/v1/complaints", json=complaint(), headers={"Idempotency-Key": key}
    )


async def _file_until_answered(stack: FaultStack, key: str) -> str:
    """Retry as a client does: the same key until the API answers with the case."""

    async def attempt() -> str | None:
        try:
            response = await _file(stack, key)
        except httpx.TransportError:
            return None
        if response.status_code == 409:  # the first request's claim has not lapsed yet
            return None
        assert response.status_code in (201, 202), response.text
        reference: str = response.json()["reference"]
        return reference

    return await eventually(attempt, f"an answer to the filing with key {key}", 90)


async def test_a_filing_cut_off_by_a_killed_api_is_filed_once(stack: FaultStack) -> None:
    mail_before = await received(stack)
    client = await stack.temporal_client()
    query = "WorkflowType='CaseWorkflow'"
    workflows = (await client.count_workflows(query)).count
    cases = await asyncio.to_thread(_cases_in_read_model, stack)
    # Without a worker a filing waits for its workflow, so the kill finds them under way.
    assert await stack.worker.terminate() == 0
    keys = [f"faults-{uuid.uuid4()}" for _ in range(5)]
    first = [asyncio.create_task(_file(stack, key)) for key in keys[:4]]

    async def started() -> bool | None:
        count = (await client.count_workflows(query)).count
        return True if count >= workflows + len(first) else None

    await eventually(started, "the filings' workflows to start", 60)
    first.append(asyncio.create_task(_file(stack, keys[4])))  # caught wherever it is
    await asyncio.sleep(0.05)
    await stack.api.kill()
    outcomes = await asyncio.gather(*first, return_exceptions=True)
    answered: dict[str, str] = {}
    for key, outcome in zip(keys, outcomes, strict=True):
        if isinstance(outcome, httpx.Response) and outcome.status_code in (201, 202):
            answered[key] = outcome.json()["reference"]
        else:  # an error the client sees as one: the connection dropped, or a 5xx
            assert isinstance(outcome, httpx.TransportError) or (
                isinstance(outcome, httpx.Response) and outcome.status_code >= 500
            ), outcome
    assert len(answered) < len(keys), "the kill found no filing under way"

    await stack.api.start()
    await stack.worker.start()
    references = [await _file_until_answered(stack, key) for key in keys]
    for key, reference in answered.items():
        assert references[keys.index(key)] == reference, "a retry answered another case"
    assert len(set(references)) == len(keys)
    await settled(stack, references)

    async def counted() -> bool | None:
        count = (await client.count_workflows(query)).count
        return True if count == workflows + len(keys) else None

    await eventually(counted, f"{len(keys)} new case workflows, no more", 30)
    assert await asyncio.to_thread(_cases_in_read_model, stack) == cases + len(keys)
    found = await records(stack, references)
    sink = await received(stack)
    for record in found.values():
        assert_whole(record)
        assert_delivered_once(record, sink)
    assert_only_these_once(mail_before, sink, found.values())
