"""Every path of a complaint through CaseWorkflow, on a real Temporal dev server."""

from __future__ import annotations

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from domain.enums import Audience, CaseStatus, NoticeKind, OrderStatus, Outcome, PlanStatus, Stage
from tests.workflows.conftest import (
    CHAIR,
    COMPANY,
    MEDIATOR,
    SECRETARIAT,
    UNION,
    Sinks,
    Start,
    act,
    in_days,
    keep_history,
    state_of,
)


async def to_response(start_case: Start):  # type: ignore[no-untyped-def]
    handle = await start_case()
    await act(handle, SECRETARIAT, action="register")
    await act(handle, CHAIR, action="declare_admissible")
    return handle


async def to_mediation(start_case: Start):  # type: ignore[no-untyped-def]
    handle = await to_response(start_case)
    await act(handle, COMPANY, action="submit_response", text="We dispute the facts.")
    await act(handle, SECRETARIAT, action="propose_mediation")
    await act(handle, UNION, action="consent_to_mediation")
    state = await act(handle, COMPANY, action="consent_to_mediation")
    assert state.mediation.started_at is not None
    return handle


async def test_filing_sends_receipt_and_opens_register_deadline(start_case: Start, sinks: Sinks):
    handle = await start_case()
    state = await state_of(handle)
    assert state.stage is Stage.SCREENING
    assert [d.name for d in state.open_deadlines()] == ["register"]
    assert state.target_at is not None and (state.target_at - state.filed_at).days >= 364
    assert sinks.projected[state.reference].stage is Stage.SCREENING
    await sinks.wait_for(state.reference, NoticeKind.RECEIPT)


async def test_referral_out_closes_the_case(start_case: Start):
    handle = await start_case()
    state = await act(handle, SECRETARIAT, action="refer_out", reason="Not a covenant company")
    assert (state.stage, state.outcome) == (Stage.CLOSED, Outcome.REFERRED)
    result = await handle.result()  # the final state, without its content
    assert result == state.model_copy(update={"events": [], "documents": []})
    assert not state.open_deadlines()


async def test_inadmissible(start_case: Start, sinks: Sinks):
    handle = await start_case()
    await act(handle, SECRETARIAT, action="register")
    state = await act(handle, CHAIR, action="declare_inadmissible", reasons="Outside the scope")
    assert (state.stage, state.outcome) == (Stage.CLOSED, Outcome.INADMISSIBLE)
    await handle.result()
    assert len(await sinks.wait_for(state.reference, NoticeKind.CLOSED)) == 1


async def test_mediation_agreement_remediation_closed(start_case: Start):
    handle = await to_mediation(start_case)
    state = await act(
        handle,
        MEDIATOR,
        action="record_mediation_agreement",
        terms="Reinstatement of the three",
        orders=[{"text": "Reinstate the dismissed leaders", "due": in_days(60)}],
    )
    assert state.stage is Stage.REMEDIATION
    assert [o.number for o in state.orders] == [1]
    assert {d.name for d in state.open_deadlines()} == {"remediation_plan", "order-1"}
    await act(handle, COMPANY, action="submit_remediation_plan", text="Reinstate by March")
    await act(handle, SECRETARIAT, action="approve_remediation_plan")
    await act(handle, COMPANY, action="submit_progress_report", text="Reinstated", order=1)
    state = await act(handle, SECRETARIAT, action="verify_order", order=1)
    assert state.orders[0].status is OrderStatus.VERIFIED
    # Nothing is left for the company: closing is the chair's next step, by a deadline.
    assert [(d.name, d.owner) for d in state.open_deadlines()] == [("next_step", Audience.CHAIR)]
    state = await act(handle, CHAIR, action="close", outcome="resolved", summary="Remedied")
    assert (state.stage, state.outcome) == (Stage.CLOSED, Outcome.RESOLVED)


async def test_mediation_declined_goes_to_hearing(start_case: Start):
    handle = await to_response(start_case)
    await act(handle, COMPANY, action="submit_response", text="No.")
    await act(handle, SECRETARIAT, action="propose_mediation")
    state = await act(handle, COMPANY, action="decline_mediation", reason="We prefer a hearing")
    assert state.stage is Stage.HEARING
    assert [d.name for d in state.open_deadlines()] == ["hearing"]


@pytest.mark.parametrize("finding", ["founded", "partly_founded", "unfounded"])
async def test_failed_mediation_hearing_decision_remediation(
    start_case: Start, sinks: Sinks, finding: str
):
    handle = await to_mediation(start_case)
    await act(handle, MEDIATOR, action="end_mediation", reason="No agreement on wages")
    await act(handle, SECRETARIAT, action="schedule_hearing", at=f"{in_days(20)}T10:00:00+01:00")
    state = await act(handle, CHAIR, action="record_hearing", minutes="Both parties heard.")
    assert state.stage is Stage.DECISION
    orders = (
        []
        if finding == "unfounded"
        else [
            {"text": "Pay the withheld wages", "due": in_days(90)},
            {"text": "Recognise the union", "due": in_days(120)},
        ]
    )
    state = await act(
        handle,
        CHAIR,
        action="issue_decision",
        finding=finding,
        reasons="Reasons given.",
        orders=orders,
        recommendations="Train managers.",
    )
    assert state.decision is not None and state.decision.finding == finding
    if finding == "unfounded":
        assert state.stage is Stage.DECISION
        state = await act(handle, CHAIR, action="close", outcome="unresolved", summary="Unfounded")
        assert state.stage is Stage.CLOSED
        return
    assert state.stage is Stage.REMEDIATION
    await act(handle, COMPANY, action="submit_remediation_plan", text="Plan v1")
    state = await act(handle, SECRETARIAT, action="reject_remediation_plan", reasons="Too vague")
    assert state.plan is not None and state.plan.status is PlanStatus.REJECTED
    assert state.deadline("remediation_plan") is not None
    await act(handle, COMPANY, action="submit_remediation_plan", text="Plan v2")
    state = await act(handle, SECRETARIAT, action="approve_remediation_plan")
    assert state.deadline("progress_report") is not None
    for order in (1, 2):
        await act(
            handle, COMPANY, action="submit_progress_report", text=f"Done {order}", order=order
        )
        state = await act(handle, SECRETARIAT, action="verify_order", order=order)
    assert all(o.status is OrderStatus.VERIFIED for o in state.orders)
    assert any(e.type == "orders_complied" for e in state.events)
    state = await act(handle, CHAIR, action="close", outcome="resolved", summary="Complied")
    assert state.status is CaseStatus.CLOSED
    await handle.result()
    await keep_history(handle, f"complaint-{finding}")
    await sinks.wait_for(state.reference, NoticeKind.CLOSED)


async def test_refusal_reports_kind_and_allowed_actions(start_case: Start):
    handle = await start_case()
    before = await state_of(handle)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await act(handle, CHAIR, action="issue_decision", finding="founded", reasons="Too early")
    cause = refused.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == "WrongStage"
    assert "recuse" in cause.details[0]["allowed"]
    with pytest.raises(WorkflowUpdateFailedError) as forbidden:
        await act(handle, COMPANY, action="register")
    assert isinstance(forbidden.value.cause, ApplicationError)
    assert forbidden.value.cause.type == "Forbidden"
    assert await state_of(handle) == before
