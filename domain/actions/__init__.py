"""The action registry: every action of API.md declared once, by phase of the procedure.

Each payload model carries its ``Spec`` (who, stages, guards, notices, events, label, form,
page); ``ActionInput`` joins the phases' unions keyed by ``action``, and ``ActionName`` and
``REGISTRY`` are read off it. Adding an action: its model in the phase's module (and that
module's union), its transition (``domain.transitions``), its words in the catalogs, a sample
and a path in the tests.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, get_args

from pydantic import BaseModel, Field, TypeAdapter

from domain.actions.anytime import (
    AnytimeAction,
    Assign,
    ExtendDeadline,
    ProvideInformation,
    Recuse,
    RequestInformation,
    Resume,
    SplitCase,
    Suspend,
    Withdraw,
)
from domain.actions.base import (
    CASE_STAFF,
    PARTIES,
    ActionModel,
    FormField,
    Placement,
    Spec,
    Who,
    steering_group_decides,
)
from domain.actions.case_files import CaseFileAction, MergeInto, Reopen
from domain.actions.covenant_exit import CovenantExitAction, WithdrawFromCovenant
from domain.actions.hearing import (
    HearingAction,
    IssueDecision,
    RecordHearing,
    ScheduleHearing,
    SendToHearing,
)
from domain.actions.mediation import (
    ConsentToMediation,
    DeclineMediation,
    EndDialogue,
    EndMediation,
    MediationAction,
    ProposeMediation,
    RecordMediationAgreement,
)
from domain.actions.messages import AddDocument, AddMessage
from domain.actions.register import (
    CONTENT_ACTIONS,
    ConsentToNaming,
    PublishSummary,
    RecordLesson,
    RegisterAction,
)
from domain.actions.remediation import (
    ApproveRemediationPlan,
    Close,
    FindNonCompliance,
    RejectProgressReport,
    RejectRemediationPlan,
    RemediationAction,
    SubmitProgressReport,
    SubmitRemediationPlan,
    VerifyOrder,
)
from domain.actions.requests import (
    AnswerRequest,
    GrantExtension,
    RefuseExtension,
    RequestExtension,
    RequestFollowUp,
    RequestMeeting,
    RequestsAction,
)
from domain.actions.response import ResponseAction, SubmitResponse
from domain.actions.screening import (
    DeclareAdmissible,
    DeclareInadmissible,
    ReferOut,
    Register,
    ScreeningAction,
)
from domain.actions.signals import (
    ConvertToComplaint,
    ForwardSignal,
    ReportDueDiligence,
    SignalAction,
)
from domain.cases import Actor, OrderInput

# In the order of the procedure: ``ActionName`` and so the allowed actions follow it.
ActionInput = Annotated[
    ScreeningAction
    | ResponseAction
    | MediationAction
    | HearingAction
    | RemediationAction
    | AnytimeAction
    | RequestsAction
    | SignalAction
    | CaseFileAction
    | CovenantExitAction
    | RegisterAction,
    Field(discriminator="action"),
]

action_adapter: TypeAdapter[ActionInput] = TypeAdapter(ActionInput)

MODELS: tuple[type[ActionModel], ...] = get_args(get_args(ActionInput)[0])

# Derived from the union so that an action is named once. mypy cannot see the members of
# an enum built at run time: code type-checked here compares names with ``Model.spec.name``
# (or a spec's fields) rather than ``ActionName.X``; tests, not type-checked, may use them.
ActionName = StrEnum(  # type: ignore[misc]
    "ActionName",
    [(model.spec.name.upper(), model.spec.name) for model in MODELS],
    module=__name__,
)

REGISTRY: dict[ActionName, type[ActionModel]] = {
    ActionName(model.spec.name): model for model in MODELS
}


def spec_of(name: str) -> Spec:
    """The declaration of the action named ``name``."""
    return REGISTRY[ActionName(name)].spec


class ActionRequest(BaseModel):
    """What the workflow's ``act`` update receives: who does what, and the API's signature
    of it (``redress.claims``; absent in histories from before claims)."""

    actor: Actor
    action: ActionInput
    claim: str | None = None


__all__ = [
    "CASE_STAFF",
    "CONTENT_ACTIONS",
    "MODELS",
    "PARTIES",
    "REGISTRY",
    "ActionInput",
    "ActionModel",
    "ActionName",
    "ActionRequest",
    "AddDocument",
    "AddMessage",
    "AnswerRequest",
    "AnytimeAction",
    "CaseFileAction",
    "CovenantExitAction",
    "ApproveRemediationPlan",
    "Assign",
    "Close",
    "ConsentToNaming",
    "ConsentToMediation",
    "ConvertToComplaint",
    "DeclareAdmissible",
    "DeclareInadmissible",
    "DeclineMediation",
    "EndDialogue",
    "EndMediation",
    "ExtendDeadline",
    "FindNonCompliance",
    "FormField",
    "GrantExtension",
    "ForwardSignal",
    "HearingAction",
    "IssueDecision",
    "MediationAction",
    "MergeInto",
    "OrderInput",
    "Placement",
    "ProposeMediation",
    "ProvideInformation",
    "PublishSummary",
    "RecordHearing",
    "RecordLesson",
    "RecordMediationAgreement",
    "ReferOut",
    "Recuse",
    "RefuseExtension",
    "Register",
    "RegisterAction",
    "RejectProgressReport",
    "RejectRemediationPlan",
    "RemediationAction",
    "Reopen",
    "ReportDueDiligence",
    "RequestInformation",
    "RequestExtension",
    "RequestFollowUp",
    "RequestMeeting",
    "RequestsAction",
    "ResponseAction",
    "Resume",
    "ScheduleHearing",
    "ScreeningAction",
    "SendToHearing",
    "SignalAction",
    "Spec",
    "SplitCase",
    "SubmitProgressReport",
    "SubmitRemediationPlan",
    "SubmitResponse",
    "Suspend",
    "VerifyOrder",
    "Who",
    "Withdraw",
    "WithdrawFromCovenant",
    "action_adapter",
    "spec_of",
    "steering_group_decides",
]
