"""Parties' requests through the workflow, and the complainant's status e-mails over months
(time skipping)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from domain.deadlines import Deadline
from domain.enums import Audience, DeadlineState, NoticeKind
from tests.workflows.conftest import (
    CHAIR,
    COMPANY,
    SECRETARIAT,
    UNION,
    Sinks,
    Start,
    act,
    keep_history,
    state_of,
    wait_until,
)


async def _responding(start_case: Start) -> tuple[WorkflowHandle[Any, Any], Deadline]:
    """A new case in the response stage, and the company's response deadline."""
    handle = await start_case()
    await act(handle, SECRETARIAT, action="register")
    state = await act(handle, CHAIR, action="declare_admissible")
    response = state.deadline("response")
    assert response is not None
    return handle, response


async def test_a_granted_extension_moves_the_companys_deadline(start_case: Start, sinks: Sinks):
    handle, response = await _responding(start_case)
    until = response.due + timedelta(days=20)
    asked = await act(
        handle,
        COMPANY,
        action="request_extension",
        deadline="response",
        until=until.isoformat(),
        reasons="The factory audit ends later",
    )
    assert asked.deadline("response").due == response.due  # type: ignore[union-attr]
    answer = asked.deadline("extension_answer")
    assert answer is not None and answer.owner is Audience.CHAIR
    asked_chair = await sinks.wait_for(asked.reference, NoticeKind.MESSAGE)
    assert asked_chair[-1].notice.audiences == [Audience.CHAIR]
    assert "The factory audit ends later" in sinks.text_of(asked_chair[-1])
    granted = await act(handle, CHAIR, action="grant_extension", request="extension-1")
    moved = granted.deadline("response")
    assert moved is not None and moved.due == until
    assert moved.extensions[-1].by == "chair"
    assert granted.deadline("extension_answer") is None
    assert [e.type for e in granted.events][-1] == "extension_granted"
    told = [
        n
        for n in await sinks.wait_for(granted.reference, NoticeKind.MESSAGE, 2)
        if Audience.RESPONDENTS in n.notice.audiences
    ]
    assert told and told[-1].notice.party == "acme"
    await keep_history(handle, "extension-granted")


async def test_a_refused_extension_leaves_the_deadline(start_case: Start, sinks: Sinks):
    handle, response = await _responding(start_case)
    await act(
        handle,
        COMPANY,
        action="request_extension",
        deadline=response.id,
        until=(response.due + timedelta(days=20)).isoformat(),
        reasons="The factory audit ends later",
    )
    refused = await act(
        handle, CHAIR, action="refuse_extension", request="extension-1", reason="Long enough"
    )
    kept = refused.deadline("response")
    assert kept is not None and kept.due == response.due and not kept.extensions
    assert refused.extension_requests[0].answer == "refused"
    assert [e.type for e in refused.events][-1] == "extension_refused"


async def test_follow_up_and_meeting_requests_are_answered_by_the_secretariat(
    start_case: Start, sinks: Sinks
):
    handle, _ = await _responding(start_case)
    await act(handle, UNION, action="request_follow_up", text="Has the company replied?")
    state = await act(handle, UNION, action="request_meeting", text="With the buyers")
    deadlines = [d for d in state.deadlines if d.name == "request_answer"]
    assert [d.owner for d in deadlines] == [Audience.SECRETARIAT] * 2
    answered = await act(
        handle, SECRETARIAT, action="answer_request", request="request-2", text="On 12 May"
    )
    states = [d.state for d in answered.deadlines if d.name == "request_answer"]
    assert states == [DeadlineState.OPEN, DeadlineState.MET]
    await keep_history(handle, "follow-up-and-meeting")
    mails = await sinks.wait_for(answered.reference, NoticeKind.MESSAGE, 4)
    to_complainant = [m for m in mails if m.notice.audiences == [Audience.COMPLAINANT]]
    assert [sinks.text_of(m) for m in to_complainant] == [
        "The secretariat answers your request for a meeting with the company's "
        "representatives:\n\nOn 12 May"
    ]
    # The companies were told a meeting is asked for; not in the complainant's words.
    to_companies = [m for m in mails if m.notice.audiences == [Audience.RESPONDENTS]]
    assert len(to_companies) == 1 and "buyers" not in sinks.text_of(to_companies[0])


async def test_a_case_left_in_one_stage_sends_one_status_email_in_100_days_two_in_185(
    env: WorkflowEnvironment, start_case: Start, sinks: Sinks
):
    handle = await start_case()
    state = await state_of(handle)
    assert state.procedure.status_update_days == 90
    ref = state.reference
    await env.fast_forward(handle, timedelta(days=100))
    state = await wait_until(handle, lambda s: s.status_mail_at is not None)
    (mail,) = await sinks.wait_for(ref, NoticeKind.STATUS_UPDATE)
    assert mail.notice.audiences == [Audience.COMPLAINANT]
    assert mail.notice.deadline == "register" and mail.notice.due is not None
    # It quotes its status_sent event: the notifier lists from the read model what happened
    # before it (tests/activities/test_notify_status.py); the workflow keeps none of it.
    events = sinks.events(ref)
    (sent,) = [e for e in events if e.type == "status_sent"]
    assert mail.notice.quote == sent.seq and sent.text is None
    assert "deadline_missed" in [e.type for e in events if e.seq < sent.seq]
    assert "status_digest" not in state.model_dump()
    assert state.stage == "screening"
    assert sinks.kinds(ref).count(NoticeKind.STATUS_UPDATE) == 1

    await env.fast_forward(handle, timedelta(days=85))
    await wait_until(handle, lambda s: [e.type for e in s.events].count("status_sent") == 2)
    mails = await sinks.wait_for(ref, NoticeKind.STATUS_UPDATE, 2)
    assert len(mails) == 2
    assert (await state_of(handle)).stage == "screening"
    await keep_history(handle, "status-emails")
