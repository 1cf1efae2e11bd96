"""Mediation with both parties' consent, and the direct dialogue of a dispute."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from domain.actions.base import (
    NOTE,
    ORDERS,
    PARTIES,
    REASON,
    ActionModel,
    FormField,
    Note,
    Reason,
    Spec,
    check_orders_due,
)
from domain.cases import Actor, CaseState, OrderInput, Text
from domain.enums import NoticeKind, Role, Stage
from domain.words import N_

MEDIATES = {Role.MEDIATOR, Role.SECRETARIAT}


def _responses_awaited(state: CaseState, now: datetime) -> str | None:
    if any(d.name == "response" and now < d.due for d in state.open_deadlines()):
        return "mediation can be proposed once every company has responded or its time is up"
    return None


def _not_started(state: CaseState, now: datetime) -> str | None:
    return "mediation has already started" if state.mediation.started_at else None


class ProposeMediation(ActionModel):
    spec = Spec(
        label=N_("Propose mediation"),
        who={Role.SECRETARIAT},
        stages={Stage.RESPONSE},
        refusal=_responses_awaited,
        events={"stage_changed"},
        notices={NoticeKind.STAGE_CHANGED, NoticeKind.COMPANY_NOTICE},
        form=(NOTE,),
    )

    action: Literal["propose_mediation"]
    note: Note = ""


class ConsentToMediation(ActionModel):
    spec = Spec(
        label=N_("Consent to mediation"),
        who=PARTIES,
        stages={Stage.MEDIATION},
        refusal=_not_started,
        events={"mediation_consent", "mediation_started"},
        notices={NoticeKind.MESSAGE},
        tracking=(),
    )

    action: Literal["consent_to_mediation"]


class DeclineMediation(ActionModel):
    spec = Spec(
        label=N_("Decline mediation"),
        who=PARTIES,
        stages={Stage.MEDIATION},
        refusal=_not_started,
        events={"mediation_declined", "stage_changed"},
        notices={NoticeKind.STAGE_CHANGED},
        form=(FormField("reason", N_("Reason (optional)")),),
        tracking=("reason",),
    )

    action: Literal["decline_mediation"]
    reason: Note = ""


class RecordMediationAgreement(ActionModel):
    spec = Spec(
        label=N_("Record the mediation agreement"),
        who=MEDIATES,
        stages={Stage.MEDIATION},
        refusal=lambda s, now: (
            None
            if s.mediation.started_at
            else "mediation starts only when both parties have consented"
        ),
        events={"mediation_agreement", "stage_changed"},
        notices={NoticeKind.STAGE_CHANGED, NoticeKind.COMPANY_NOTICE},
        form=(FormField("terms", N_("Terms of the agreement"), required=True), ORDERS),
    )

    action: Literal["record_mediation_agreement"]
    terms: Text
    orders: list[OrderInput] = Field(default_factory=list, max_length=50)

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        check_orders_due(self.orders, now)


class EndMediation(ActionModel):
    spec = Spec(
        label=N_("End mediation without agreement"),
        who=MEDIATES,
        stages={Stage.MEDIATION},  # also when a party never answers the proposal
        events={"mediation_failed", "stage_changed"},
        notices={NoticeKind.STAGE_CHANGED},
        form=(REASON,),
    )

    action: Literal["end_mediation"]
    reason: Reason


class EndDialogue(ActionModel):
    spec = Spec(
        label=N_("End the direct dialogue"),
        who=PARTIES | {Role.SECRETARIAT},
        stages={Stage.DIALOGUE},
        events={"dialogue_ended", "stage_changed"},
        notices={NoticeKind.STAGE_CHANGED},
        form=(REASON,),
    )

    action: Literal["end_dialogue"]
    reason: Reason


MediationAction = (
    ProposeMediation
    | ConsentToMediation
    | DeclineMediation
    | RecordMediationAgreement
    | EndMediation
    | EndDialogue
)
