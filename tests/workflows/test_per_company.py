"""A case against two companies filed since consent, plans and orders are per company:
mediation with the one that consents, a hearing for the other; a plan, progress reports and
deadlines of each company's own; a report rejected and a finding of non-compliance."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from domain.actions import ActionName
from domain.cases import Actor, Party
from domain.enums import NoticeKind, OrderStatus, PlanStatus, Role, Side, Stage
from domain.notices import Notice, NoticeRequest
from domain.rules import allowed_actions
from tests.clock import shifted
from tests.workflows.conftest import (
    CHAIR,
    COMPANY,
    MEDIATOR,
    SECRETARIAT,
    TASK_QUEUE,
    UNION,
    Sinks,
    act,
    case_start,
    in_days,
    wait_until,
)
from workflows.case import CaseWorkflow

BOLT = Actor(user="company2", role=Role.COMPANY, organisation_id="bolt", side=Side.RESPONDENT)
BOTH = [
    Party(organisation_id="acme", name="Acme Apparel B.V."),
    Party(organisation_id="bolt", name="Bolt Denim N.V."),
]


async def _notice(sinks: Sinks, reference: str, wanted: Callable[[Notice], bool]) -> NoticeRequest:
    """The first notice of the case that ``wanted`` picks, once sent (bounded poll)."""
    for _ in range(150):
        found = [n for n in sinks.notices if n.reference == reference and wanted(n.notice)]
        if found:
            return found[0]
        await asyncio.sleep(0.1)
    raise AssertionError(f"no such notice for {reference}; sent: {sinks.kinds(reference)}")


async def _refused(
    handle: WorkflowHandle[Any, Any], actor: Actor, because: str, **action: Any
) -> None:
    """The action is refused, saying ``because``; nothing is recorded."""
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await act(handle, actor, **action)
    assert because in str(refused.value.cause)


async def _start(env: WorkflowEnvironment) -> WorkflowHandle[Any, Any]:
    """A case against Acme and Bolt, filed as the API files it now (``per_company``)."""
    start = case_start(respondents=BOTH).model_copy(update={"per_company": True})
    handle = await shifted(env.client).start_workflow(
        CaseWorkflow.run, start, id=f"case-{start.reference}", task_queue=TASK_QUEUE
    )
    await handle.execute_update(CaseWorkflow.synced)
    await act(handle, SECRETARIAT, action="register")
    await act(handle, CHAIR, action="declare_admissible")
    await act(handle, COMPANY, action="submit_response", text="Acme's answer")
    await act(handle, BOLT, action="submit_response", text="Bolt's answer")
    return handle


async def test_mediation_with_the_company_that_consents_a_hearing_for_the_other(
    env: WorkflowEnvironment, sinks: Sinks
):
    handle = await _start(env)
    state = await act(handle, SECRETARIAT, action="propose_mediation")
    assert state.per_company and state.stage is Stage.MEDIATION
    await act(handle, UNION, action="consent_to_mediation")
    state = await act(handle, COMPANY, action="decline_mediation", reason="We prefer a hearing")
    # Bolt has not answered: nothing starts, nobody goes anywhere yet.
    assert state.stage is Stage.MEDIATION and state.mediation.started_at is None
    assert state.mediation.companies == {"acme": False}
    declined = next(e for e in state.events if e.type == "mediation_declined")
    assert declined.party == "acme"
    with pytest.raises(WorkflowUpdateFailedError):  # Acme has answered: not again
        await act(handle, COMPANY, action="consent_to_mediation")
    with pytest.raises(WorkflowUpdateFailedError):  # nor for it by the secretariat
        await act(handle, SECRETARIAT, action="consent_to_mediation", respondent="acme")
    with pytest.raises(WorkflowUpdateFailedError):  # a company answers only for itself
        await act(handle, BOLT, action="consent_to_mediation", respondent="acme")

    state = await act(handle, BOLT, action="consent_to_mediation")
    assert state.stage is Stage.MEDIATION and state.mediation.started_at is not None
    assert [p.organisation_id for p in state.respondents] == ["bolt"]
    assert state.splits == [f"{state.reference}-2"]
    assert sinks.copies[-1].to_reference == f"{state.reference}-2"  # the complainant follows
    types = [e.type for e in state.events]
    assert types[-2:] == ["split", "mediation_started"]

    child = env.client.get_workflow_handle(f"case-{state.reference}-2")
    # At the hearing with its deadline (the query may answer before the first step's schedule).
    split = await wait_until(
        child, lambda s: s.stage is Stage.HEARING and s.deadline("hearing") is not None
    )
    assert [p.organisation_id for p in split.respondents] == ["acme"]
    assert split.split_from == state.reference and split.per_company
    assert split.confidential and split.pseudonym == state.pseudonym
    assert split.deadline("hearing") is not None
    started = await _notice(
        sinks, state.reference, lambda n: "mediation has started" in (n.text or "")
    )
    assert started.notice.party is None  # the complainant, Bolt and the mediator
    # Mediation goes on with Bolt: its agreement's orders bind Bolt without naming it.
    await act(handle, MEDIATOR, action="record_mediation_agreement", terms="Terms", orders=[])
    done = await act(child, SECRETARIAT, action="schedule_hearing", at=f"{in_days(30)}T10:00:00Z")
    assert done.hearing_at is not None


async def test_two_plans_reports_rejected_and_non_compliance(
    env: WorkflowEnvironment, sinks: Sinks
):
    handle = await _start(env)
    await act(handle, SECRETARIAT, action="send_to_hearing", reason="Too far apart")
    await act(handle, SECRETARIAT, action="schedule_hearing", at=f"{in_days(30)}T10:00:00Z")
    await act(handle, CHAIR, action="record_hearing", minutes="Heard all.")
    decision = {"action": "issue_decision", "finding": "founded", "reasons": "Founded."}
    wages = {"text": "Pay the withheld wages", "due": in_days(60)}
    await _refused(handle, CHAIR, "name the company the order binds", **decision, orders=[wages])
    await _refused(
        handle,
        CHAIR,
        "'nobody' is not a respondent",
        **decision,
        orders=[{**wages, "respondent": "nobody"}],
    )
    orders = [
        {**wages, "respondent": "acme"},
        {"text": "Reinstate the union leaders", "due": in_days(90), "respondent": "bolt"},
    ]
    state = await act(handle, CHAIR, **decision, orders=orders)
    assert state.stage is Stage.REMEDIATION and state.plan is None
    assert [(o.number, o.respondent) for o in state.orders] == [(1, "acme"), (2, "bolt")]
    assert {o: p.status for o, p in state.plans.items()} == {
        "acme": PlanStatus.AWAITED,
        "bolt": PlanStatus.AWAITED,
    }
    parties = {d.name: set() for d in state.open_deadlines()}
    for d in state.open_deadlines():
        parties[d.name].add(d.party)
    assert parties["remediation_plan"] == {"acme", "bolt"}
    assert parties["order-1"] == {"acme"} and parties["order-2"] == {"bolt"}
    for company in ("acme", "bolt"):  # each asked for its own plan, by its own date
        await _notice(
            sinks,
            state.reference,
            lambda n, c=company: n.deadline == "remediation_plan" and n.party == c,  # type: ignore[misc]
        )

    state = await act(handle, COMPANY, action="submit_remediation_plan", text="Acme's plan")
    assert state.plans["acme"].status is PlanStatus.SUBMITTED
    assert state.plans["bolt"].status is PlanStatus.AWAITED
    assert next(e for e in state.events if e.type == "plan_submitted").party == "acme"
    now = state.events[-1].at
    assert ActionName.SUBMIT_REMEDIATION_PLAN not in allowed_actions(state, COMPANY, now)
    assert ActionName.SUBMIT_REMEDIATION_PLAN in allowed_actions(state, BOLT, now)
    await act(handle, BOLT, action="submit_remediation_plan", text="Bolt's plan")
    await _refused(handle, SECRETARIAT, "name the company", action="approve_remediation_plan")
    state = await act(handle, SECRETARIAT, action="approve_remediation_plan", respondent="acme")
    state = await act(
        handle, SECRETARIAT, action="reject_remediation_plan", respondent="bolt", reasons="Vague"
    )
    assert state.plans["acme"].status is PlanStatus.APPROVED
    assert state.plans["bolt"].status is PlanStatus.REJECTED
    assert state.deadline("remediation_plan", "bolt") is not None
    assert state.deadline("progress_report", "acme") is not None
    assert all(d.party == "acme" for d in state.open_deadlines() if d.name == "progress_report")

    await _refused(
        handle,
        COMPANY,
        "does not bind your organisation",
        action="submit_progress_report",
        order=2,
        text="Not ours",
    )
    with pytest.raises(WorkflowUpdateFailedError):  # Bolt's plan is not approved
        await act(handle, BOLT, action="submit_progress_report", order=2, text="Early")
    state = await act(handle, COMPANY, action="submit_progress_report", order=1, text="Half paid")
    assert state.orders[0].status is OrderStatus.REPORTED

    state = await act(
        handle, SECRETARIAT, action="reject_progress_report", order=1, reasons="No payslips"
    )
    assert state.orders[0].status is OrderStatus.OPEN
    rejected = state.events[-1]
    assert rejected.type == "progress_report_rejected" and rejected.party == "acme"
    reports = [d for d in state.open_deadlines() if d.name == "progress_report"]
    assert [d.party for d in reports] == ["acme"] and reports[0].opened_at == rejected.at
    again = await _notice(sinks, state.reference, lambda n: n.quote == rejected.seq)
    assert again.notice.kind is NoticeKind.COMPANY_NOTICE and again.notice.party == "acme"
    assert again.notice.deadline == "progress_report"
    assert again.notice.due == reports[0].due
    assert sinks.text_of(again) == "No payslips"

    find = {"action": "find_non_compliance", "order": 1, "reasons": "Wages still unpaid"}
    await _refused(handle, CHAIR, "no order is overdue yet", **find)
    order_1 = state.deadline("order-1", "acme")
    assert order_1 is not None
    await env.fast_forward(handle, order_1.due - state.events[-1].at + timedelta(hours=1))
    state = await wait_until(
        handle, lambda s: any(d.name == "order-1" and d.escalated for d in s.deadlines)
    )
    await _refused(handle, CHAIR, "binds 'acme', not 'bolt'", **find, respondent="bolt")
    state = await act(handle, CHAIR, **find)
    assert [(f.respondent, f.order, f.reasons) for f in state.non_compliance] == [
        ("acme", 1, "Wages still unpaid")
    ]
    found = state.events[-1]
    assert found.type == "non_compliance_found" and found.party == "acme"
    finding = await _notice(sinks, state.reference, lambda n: n.quote == found.seq)
    assert finding.notice.kind is NoticeKind.MESSAGE and finding.notice.party == "acme"
    assert sinks.text_of(finding) == "Wages still unpaid"
