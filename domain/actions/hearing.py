"""The hearing before the deciding body, and its binding decision."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, Field, model_validator

from domain.actions.base import (
    ORDERS,
    REASONS,
    ActionModel,
    FormField,
    Note,
    Reason,
    Spec,
    check_orders_due,
    deciders,
)
from domain.actions.respondents import check_order_respondents
from domain.cases import Actor, CaseState, OrderInput, Text
from domain.enums import Finding, NoticeKind, Role, Stage
from domain.errors import InvalidAction
from domain.words import N_

HOLDS_HEARINGS = {Role.SECRETARIAT, Role.CHAIR}


class SendToHearing(ActionModel):
    """The secretariat sends a complaint to a hearing without waiting for mediation."""

    spec = Spec(
        label=N_("Send the case to a hearing"),
        who={Role.SECRETARIAT},
        stages={Stage.RESPONSE, Stage.MEDIATION},
        events={"sent_to_hearing", "stage_changed"},
        notices={NoticeKind.STAGE_CHANGED},
        form=(FormField("reason", N_("Why the case goes to a hearing"), required=True),),
    )

    action: Literal["send_to_hearing"]
    reason: Reason


class ScheduleHearing(ActionModel):
    spec = Spec(
        label=N_("Schedule the hearing"),
        who=HOLDS_HEARINGS,
        stages={Stage.HEARING},
        events={"hearing_scheduled"},
        notices={NoticeKind.MESSAGE},
        form=(
            FormField(
                "at",
                N_("Date and time of the hearing"),
                kind="datetime",
                required=True,
                hint=N_("Amsterdam time."),
            ),
        ),
    )

    action: Literal["schedule_hearing"]
    at: AwareDatetime

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        if self.at <= now:
            raise InvalidAction("the hearing must be scheduled in the future")


class RecordHearing(ActionModel):
    spec = Spec(
        label=N_("Record the hearing"),
        who=HOLDS_HEARINGS,
        stages={Stage.HEARING},
        refusal=lambda s, now: None if s.hearing_at else "schedule the hearing first",
        events={"hearing_held", "stage_changed"},
        notices={NoticeKind.STAGE_CHANGED},
        form=(FormField("minutes", N_("Minutes of the hearing"), required=True),),
    )

    action: Literal["record_hearing"]
    minutes: Text


class IssueDecision(ActionModel):
    spec = Spec(
        label=N_("Issue the decision"),
        who={Role.CHAIR},
        who_also=deciders,
        stages={Stage.DECISION},
        refusal=lambda s, now: "the decision was already issued" if s.decision else None,
        # With orders, the case enters remediation.
        events={"decision_issued", "stage_changed"},
        notices={NoticeKind.MESSAGE, NoticeKind.STAGE_CHANGED, NoticeKind.COMPANY_NOTICE},
        form=(
            FormField("finding", N_("Finding"), kind="select", required=True, choices="finding"),
            REASONS,
            ORDERS,
            FormField("recommendations", N_("Recommendations (optional)")),
        ),
    )

    action: Literal["issue_decision"]
    finding: Finding
    reasons: Reason
    orders: list[OrderInput] = Field(default_factory=list, max_length=50)
    recommendations: Note = ""

    @model_validator(mode="after")
    def _unfounded_has_no_orders(self) -> IssueDecision:
        if self.finding is Finding.UNFOUNDED and self.orders:
            raise ValueError("an unfounded complaint cannot carry remediation orders")
        return self

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        check_orders_due(self.orders, now)
        check_order_respondents(state, self.orders)


HearingAction = SendToHearing | ScheduleHearing | RecordHearing | IssueDecision
