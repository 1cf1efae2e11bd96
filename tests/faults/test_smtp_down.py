"""Scenario 2: the mail server is down while notices fall due; when it is back, every notice
arrives exactly once (counted per Message-ID at the sink)."""

from __future__ import annotations

import pytest

from tests.faults.checks import (
    assert_delivered_once,
    assert_like,
    assert_only_these_once,
    assert_whole,
    parked_count,
    received,
    records,
)
from tests.faults.driver import Api, eventually, fast_forward_to, live_state, settled
from tests.faults.stack import FaultStack

pytestmark = pytest.mark.faults


async def _registered_and_reminded(stack: FaultStack, api: Api) -> str:
    """A registered case whose admissibility reminder has gone out; its reference."""
    reference = await api.file()
    await api.act(reference, "secretariat", action="register")
    deadline = (await live_state(stack, reference)).deadline("admissibility")
    assert deadline is not None and deadline.remind_at is not None
    await fast_forward_to(stack, reference, deadline.remind_at)
    await settled(stack, [reference])
    return reference


async def _escalated_and_admitted(stack: FaultStack, api: Api, reference: str) -> None:
    """The admissibility deadline is missed (an escalation), then the chair admits the case."""
    deadline = (await live_state(stack, reference)).deadline("admissibility")
    assert deadline is not None
    await fast_forward_to(stack, reference, deadline.due)
    await api.act(reference, "chair", action="declare_admissible", reasons="In scope.")


async def test_notices_due_while_the_mail_server_is_down_arrive_once(stack: FaultStack) -> None:
    mail_before = await received(stack)
    api = Api(stack.http)
    control = await _registered_and_reminded(stack, api)
    await _escalated_and_admitted(stack, api, control)
    case = await _registered_and_reminded(stack, api)

    await stack.sink.kill()
    await _escalated_and_admitted(stack, api, case)
    # The sends fail and are retried with backoff; the log says so, attempt by attempt.
    failed = f"send_notice of case-{case}: attempt 1 failed (SMTPConnectError)"

    async def sends_failed() -> bool | None:
        return True if failed in stack.worker.log_text() else None

    await eventually(sends_failed, "a failed send in the worker's log", 60)
    await stack.sink.start()
    await settled(stack, [control, case])

    found = await records(stack, [control, case])
    sink = await received(stack)
    assert {"reminder", "escalation"} <= {kind for kind, _ in found[control].mail_kinds}
    for record in found.values():
        assert_whole(record)
        assert_delivered_once(record, sink)
    assert_like(found[case], found[control])
    assert_only_these_once(mail_before, sink, found.values())
    assert await parked_count(stack, case) == 0, "a notice was given up on instead of sent"
