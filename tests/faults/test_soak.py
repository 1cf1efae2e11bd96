"""Scenario 6, the soak: many cases driven at once through a short lifecycle over HTTP while
the worker is killed or stopped and started again three times. At the end the read model
agrees with the workflows (``check-consistency``) and every case has exactly the e-mails and
events of the same lifecycle run without faults."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest

from tests.faults.checks import (
    assert_delivered_once,
    assert_like,
    assert_only_these_once,
    assert_whole,
    received,
    records,
)
from tests.faults.driver import Api, complaint, eventually, settled
from tests.faults.stack import FaultStack

pytestmark = pytest.mark.faults

CASES = 300
CLIENTS = 20  # requests at once
# At 1/4, 2/4 and 3/4 of the cases done, the worker is stopped as deployments restart it:
# SIGTERM, its running activities finished first. (A SIGKILL between the SMTP server taking
# a mail and the outbox recording it sends that mail again, with the same Message-ID: the
# at-least-once end of e-mail, which test_worker_killed avoids by killing between sends.)
RESTARTS = 3
AGAIN = {404, 409, 500, 502, 503, 504}  # not projected yet (after a 202), under way, down


async def _step(
    api: Api, path: str, body: dict[str, Any], who: str | None, expect: set[int]
) -> dict[str, Any]:
    """One request, retried with its Idempotency-Key (as a client does) while the stack is
    restarting; the answer."""
    headers = {"Idempotency-Key": f"soak-{uuid.uuid4()}"}
    if who is not None:
        headers.update(await api.headers(who))
    last = ""

    async def attempt() -> dict[str, Any] | None:
        nonlocal last
        try:
            response = await api.http.post(path, json=body, headers=headers)
        except httpx.TransportError as error:
            last = repr(error)
            return None
        last = f"{response.status_code} {response.text[:300]}"
        if response.status_code in AGAIN:
            return None
        assert response.status_code in expect, f"{path}: {last}"
        answer: dict[str, Any] = response.json()
        return answer

    try:
        return await eventually(attempt, f"POST {path}", 120)
    except AssertionError as error:
        raise AssertionError(f"{error}; last answer: {last}") from None


async def lifecycle(api: Api) -> str:
    """File a complaint, register it, declare it inadmissible (which closes it)."""
    filed = await _step(api, "/api/v1/complaints", complaint(), None, {201, 202})
    reference: str = filed["reference"]
    actions = f"/api/v1/cases/{reference}/actions"
    await _step(api, actions, {"action": "register"}, "secretariat", {200})
    reasons = {"action": "declare_inadmissible", "reasons": "Outside the covenant's scope."}
    await _step(api, actions, reasons, "chair", {200})
    return reference


async def test_a_soak_with_worker_restarts_loses_and_doubles_nothing(stack: FaultStack) -> None:
    mail_before = await received(stack)
    api = Api(stack.http)
    for user in ("secretariat", "chair"):
        await api.headers(user)
    control = await lifecycle(api)  # the same lifecycle without faults: the expectation
    await settled(stack, [control])

    gate = asyncio.Semaphore(CLIENTS)
    done: list[str] = []

    async def one() -> str:
        async with gate:
            reference = await lifecycle(api)
        done.append(reference)
        return reference

    async def restarts() -> None:
        for number in range(1, RESTARTS + 1):

            async def reached(n: int = number) -> bool | None:
                return True if len(done) >= CASES * n // (RESTARTS + 1) else None

            await eventually(reached, f"{number}/{RESTARTS + 1} of the cases", 600)
            assert await stack.worker.terminate() == 0, stack.worker.tail()
            await stack.worker.start()

    restarting = asyncio.create_task(restarts())
    references = await asyncio.gather(*(one() for _ in range(CASES)))
    await restarting
    assert stack.worker.starts >= RESTARTS + 1
    await settled(stack, references, seconds=400)

    checked = await asyncio.to_thread(stack.redress, "check-consistency")
    assert checked.returncode == 0, checked.stdout[-3000:] + checked.stderr[-3000:]
    found = await records(stack, [control, *references])
    sink = await received(stack)
    expected = found[control]
    assert "closed" in " ".join(expected.event_types), expected.event_types
    for reference in references:
        assert_whole(found[reference])
        assert_delivered_once(found[reference], sink)
        assert_like(found[reference], expected)
    assert_only_these_once(mail_before, sink, found.values())
