"""Scenario 1: the worker is SIGKILLed while a case waits on its deadlines; they fall due
while no worker runs; restarted, the worker fires each deadline once."""

from __future__ import annotations

import asyncio

import pytest

from tests.faults.checks import (
    assert_delivered_once,
    assert_like,
    assert_only_these_once,
    assert_whole,
    received,
    records,
)
from tests.faults.driver import Api, fast_forward_to, live_state, settled
from tests.faults.stack import FaultStack

pytestmark = pytest.mark.faults


async def test_deadlines_fire_once_after_the_worker_is_killed(stack: FaultStack) -> None:
    mail_before = await received(stack)
    api = Api(stack.http)
    control, case = await api.file(), await api.file()
    for reference in (control, case):  # registered: the admissibility deadline is open
        await api.act(reference, "secretariat", action="register")
    due = {ref: (await live_state(stack, ref)).deadline("admissibility") for ref in (control, case)}
    assert all(d is not None for d in due.values()), due

    # Without faults: the reminder and the escalation, each once.
    await fast_forward_to(stack, control, due[control].due)  # type: ignore[union-attr]
    await settled(stack, [control, case])

    await stack.worker.kill()  # mid-case, its deadlines pending
    # The timers fall due while no worker runs; the fast-forward finishes once one does.
    forward = asyncio.create_task(fast_forward_to(stack, case, due[case].due))  # type: ignore[union-attr]
    await asyncio.sleep(1)
    await stack.worker.start()
    await forward
    await settled(stack, [control, case])

    found = await records(stack, [control, case])
    sink = await received(stack)
    expected = found[control]
    assert {"deadline_missed"} <= set(expected.event_types), expected.event_types
    assert {"reminder", "escalation"} <= {kind for kind, _ in expected.mail_kinds}
    for record in found.values():
        assert_whole(record)
        assert_delivered_once(record, sink)
    assert_like(found[case], expected)
    assert_only_these_once(mail_before, sink, found.values())
