"""Transitions of remediation and of closing a case (pure)."""

from __future__ import annotations

from typing import assert_never

from domain import actions as a
from domain.cases import Actor, Plan
from domain.effects import PARTY_AUDIENCES, Builder
from domain.enums import Audience, DeadlineState, NoticeKind, OrderStatus, Outcome, PlanStatus


def apply(b: Builder, actor: Actor, action: a.RemediationAction) -> None:
    """The effect of a remediation action, or of closing the case."""
    s = b.s
    match action:
        case a.SubmitRemediationPlan(text=text):
            s.plan = Plan(status=PlanStatus.SUBMITTED, text=text)
            b.meet("remediation_plan")
            b.event("plan_submitted", "The company submitted a remediation plan", text=text)
            b.notify(
                NoticeKind.MESSAGE,
                [Audience.SECRETARIAT, Audience.COMPLAINANT],
                text="The company submitted a remediation plan for review.",
            )
        case a.ApproveRemediationPlan(note=note):
            assert s.plan is not None
            s.plan.status = PlanStatus.APPROVED
            b.event("plan_approved", "The remediation plan was approved", text=note or None)
            if any(o.status is not OrderStatus.VERIFIED for o in s.orders):
                b.open("progress_report", Audience.RESPONDENTS)
                b.notify(
                    NoticeKind.COMPANY_NOTICE, [Audience.RESPONDENTS], deadline="progress_report"
                )
        case a.RejectRemediationPlan(reasons=reasons):
            assert s.plan is not None
            s.plan.status, s.plan.rejection_reasons = PlanStatus.REJECTED, reasons
            seq = b.event("plan_rejected", "The remediation plan was rejected", text=reasons)
            b.open("remediation_plan", Audience.RESPONDENTS)
            b.notify(
                NoticeKind.COMPANY_NOTICE,
                [Audience.RESPONDENTS],
                deadline="remediation_plan",
                quote=seq,
            )
        case a.SubmitProgressReport(text=text, order=number):
            s.orders[number - 1].status = OrderStatus.REPORTED
            b.meet("progress_report")
            b.event("progress_reported", f"Progress report on order {number}", text=text)
            b.open("progress_report", Audience.RESPONDENTS)
            b.notify(
                NoticeKind.MESSAGE,
                [Audience.SECRETARIAT],
                text=f"Progress report on order {number}.",
            )
        case a.VerifyOrder(order=number, note=note):
            s.orders[number - 1].status = OrderStatus.VERIFIED
            b.meet(f"order-{number}")
            summary = f"Order {number} verified as complied with"
            b.event("order_verified", summary, text=note or None)
            if all(o.status is OrderStatus.VERIFIED for o in s.orders):
                b.meet("progress_report", state=DeadlineState.CANCELLED)
                b.event("orders_complied", "Every order is verified; the case can be closed")
            b.notify(
                NoticeKind.MESSAGE,
                [*PARTY_AUDIENCES, Audience.CHAIR],
                text=f"Order {number} has been verified as complied with.",
            )
        case a.Close(outcome=outcome, summary=summary):
            b.close(Outcome(outcome), f"Closed: {Outcome(outcome).replace('_', ' ')}", summary)
        case _:
            assert_never(action)
