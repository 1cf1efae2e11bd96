"""Scenario 4: the Temporal server is stopped and started again on its SQLite file; open cases
and their timers survive (a deadline still fires, once, after the restart)."""

from __future__ import annotations

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


async def test_open_cases_and_their_timers_survive_a_temporal_restart(stack: FaultStack) -> None:
    mail_before = await received(stack)
    api = Api(stack.http)
    control, case = await api.file(), await api.file()
    for reference in (control, case):
        await api.act(reference, "secretariat", action="register")
    before = await live_state(stack, case)
    deadline = before.deadline("admissibility")
    control_deadline = (await live_state(stack, control)).deadline("admissibility")
    assert deadline is not None and control_deadline is not None
    await fast_forward_to(stack, control, control_deadline.due)
    await settled(stack, [control, case])

    code = await stack.temporal.terminate()
    assert code == 0, f"Temporal exited with {code}:\n{stack.temporal.tail()}"
    await stack.temporal.start()

    after = await live_state(stack, case)  # the workflow is back, as it was
    assert after.stage == before.stage and after.deadlines == before.deadlines
    await fast_forward_to(stack, case, deadline.due)  # its timers fire after the restart
    await settled(stack, [control, case])

    assert stack.worker.running() and stack.api.running(), "a process died with Temporal"
    found = await records(stack, [control, case])
    sink = await received(stack)
    assert {"deadline_missed"} <= set(found[control].event_types)
    for record in found.values():
        assert_whole(record)
        assert_delivered_once(record, sink)
    assert_like(found[case], found[control])
    assert_only_these_once(mail_before, sink, found.values())
