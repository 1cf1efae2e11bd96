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
    Reason,
    Spec,
    Who,
    deciders,
)
from domain.cases import Actor, CaseState, Text
from domain.enums import CaseKind, NoticeKind, OrderStatus, Outcome, PlanStatus, Role, Side, Stage
from domain.errors import InvalidAction
from domain.words import N_

ORDER = FormField("order", N_("Order"), kind="select", required=True, choices="open_orders")


def _plan_awaited(state: CaseState, now: datetime) -> str | None:
    if state.plan and state.plan.status in (PlanStatus.AWAITED, PlanStatus.REJECTED):
        return None
    return "a remediation plan is already under review or approved"


def _plan_submitted(state: CaseState, now: datetime) -> str | None:
    if state.plan and state.plan.status is PlanStatus.SUBMITTED:
        return None
    return "there is no submitted remediation plan to review"


def _orders_open(state: CaseState, now: datetime) -> str | None:
    if not (state.plan and state.plan.status is PlanStatus.APPROVED):
        return "the remediation plan has not been approved yet"
    if all(o.status is OrderStatus.VERIFIED for o in state.orders):
        return "every order is already verified"
    return None


def _check_open_order(state: CaseState, number: int) -> None:
    order = next((o for o in state.orders if o.number == number), None)
    if order is None:
        raise InvalidAction(
            f"order {number} does not exist; the case has orders 1 to {len(state.orders)}"
        )
    if order.status is OrderStatus.VERIFIED:
        raise InvalidAction(f"order {number} is already verified")


class SubmitRemediationPlan(ActionModel):
    spec = Spec(
        label=N_("Submit a remediation plan"),
        who={Side.RESPONDENT},
        stages={Stage.REMEDIATION},
        refusal=_plan_awaited,
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
        form=(NOTE,),
    )

    action: Literal["approve_remediation_plan"]
    note: Note = ""


class RejectRemediationPlan(ActionModel):
    spec = Spec(
        label=N_("Reject the remediation plan"),
        who={Role.SECRETARIAT},
        stages={Stage.REMEDIATION},
        refusal=_plan_submitted,
        events={"plan_rejected"},
        notices={NoticeKind.COMPANY_NOTICE},
        form=(REASONS,),
    )

    action: Literal["reject_remediation_plan"]
    reasons: Reason


class SubmitProgressReport(ActionModel):
    spec = Spec(
        label=N_("Submit a progress report"),
        who={Side.RESPONDENT},
        stages={Stage.REMEDIATION},
        refusal=_orders_open,
        events={"progress_reported"},
        notices={NoticeKind.MESSAGE},
        form=(ORDER, FormField("text", N_("Progress report"), required=True)),
    )

    action: Literal["submit_progress_report"]
    text: Text
    order: int = Field(ge=1)

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        _check_open_order(state, self.order)


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
    | Close
)
