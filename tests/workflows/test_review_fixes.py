"""Behaviours a review found missing: recusal, stuck mediation, order dates, visibility."""

from __future__ import annotations

from datetime import timedelta

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from domain.enums import Audience, CaseKind, DeadlineState, NoticeKind, Stage, Visibility
from tests.workflows.conftest import (
    CHAIR,
    COMMITTEE,
    COMPANY,
    SECRETARIAT,
    UNION,
    Sinks,
    Start,
    act,
    state_of,
)
from tests.workflows.drive import drive_to


async def test_a_recused_member_can_no_longer_act(start_case: Start):
    handle = await start_case()
    await act(handle, SECRETARIAT, action="register")
    await act(handle, COMMITTEE, action="recuse", member="committee", reason="Former employee")
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await act(handle, COMMITTEE, action="declare_admissible")
    assert isinstance(refused.value.cause, ApplicationError)
    assert refused.value.cause.type == "Forbidden"
    state = await act(handle, CHAIR, action="declare_admissible")
    assert state.stage is Stage.RESPONSE


async def test_secretariat_ends_a_mediation_a_party_never_answered(start_case: Start):
    handle = await start_case()
    await drive_to(handle, Stage.RESPONSE)
    await act(handle, COMPANY, action="submit_response", text="No comment.")
    await act(handle, SECRETARIAT, action="propose_mediation")
    await act(handle, UNION, action="consent_to_mediation")
    state = await act(handle, SECRETARIAT, action="end_mediation", reason="No answer from company")
    assert state.stage is Stage.HEARING


async def test_missed_response_is_not_recorded_as_met(env: WorkflowEnvironment, start_case: Start):
    handle = await start_case()
    await drive_to(handle, Stage.RESPONSE)
    state = await state_of(handle)
    response = state.deadline("response")
    assert response is not None
    await env.fast_forward(handle, response.due - state.events[-1].at + timedelta(hours=1))
    state = await act(handle, SECRETARIAT, action="propose_mediation")
    (closed,) = [d for d in state.deadlines if d.name == "response"]
    assert closed.state is DeadlineState.CANCELLED


async def test_suspension_does_not_move_the_dates_of_orders(
    env: WorkflowEnvironment, start_case: Start
):
    handle = await start_case()
    await drive_to(handle, Stage.REMEDIATION)
    before = await state_of(handle)
    order_deadline = before.deadline("order-1")
    plan_deadline = before.deadline("remediation_plan")
    assert order_deadline is not None and plan_deadline is not None and order_deadline.fixed
    await act(handle, SECRETARIAT, action="suspend", reason="Awaiting an audit report")
    await env.fast_forward(handle, timedelta(days=7))
    after = await act(handle, SECRETARIAT, action="resume")
    assert after.deadline("order-1").due == order_deadline.due  # type: ignore[union-attr]
    assert after.orders[0].due == order_deadline.due.date()
    assert after.deadline("remediation_plan").due > plan_deadline.due  # type: ignore[union-attr]


async def test_agreement_without_orders_asks_no_progress_reports(start_case: Start):
    handle = await start_case()
    await drive_to(handle, Stage.MEDIATION)
    await act(handle, UNION, action="consent_to_mediation")
    await act(handle, COMPANY, action="consent_to_mediation")
    await act(handle, SECRETARIAT, action="record_mediation_agreement", terms="An apology")
    await act(handle, COMPANY, action="submit_remediation_plan", text="Publish the apology")
    state = await act(handle, SECRETARIAT, action="approve_remediation_plan")
    # No progress reports: closing is the chair's next step, by a deadline.
    assert [(d.name, d.label) for d in state.open_deadlines()] == [("next_step", "Close the case")]
    state = await act(handle, CHAIR, action="close", outcome="resolved", summary="Apologised")
    assert state.stage is Stage.CLOSED


async def test_a_complainants_answer_is_for_the_committee_only(start_case: Start):
    handle = await start_case()
    await act(
        handle,
        CHAIR,
        action="request_information",
        **{"from": "complainant"},
        question="Names of the dismissed workers?",
    )
    state = await act(handle, UNION, action="provide_information", text="A. Rahman, S. Begum")
    (answer,) = [e for e in state.events if e.type == "information_provided"]
    assert answer.visibility is Visibility.COMMITTEE


async def test_dispute_respondent_is_told_of_the_dialogue_not_sent_a_complaint_notice(
    start_case: Start, sinks: Sinks
):
    handle = await start_case(kind=CaseKind.DISPUTE)
    state = await state_of(handle)
    notices = await sinks.wait_for(state.reference, NoticeKind.STAGE_CHANGED)
    assert Audience.RESPONDENTS in notices[0].notice.audiences
    assert NoticeKind.COMPANY_NOTICE not in sinks.kinds(state.reference)
