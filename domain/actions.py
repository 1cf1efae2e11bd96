"""One payload model per action of API.md, joined in a union keyed by ``action``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from domain.cases import Actor
from domain.enums import Finding, Outcome, Side, Visibility

Text = Annotated[str, Field(min_length=1, max_length=20_000)]
Reason = Annotated[str, Field(min_length=3, max_length=5_000)]
Note = Annotated[str, Field(max_length=5_000)]
# The one respondent organisation an item concerns: only it, the complainant and staff see it.
Party = Annotated[str, Field(min_length=1, max_length=64)]


class _Action(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class OrderInput(BaseModel):
    """A remediation order as written in a decision or agreement."""

    model_config = ConfigDict(extra="forbid")

    text: Text
    due: date


class Register(_Action):
    action: Literal["register"]
    note: Note = ""


class ReferOut(_Action):
    action: Literal["refer_out"]
    reason: Reason


class DeclareAdmissible(_Action):
    action: Literal["declare_admissible"]
    reasons: Note = ""


class DeclareInadmissible(_Action):
    action: Literal["declare_inadmissible"]
    reasons: Reason


class SubmitResponse(_Action):
    action: Literal["submit_response"]
    text: Text


class ProposeMediation(_Action):
    action: Literal["propose_mediation"]
    note: Note = ""


class ConsentToMediation(_Action):
    action: Literal["consent_to_mediation"]


class DeclineMediation(_Action):
    action: Literal["decline_mediation"]
    reason: Note = ""


class RecordMediationAgreement(_Action):
    action: Literal["record_mediation_agreement"]
    terms: Text
    orders: list[OrderInput] = Field(default_factory=list, max_length=50)


class EndMediation(_Action):
    action: Literal["end_mediation"]
    reason: Reason


class EndDialogue(_Action):
    action: Literal["end_dialogue"]
    reason: Reason


class ScheduleHearing(_Action):
    action: Literal["schedule_hearing"]
    at: AwareDatetime


class RecordHearing(_Action):
    action: Literal["record_hearing"]
    minutes: Text


class IssueDecision(_Action):
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


class SubmitRemediationPlan(_Action):
    action: Literal["submit_remediation_plan"]
    text: Text


class ApproveRemediationPlan(_Action):
    action: Literal["approve_remediation_plan"]
    note: Note = ""


class RejectRemediationPlan(_Action):
    action: Literal["reject_remediation_plan"]
    reasons: Reason


class SubmitProgressReport(_Action):
    action: Literal["submit_progress_report"]
    text: Text
    order: int = Field(ge=1)


class VerifyOrder(_Action):
    action: Literal["verify_order"]
    order: int = Field(ge=1)
    note: Note = ""


class Close(_Action):
    action: Literal["close"]
    outcome: Literal[Outcome.RESOLVED, Outcome.PARTLY_RESOLVED, Outcome.UNRESOLVED]
    summary: Text


class RequestInformation(_Action):
    action: Literal["request_information"]
    from_: Side = Field(alias="from")
    question: Text


class ProvideInformation(_Action):
    action: Literal["provide_information"]
    text: Text


class Suspend(_Action):
    action: Literal["suspend"]
    reason: Reason


class Resume(_Action):
    action: Literal["resume"]
    note: Note = ""


class ExtendDeadline(_Action):
    action: Literal["extend_deadline"]
    deadline: str = Field(min_length=1, max_length=64)
    until: AwareDatetime
    reason: Reason


class Withdraw(_Action):
    action: Literal["withdraw"]
    reason: Reason


class Recuse(_Action):
    action: Literal["recuse"]
    member: str = Field(min_length=1, max_length=64)
    reason: Reason


class Assign(_Action):
    action: Literal["assign"]
    officer: str | None = Field(default=None, max_length=64)
    mediator: str | None = Field(default=None, max_length=64)

    @model_validator(mode="after")
    def _someone(self) -> Assign:
        if not self.officer and not self.mediator:
            raise ValueError("name an officer, a mediator or both")
        return self


class AddMessage(_Action):
    action: Literal["add_message"]
    text: Text
    visibility: Visibility = Visibility.PARTIES
    party: Party | None = None


class AddDocument(_Action):
    action: Literal["add_document"]
    document_id: str = Field(min_length=1, max_length=64)
    filename: str = Field(min_length=1, max_length=255)
    visibility: Visibility = Visibility.PARTIES
    party: Party | None = None


class SplitCase(_Action):
    """Continue the complaint against one respondent company as a case of its own."""

    action: Literal["split_case"]
    respondent: str = Field(min_length=1, max_length=64)


class ForwardSignal(_Action):
    action: Literal["forward_signal"]
    note: Note = ""


class ReportDueDiligence(_Action):
    action: Literal["report_due_diligence"]
    text: Text


class ConvertToComplaint(_Action):
    action: Literal["convert_to_complaint"]
    reason: Reason


ActionInput = Annotated[
    Register
    | ReferOut
    | DeclareAdmissible
    | DeclareInadmissible
    | SubmitResponse
    | ProposeMediation
    | ConsentToMediation
    | DeclineMediation
    | RecordMediationAgreement
    | EndMediation
    | EndDialogue
    | ScheduleHearing
    | RecordHearing
    | IssueDecision
    | SubmitRemediationPlan
    | ApproveRemediationPlan
    | RejectRemediationPlan
    | SubmitProgressReport
    | VerifyOrder
    | Close
    | RequestInformation
    | ProvideInformation
    | Suspend
    | Resume
    | ExtendDeadline
    | Withdraw
    | Recuse
    | Assign
    | AddMessage
    | AddDocument
    | ForwardSignal
    | ReportDueDiligence
    | ConvertToComplaint
    | SplitCase,
    Field(discriminator="action"),
]

action_adapter: TypeAdapter[ActionInput] = TypeAdapter(ActionInput)


class ActionRequest(BaseModel):
    """What the workflow's ``act`` update receives: who does what, and the API's signature
    of it (``redress.claims``; absent in histories from before claims)."""

    actor: Actor
    action: ActionInput
    claim: str | None = None
