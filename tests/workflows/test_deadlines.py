"""Durable deadlines: reminders, escalations, suspension, extension (time skipping)."""

from __future__ import annotations

from datetime import timedelta

from temporalio.testing import WorkflowEnvironment

from domain.actions import ActionName
from domain.calendar import add_business_days, business_days_between
from domain.enums import Audience, CaseStatus, DeadlineState, NoticeKind, Stage
from domain.rules import allowed_actions
from tests.workflows.conftest import (
    CHAIR,
    COMPANY,
    SECRETARIAT,
    Sinks,
    Start,
    act,
    keep_history,
    state_of,
    wait_until,
)


async def test_missed_response_reminder_escalation_second_escalation(
    env: WorkflowEnvironment, start_case: Start, sinks: Sinks
):
    handle = await start_case()
    await act(handle, SECRETARIAT, action="register")
    state = await act(handle, CHAIR, action="declare_admissible")
    response = state.deadline("response")
    assert response is not None and response.owner is Audience.RESPONDENTS
    ref = state.reference

    await env.fast_forward(handle, response.remind_at - state.events[-1].at + timedelta(hours=1))
    state = await wait_until(handle, lambda s: s.deadline("response").reminded)  # type: ignore[union-attr]
    assert not state.overdue
    reminder = (await sinks.wait_for(ref, NoticeKind.REMINDER))[0].notice
    assert reminder.audiences == [Audience.RESPONDENTS] and reminder.due == response.due

    await env.fast_forward(handle, response.due - response.remind_at)
    state = await wait_until(handle, lambda s: s.overdue)
    assert any(e.type == "deadline_missed" for e in state.events)
    escalation = (await sinks.wait_for(ref, NoticeKind.ESCALATION))[0].notice
    assert set(escalation.audiences) == {Audience.CHAIR, Audience.SECRETARIAT}

    await env.fast_forward(handle, response.second_escalation_at - response.due)
    state = await wait_until(handle, lambda s: any(e.type == "second_escalation" for e in s.events))
    second = (await sinks.wait_for(ref, NoticeKind.SECOND_ESCALATION))[0].notice
    assert Audience.STEERING_GROUP in second.audiences
    # Without a response the secretariat can move on and propose mediation.
    later = state.events[-1].at
    assert ActionName.PROPOSE_MEDIATION in allowed_actions(state, SECRETARIAT, later)
    assert ActionName.PROPOSE_MEDIATION not in allowed_actions(
        state, SECRETARIAT, response.remind_at
    )
    # The company may still respond late; its deadline is then met. What is left is the
    # secretariat's next step, opened when the response period passed.
    state = await act(handle, COMPANY, action="submit_response", text="Late, but here.")
    assert [(d.name, d.owner) for d in state.open_deadlines()] == [
        ("next_step", Audience.SECRETARIAT)
    ]
    (met,) = [d for d in state.deadlines if d.name == "response"]
    assert met.state is DeadlineState.MET
    await keep_history(handle, "escalation-ladder")


async def test_suspension_shifts_deadlines_by_the_suspended_business_days(
    env: WorkflowEnvironment, start_case: Start
):
    handle = await start_case()
    await act(handle, SECRETARIAT, action="register")
    before = await state_of(handle)
    admissibility = before.deadline("admissibility")
    assert admissibility is not None
    suspended = await act(handle, SECRETARIAT, action="suspend", reason="Awaiting a translation")
    assert suspended.status is CaseStatus.SUSPENDED
    await env.fast_forward(handle, timedelta(days=10))
    resumed = await act(handle, SECRETARIAT, action="resume")
    assert resumed.status is CaseStatus.OPEN
    suspended_at, resumed_at = suspended.events[-1].at, resumed.events[-1].at
    tz = before.procedure.timezone
    days = business_days_between(
        suspended_at.astimezone(admissibility.due.tzinfo).date(),
        resumed_at.astimezone(admissibility.due.tzinfo).date(),
        "NL",
    )
    # Ten days hold 4 business days over Christmas and New Year, 8 in an ordinary fortnight.
    assert days >= 4, tz
    shifted = resumed.deadline("admissibility")
    assert shifted is not None
    expected = add_business_days(admissibility.due.date(), days, "NL")
    assert shifted.due.date() == expected
    assert shifted.due.timetz() == admissibility.due.timetz()
    assert not resumed.overdue
    await keep_history(handle, "suspension")


async def test_request_for_information_stops_the_clock_until_answered(
    env: WorkflowEnvironment, start_case: Start, sinks: Sinks
):
    handle = await start_case()
    await act(handle, SECRETARIAT, action="register")
    state = await act(
        handle,
        CHAIR,
        action="request_information",
        **{"from": "complainant"},
        question="Which factory unit?",
    )
    assert state.status is CaseStatus.SUSPENDED and state.deadline("information") is not None
    notice = (await sinks.wait_for(state.reference, NoticeKind.INFORMATION_REQUESTED))[0]
    assert notice.notice.audiences == [Audience.COMPLAINANT]
    assert sinks.text_of(notice) == "Which factory unit?"
    await env.fast_forward(handle, timedelta(days=40))
    # The admissibility deadline (30 BD) would have passed, but its clock was stopped.
    state = await wait_until(handle, lambda s: s.deadline("information").escalated)  # type: ignore[union-attr]
    assert not state.deadline("admissibility").escalated  # type: ignore[union-attr]
    from tests.workflows.conftest import UNION

    state = await act(handle, UNION, action="provide_information", text="Unit 3, sewing floor")
    assert state.status is CaseStatus.OPEN and state.deadline("information") is None
    assert not state.overdue


async def test_extension_moves_the_deadline_and_is_recorded(start_case: Start):
    handle = await start_case()
    state = await state_of(handle)
    register = state.deadline("register")
    assert register is not None
    until = register.due + timedelta(days=14)
    state = await act(
        handle,
        CHAIR,
        action="extend_deadline",
        deadline="register",
        until=until.isoformat(),
        reason="Complaint needs translation from Bengali",
    )
    extended = state.deadline("register")
    assert extended is not None and extended.due == until
    assert extended.extensions[0].reason == "Complaint needs translation from Bengali"
    assert extended.extensions[0].by == "chair"
    assert extended.remind_at < until
    assert any(e.type == "deadline_extended" for e in state.events)


async def test_urgent_track_uses_shorter_deadlines(start_case: Start):
    handle = await start_case(urgent=True)
    state = await state_of(handle)
    register = state.deadline("register")
    assert register is not None
    assert register.due - register.opened_at == timedelta(hours=48)
    assert state.stage is Stage.SCREENING
