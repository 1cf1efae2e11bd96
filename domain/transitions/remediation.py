"""Transitions of remediation and of closing a case (pure)."""

from __future__ import annotations

from typing import assert_never

from domain import actions as a
from domain.actions.remediation import orders_of, reviewed_company
from domain.cases import Actor, NonCompliance, Plan
from domain.effects import PARTY_AUDIENCES, Builder
from domain.enums import Audience, DeadlineState, NoticeKind, OrderStatus, Outcome, PlanStatus


def apply(b: Builder, actor: Actor, action: a.RemediationAction) -> None:
    """The effect of a remediation action, or of closing the case."""
    s = b.s
    if s.per_company and _per_company(b, actor, action):
        return
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
        case a.RejectProgressReport() | a.FindNonCompliance():
            _on_orders(b, action)
        case a.Close(outcome=outcome, summary=summary):
            b.close(Outcome(outcome), f"Closed: {Outcome(outcome).replace('_', ' ')}", summary)
        case _:
            assert_never(action)


def _name(b: Builder, organisation_id: str | None) -> str:
    found = (p.name for p in b.s.respondents if p.organisation_id == organisation_id)
    return next(found, "The company")


def _per_company(b: Builder, actor: Actor, action: a.RemediationAction) -> bool:
    """The plan actions of a case whose companies each have their own plan; False: another
    action, for ``apply``'s own arms (the same on every case)."""
    s = b.s
    match action:
        case a.SubmitRemediationPlan(text=text):
            org = actor.organisation_id or ""
            s.plans[org] = Plan(status=PlanStatus.SUBMITTED, text=text)
            b.meet("remediation_plan", party=org)
            name = _name(b, org)
            summary = f"{name} submitted a remediation plan"
            b.event("plan_submitted", summary, text=text, party=org)
            b.notify(
                NoticeKind.MESSAGE,
                [Audience.SECRETARIAT, Audience.COMPLAINANT],
                text="The company submitted a remediation plan for review.",
                party=org,
            )
        case a.ApproveRemediationPlan(note=note, respondent=respondent):
            org = reviewed_company(s, respondent) or ""
            s.plans[org].status = PlanStatus.APPROVED
            summary = f"The remediation plan of {_name(b, org)} was approved"
            b.event("plan_approved", summary, text=note or None, party=org)
            if any(o.status is not OrderStatus.VERIFIED for o in orders_of(s, org)):
                b.open("progress_report", Audience.RESPONDENTS, party=org)
                b.notify(
                    NoticeKind.COMPANY_NOTICE,
                    [Audience.RESPONDENTS],
                    deadline="progress_report",
                    party=org,
                )
        case a.RejectRemediationPlan(reasons=reasons, respondent=respondent):
            org = reviewed_company(s, respondent) or ""
            plan = s.plans[org]
            plan.status, plan.rejection_reasons = PlanStatus.REJECTED, reasons
            summary = f"The remediation plan of {_name(b, org)} was rejected"
            seq = b.event("plan_rejected", summary, text=reasons, party=org)
            b.open("remediation_plan", Audience.RESPONDENTS, party=org)
            b.notify(
                NoticeKind.COMPANY_NOTICE,
                [Audience.RESPONDENTS],
                deadline="remediation_plan",
                quote=seq,
                party=org,
            )
        case a.SubmitProgressReport(text=text, order=number):
            org = actor.organisation_id or ""
            s.orders[number - 1].status = OrderStatus.REPORTED
            b.meet("progress_report", party=org)
            summary = f"Progress report on order {number}"
            b.event("progress_reported", summary, text=text, party=org)
            b.open("progress_report", Audience.RESPONDENTS, party=org)
            b.notify(
                NoticeKind.MESSAGE,
                [Audience.SECRETARIAT],
                text=f"Progress report on order {number}.",
                party=org,
            )
        case a.VerifyOrder(order=number, note=note):
            order = s.orders[number - 1]
            order.status = OrderStatus.VERIFIED
            binds = order.respondent
            b.meet(f"order-{number}", party=binds)
            summary = f"Order {number} verified as complied with"
            b.event("order_verified", summary, text=note or None, party=binds)
            if binds is not None and all(
                o.status is OrderStatus.VERIFIED for o in orders_of(s, binds)
            ):
                b.meet("progress_report", state=DeadlineState.CANCELLED, party=binds)
            if all(o.status is OrderStatus.VERIFIED for o in s.orders):
                b.meet("progress_report", state=DeadlineState.CANCELLED)
                b.event("orders_complied", "Every order is verified; the case can be closed")
            b.notify(
                NoticeKind.MESSAGE,
                [*PARTY_AUDIENCES, Audience.CHAIR],
                text=f"Order {number} has been verified as complied with.",
                party=binds,
            )
        case _:
            return False
    return True


def _on_orders(b: Builder, action: a.RejectProgressReport | a.FindNonCompliance) -> None:
    """A progress report rejected, or a finding of non-compliance (on every case)."""
    s = b.s
    match action:
        case a.RejectProgressReport(order=number, reasons=reasons):
            order = s.orders[number - 1]
            order.status = OrderStatus.OPEN
            org = order.respondent
            summary = f"The progress report on order {number} was rejected"
            seq = b.event("progress_report_rejected", summary, text=reasons, party=org)
            # The company must report again, by a new date.
            b.meet("progress_report", state=DeadlineState.CANCELLED, party=org)
            b.open("progress_report", Audience.RESPONDENTS, party=org)
            b.notify(
                NoticeKind.COMPANY_NOTICE,
                [Audience.RESPONDENTS],
                deadline="progress_report",
                quote=seq,
                party=org,
            )
        case a.FindNonCompliance(order=number, reasons=reasons):
            found = action.companies(s)
            s.non_compliance.extend(
                NonCompliance(respondent=org, order=number, reasons=reasons, at=b.now)
                for org in found
            )
            # One company: only it sees the finding; several (an order binding all): all do.
            org = found[0] if len(found) == 1 else None
            names = " and ".join(_name(b, o) for o in found)
            summary = f"Finding of non-compliance: {names} did not comply with order {number}"
            seq = b.event("non_compliance_found", summary, text=reasons, party=org)
            b.notify(
                NoticeKind.MESSAGE,
                [*PARTY_AUDIENCES, Audience.SECRETARIAT],
                quote=seq,
                party=org,
            )
