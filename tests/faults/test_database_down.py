"""Scenario 3: the database is unreachable (the network to it cut) while deadlines fall due
and their steps are projected; the projections and sends retry with backoff, logged attempt
by attempt, and once it is back the read model converges: ``check-consistency`` is clean."""

from __future__ import annotations

import asyncio
import re

import pytest

from tests.faults.checks import (
    assert_delivered_once,
    assert_like,
    assert_only_these_once,
    assert_whole,
    received,
    records,
)
from tests.faults.driver import Api, eventually, fast_forward_to, live_state, settled
from tests.faults.stack import FaultStack

pytestmark = pytest.mark.faults


async def test_projections_retry_and_the_read_model_converges(stack: FaultStack) -> None:
    mail_before = await received(stack)
    api = Api(stack.http)
    control, *cases = [await api.file() for _ in range(3)]
    for reference in (control, *cases):
        await api.act(reference, "secretariat", action="register")
    reminders = {}
    for reference in (control, *cases):
        deadline = (await live_state(stack, reference)).deadline("admissibility")
        assert deadline is not None and deadline.remind_at is not None
        reminders[reference] = deadline.remind_at
    await fast_forward_to(stack, control, reminders[control])
    await settled(stack, [control, *cases])

    stack.proxy.cut()
    forwards = [asyncio.create_task(fast_forward_to(stack, ref, reminders[ref])) for ref in cases]
    # Down long enough for two attempts of each projection to fail.
    failures = [f"project_case of case-{ref}: attempt 2 failed (OperationalError)" for ref in cases]

    async def projections_failed() -> bool | None:
        log = stack.worker.log_text()
        return True if all(line in log for line in failures) else None

    await eventually(projections_failed, "failed projections in the worker's log", 90)
    stack.proxy.restore()
    await asyncio.gather(*forwards)
    await settled(stack, [control, *cases])

    log = stack.worker.log_text()
    for reference in cases:  # a later attempt went through, and the log says which
        succeeded = re.findall(rf"project_case of case-{reference}: attempt (\d+) succeeded", log)
        assert succeeded and int(succeeded[-1]) >= 3, succeeded
    checked = await asyncio.to_thread(stack.redress, "check-consistency")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    found = await records(stack, [control, *cases])
    sink = await received(stack)
    assert "reminder" in {kind for kind, _ in found[control].mail_kinds}
    for record in found.values():
        assert_whole(record)
        assert_delivered_once(record, sink)
    for reference in cases:
        assert_like(found[reference], found[control])
    assert_only_these_once(mail_before, sink, found.values())
