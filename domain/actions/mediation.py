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
    Party,
    Reason,
    Spec,
    check_orders_due,
)
from domain.actions.respondents import (
    RESPONDENT,
    check_order_respondents,
    company_of,
    secretariat_per_company,
)
from domain.cases import Actor, CaseState, OrderInput, Text
from domain.enums import NoticeKind, Role, Side, Stage
from domain.errors import InvalidAction
from domain.words import N_

MEDIATES = {Role.MEDIATOR, Role.SECRETARIAT}


def _responses_awaited(state: CaseState, now: datetime) -> str | None:
    if any(d.name == "response" and now < d.due for d in state.open_deadlines()):
        return "mediation can be proposed once every company has responded or its time is up"
    return None


def _not_started(state: CaseState, now: datetime) -> str | None:
    return "mediation has already started" if state.mediation.started_at else None


def _company_answered(state: CaseState, actor: Actor) -> str | None:
    answered = state.per_company and actor.side is Side.RESPONDENT
    if answered and actor.organisation_id in state.mediation.companies:
        return "your organisation has already answered the mediation proposal"
    return None


def _check_answer(state: CaseState, actor: Actor, respondent: str | None) -> None:
    """A company answers for itself; staff record the answer of a company that has not."""
    if not state.per_company:
        if respondent is not None:
            raise InvalidAction(
                "respondent: on this case consent is not recorded per company", "respondent"
            )
        return
    if actor.side is Side.COMPLAINANT:
        if respondent is not None:
            raise InvalidAction("respondent: the complainant answers for itself", "respondent")
        return
    org = company_of(state, actor, respondent)
    if org in state.mediation.companies:
        raise InvalidAction(
            f"respondent: '{org}' has already answered the mediation proposal", "respondent"
        )


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
    """On a case against several companies each consents for itself (``respondent``: the
    company the secretariat records for); mediation starts once every company has answered."""

    spec = Spec(
        label=N_("Consent to mediation"),
        who=PARTIES,
        who_also=secretariat_per_company,
        stages={Stage.MEDIATION},
        refusal=_not_started,
        actor_refusal=_company_answered,
        events={"mediation_consent", "mediation_started", "split"},
        notices={NoticeKind.MESSAGE},
        form=(RESPONDENT,),
        tracking=(),
    )

    action: Literal["consent_to_mediation"]
    respondent: Party | None = None

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        _check_answer(state, actor, self.respondent)


class DeclineMediation(ActionModel):
    """A company declining on a case against several goes on to a hearing on its own (a case
    split off) once every company has answered; the complainant declining ends mediation."""

    spec = Spec(
        label=N_("Decline mediation"),
        who=PARTIES,
        who_also=secretariat_per_company,
        stages={Stage.MEDIATION},
        refusal=_not_started,
        actor_refusal=_company_answered,
        events={"mediation_declined", "mediation_started", "split", "stage_changed"},
        notices={NoticeKind.STAGE_CHANGED, NoticeKind.MESSAGE},
        form=(FormField("reason", N_("Reason (optional)")), RESPONDENT),
        tracking=("reason",),
    )

    action: Literal["decline_mediation"]
    reason: Note = ""
    respondent: Party | None = None

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        _check_answer(state, actor, self.respondent)


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
        check_order_respondents(state, self.orders)


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
