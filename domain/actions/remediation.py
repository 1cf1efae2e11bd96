"""Remediation: the company's plan and progress reports, orders verified, the case closed."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from domain.actions.base import (
    NOTE,
    REASONS,
    ActionModel,
    FormField,
    Note,
    Party,
    Reason,
    Spec,
    Who,
    deciders,
)
from domain.actions.respondents import RESPONDENT, check_respondent, company_of
from domain.cases import Actor, CaseState, Order, Plan, Text
from domain.enums import CaseKind, NoticeKind, OrderStatus, Outcome, PlanStatus, Role, Side, Stage
from domain.errors import InvalidAction
from domain.words import N_

ORDER = FormField("order", N_("Order"), kind="select", required=True, choices="open_orders")
REPORTED_ORDER = FormField(
    "order", N_("Order"), kind="select", required=True, choices="reported_orders"
)
AWAITED = (PlanStatus.AWAITED, PlanStatus.REJECTED)


def plans_of(state: CaseState) -> list[Plan]:
    """The case's remediation plans: each company's, or the one shared plan of older cases."""
    if state.per_company:
        return list(state.plans.values())
    return [state.plan] if state.plan else []


def plan_of(state: CaseState, organisation_id: str | None) -> Plan | None:
    """The plan of this company (the shared plan on older cases)."""
    if not state.per_company:
        return state.plan
    return state.plans.get(organisation_id or "")


def orders_of(state: CaseState, organisation_id: str) -> list[Order]:
    """The orders that bind this company (orders naming none bind every company)."""
    return [o for o in state.orders if o.respondent in (None, organisation_id)]


def _plan_awaited(state: CaseState, now: datetime) -> str | None:
    if any(p.status in AWAITED for p in plans_of(state)):
        return None
    return "a remediation plan is already under review or approved"


def _own_plan_awaited(state: CaseState, actor: Actor) -> str | None:
    if not state.per_company:
        return None
    plan = plan_of(state, actor.organisation_id)
    if plan is None:
        return "no order binds your organisation: it has no remediation plan to submit"
    if plan.status not in AWAITED:
        return "your organisation's remediation plan is already under review or approved"
    return None


def _plan_submitted(state: CaseState, now: datetime) -> str | None:
    if any(p.status is PlanStatus.SUBMITTED for p in plans_of(state)):
        return None
    return "there is no submitted remediation plan to review"


def _orders_open(state: CaseState, now: datetime) -> str | None:
    if not any(p.status is PlanStatus.APPROVED for p in plans_of(state)):
        return "the remediation plan has not been approved yet"
    if all(o.status is OrderStatus.VERIFIED for o in state.orders):
        return "every order is already verified"
    return None


def _own_orders_open(state: CaseState, actor: Actor) -> str | None:
    if not state.per_company or actor.side is not Side.RESPONDENT:
        return None
    org = actor.organisation_id or ""
    plan = plan_of(state, org)
    if plan is None or plan.status is not PlanStatus.APPROVED:
        return "your organisation's remediation plan has not been approved yet"
    if all(o.status is OrderStatus.VERIFIED for o in orders_of(state, org)):
        return "every order that binds your organisation is already verified"
    return None


def _order(state: CaseState, number: int, actor: Actor | None = None) -> Order:
    """The order by number; a company is told only of the orders that bind it (not how many
    the case has in all, nor that a number it does not hold is another company's)."""
    if actor is not None and actor.side is Side.RESPONDENT:
        mine = orders_of(state, actor.organisation_id or "")
        order = next((o for o in mine if o.number == number), None)
        if order is None:
            yours = ", ".join(str(o.number) for o in mine) or "none"
            raise InvalidAction(
                f"order {number} does not bind your organisation; yours: {yours}",
                field="order",
            )
        return order
    order = next((o for o in state.orders if o.number == number), None)
    if order is None:
        raise InvalidAction(
            f"order {number} does not exist; the case has orders 1 to {len(state.orders)}",
            field="order",
        )
    return order


def _check_open_order(state: CaseState, number: int, actor: Actor | None = None) -> None:
    order = _order(state, number, actor)
    if order.status is OrderStatus.VERIFIED:
        raise InvalidAction(f"order {number} is already verified", field="order")
    if actor is None or actor.side is not Side.RESPONDENT:
        return
    if state.per_company:
        plan = plan_of(state, actor.organisation_id)
        if plan is None or plan.status is not PlanStatus.APPROVED:
            raise InvalidAction("your organisation's remediation plan is not approved yet")


def _check_plan(state: CaseState, actor: Actor, respondent: str | None) -> None:
    """Staff review one company's submitted plan (``respondent``; on older cases the plan)."""
    if not state.per_company:
        if respondent is not None:
            check_respondent(state, respondent)
        return
    submitted = [o for o, p in state.plans.items() if p.status is PlanStatus.SUBMITTED]
    if respondent is None and len(submitted) == 1:
        return  # the one plan under review
    org = company_of(state, actor, respondent)
    plan = state.plans.get(org)
    if plan is None or plan.status is not PlanStatus.SUBMITTED:
        raise InvalidAction(
            f"respondent: '{org}' has no remediation plan under review", field="respondent"
        )


def reviewed_company(state: CaseState, respondent: str | None) -> str | None:
    """The company whose plan a review concerns, once ``_check_plan`` accepted it."""
    if not state.per_company:
        return None
    if respondent is not None:
        return respondent
    submitted = [o for o, p in state.plans.items() if p.status is PlanStatus.SUBMITTED]
    return submitted[0]


class SubmitRemediationPlan(ActionModel):
    spec = Spec(
        label=N_("Submit a remediation plan"),
        who={Side.RESPONDENT},
        stages={Stage.REMEDIATION},
        refusal=_plan_awaited,
        actor_refusal=_own_plan_awaited,
        events={"plan_submitted"},
        notices={NoticeKind.MESSAGE},
        form=(FormField("text", N_("The remediation plan"), required=True),),
    )

    action: Literal["submit_remediation_plan"]
    text: Text


class ApproveRemediationPlan(ActionModel):
    spec = Spec(
        label=N_("Approve the remediation plan"),
        who={Role.SECRETARIAT},
        stages={Stage.REMEDIATION},
        refusal=_plan_submitted,
        events={"plan_approved"},
        notices={NoticeKind.COMPANY_NOTICE},
        form=(NOTE, RESPONDENT),
    )

    action: Literal["approve_remediation_plan"]
    note: Note = ""
    respondent: Party | None = None

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        _check_plan(state, actor, self.respondent)


class RejectRemediationPlan(ActionModel):
    spec = Spec(
        label=N_("Reject the remediation plan"),
        who={Role.SECRETARIAT},
        stages={Stage.REMEDIATION},
        refusal=_plan_submitted,
        events={"plan_rejected"},
        notices={NoticeKind.COMPANY_NOTICE},
        form=(REASONS, RESPONDENT),
    )

    action: Literal["reject_remediation_plan"]
    reasons: Reason
    respondent: Party | None = None

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        _check_plan(state, actor, self.respondent)


class SubmitProgressReport(ActionModel):
    spec = Spec(
        label=N_("Submit a progress report"),
        who={Side.RESPONDENT},
        stages={Stage.REMEDIATION},
        refusal=_orders_open,
        actor_refusal=_own_orders_open,
        events={"progress_reported"},
        notices={NoticeKind.MESSAGE},
        form=(ORDER, FormField("text", N_("Progress report"), required=True)),
    )

    action: Literal["submit_progress_report"]
    text: Text
    order: int = Field(ge=1)

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        _check_open_order(state, self.order, actor)


class VerifyOrder(ActionModel):
    spec = Spec(
        label=N_("Verify an order as complied with"),
        who={Role.SECRETARIAT},
        stages={Stage.REMEDIATION},
        refusal=_orders_open,
        events={"order_verified", "orders_complied"},
        notices={NoticeKind.MESSAGE},
        form=(ORDER, NOTE),
    )

    action: Literal["verify_order"]
    order: int = Field(ge=1)
    note: Note = ""

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        _check_open_order(state, self.order)


def _reports_in(state: CaseState, now: datetime) -> str | None:
    if any(o.status is OrderStatus.REPORTED for o in state.orders):
        return None
    return "no order has a progress report awaiting verification"


class RejectProgressReport(ActionModel):
    """The secretariat refuses a progress report: the order is open again, and its company
    must report again by a new deadline."""

    spec = Spec(
        label=N_("Reject a progress report"),
        who={Role.SECRETARIAT},
        stages={Stage.REMEDIATION},
        refusal=_reports_in,
        events={"progress_report_rejected"},
        notices={NoticeKind.COMPANY_NOTICE},
        form=(REPORTED_ORDER, REASONS),
    )

    action: Literal["reject_progress_report"]
    order: int = Field(ge=1)
    reasons: Reason

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        if _order(state, self.order).status is not OrderStatus.REPORTED:
            raise InvalidAction(
                f"order {self.order} has no progress report awaiting verification", field="order"
            )


def _order_missed(state: CaseState, order: Order, now: datetime) -> bool:
    """Whether the order's deadline (as extended, if it was) has passed."""
    name = f"order-{order.number}"
    deadline = state.deadline(name, order.respondent)
    if deadline is not None:
        return now >= deadline.due
    return now.date() > order.due


def _some_order_missed(state: CaseState, now: datetime) -> str | None:
    if all(o.status is OrderStatus.VERIFIED for o in state.orders):
        return "every order is verified as complied with"
    if not any(
        _order_missed(state, o, now) for o in state.orders if o.status is not OrderStatus.VERIFIED
    ):
        return "no order is overdue yet: non-compliance is found after an order's deadline passed"
    return None


class FindNonCompliance(ActionModel):
    """The chair finds that a company did not comply with an order whose deadline it missed;
    the finding stays on the case for the register and the statistics."""

    spec = Spec(
        label=N_("Record a finding of non-compliance"),
        who={Role.CHAIR},
        stages={Stage.REMEDIATION},
        refusal=_some_order_missed,
        events={"non_compliance_found"},
        notices={NoticeKind.MESSAGE},
        form=(ORDER, REASONS, RESPONDENT),
    )

    action: Literal["find_non_compliance"]
    order: int = Field(ge=1)
    reasons: Reason
    respondent: Party | None = None

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        order = _order(state, self.order)
        if self.respondent is not None:
            check_respondent(state, self.respondent)
            if order.respondent not in (None, self.respondent):
                raise InvalidAction(
                    f"respondent: order {self.order} binds '{order.respondent}', "
                    f"not '{self.respondent}'",
                    field="respondent",
                )
        if order.status is OrderStatus.VERIFIED:
            raise InvalidAction(f"order {self.order} is verified as complied with", field="order")
        if not _order_missed(state, order, now):
            raise InvalidAction(
                f"order {self.order} is not yet overdue: non-compliance can be found only "
                "after its deadline was missed",
                field="order",
            )

    def companies(self, state: CaseState) -> list[str]:
        """The companies found not to comply, once ``check_fields`` accepted the action: the
        one named or the order binds; unnamed, every company an order of them all binds."""
        bound = self.respondent or _order(state, self.order).respondent
        return [bound] if bound else [p.organisation_id for p in state.respondents]


def _closers(state: CaseState) -> Who:
    if state.kind is CaseKind.SIGNAL:
        return frozenset({Role.SECRETARIAT})  # a signal never reaches the committee
    return deciders(state)


class Close(ActionModel):
    spec = Spec(
        label=N_("Close the case"),
        who={Role.CHAIR},
        who_also=_closers,
        stages={Stage.SIGNAL, Stage.DECISION, Stage.REMEDIATION},
        refusal=lambda s, now: (
            "issue the decision before closing"
            if s.stage is Stage.DECISION and not s.decision
            else None
        ),
        events={"closed"},
        notices={NoticeKind.CLOSED},
        form=(
            FormField("outcome", N_("Outcome"), kind="select", required=True, choices="outcome"),
            FormField("summary", N_("Summary of the outcome"), required=True),
        ),
    )

    action: Literal["close"]
    outcome: Literal[Outcome.RESOLVED, Outcome.PARTLY_RESOLVED, Outcome.UNRESOLVED]
    summary: Text


RemediationAction = (
    SubmitRemediationPlan
    | ApproveRemediationPlan
    | RejectRemediationPlan
    | SubmitProgressReport
    | VerifyOrder
    | RejectProgressReport
    | FindNonCompliance
    | Close
)
