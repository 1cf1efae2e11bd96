"""A notice that cannot be sent is parked for staff; the case and its later notices go on."""

from __future__ import annotations

import asyncio
import uuid

from temporalio.testing import WorkflowEnvironment

from domain.enums import Audience, CaseStatus, NoticeKind, Stage
from domain.notices import Notice, NoticeRequest
from tests.workflows.conftest import CHAIR, SECRETARIAT, TASK_QUEUE, Sinks, Start, act
from workflows.notice_retry import NoticeRetryWorkflow


async def _parked(sinks: Sinks, reference: str) -> list[NoticeKind]:
    for _ in range(100):
        found = [p.request.notice.kind for p in sinks.parked if p.request.reference == reference]
        if found:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"nothing parked for {reference}")


async def test_a_failing_notice_is_parked_and_the_next_one_still_goes_out(
    start_case: Start, sinks: Sinks
):
    handle = await start_case()
    ref = handle.id.removeprefix("case-")
    sinks.failing.add((ref, NoticeKind.COMPANY_NOTICE))
    await act(handle, SECRETARIAT, action="register")  # the company's notice, then the chair's
    assert await _parked(sinks, ref) == [NoticeKind.COMPANY_NOTICE]
    # The secretariat's (at filing), the complainant's and the chair's stage notices go out;
    # the chair's after the parked one, so it may still be on its way.
    for count in (1, 2, 3):
        changed = await sinks.wait_for(ref, NoticeKind.STAGE_CHANGED, count=count)
        if any(Audience.CHAIR in n.notice.audiences for n in changed):
            break
    assert any(Audience.CHAIR in n.notice.audiences for n in changed)
    state = await act(handle, CHAIR, action="declare_inadmissible", reasons="Out of scope")
    assert (state.stage, state.status) == (Stage.CLOSED, CaseStatus.CLOSED)
    await sinks.wait_for(ref, NoticeKind.CLOSED)
    await handle.result()  # the case completes: the parked notice holds nothing up


async def test_a_parked_notice_sent_again_goes_out_or_is_parked_again(
    env: WorkflowEnvironment, sinks: Sinks
):
    ref = f"T-{uuid.uuid4().hex[:10].upper()}"
    notice = Notice(
        key=f"{ref}/1/message/0", kind=NoticeKind.MESSAGE, audiences=[], stage=Stage.SCREENING
    )
    request = NoticeRequest(reference=ref, notice=notice)
    sinks.failing.add((ref, NoticeKind.MESSAGE))
    retry = env.client.execute_workflow(
        NoticeRetryWorkflow.run, request, id=f"retry-{ref}-1", task_queue=TASK_QUEUE
    )
    assert await retry is False
    assert await _parked(sinks, ref) == [NoticeKind.MESSAGE]
    sinks.failing.discard((ref, NoticeKind.MESSAGE))
    again = env.client.execute_workflow(
        NoticeRetryWorkflow.run, request, id=f"retry-{ref}-2", task_queue=TASK_QUEUE
    )
    assert await again is True
    assert sinks.kinds(ref) == [NoticeKind.MESSAGE]
