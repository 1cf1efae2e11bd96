"""Payload models of a case: the workflow's start input, its state and what it records."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from domain.deadlines import Deadline
from domain.enums import (
    CaseKind,
    CaseStatus,
    Channel,
    DeadlineState,
    DecidingBody,
    Finding,
    IssueKind,
    OrderStatus,
    Outcome,
    PlanStatus,
    Role,
    Side,
    Stage,
    Visibility,
)
from domain.notices import Notice
from domain.party_requests import ExtensionAsk, PartyRequest
from domain.procedure import Procedure

LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"
# A text a person writes on a case: a message, reasons, a response, an order.
Text = Annotated[str, Field(min_length=1, max_length=20_000)]


class Party(BaseModel):
    """A respondent organisation of a case."""

    organisation_id: str
    name: str
    production_location_id: str | None = None
    # False for a company the case was routed to through its confidential supplier list:
    # only staff and the company itself see it (services.access.VisibleCase.seen).
    disclosed: bool = True


class CaseStart(BaseModel):
    """The workflow's input. Holds no complainant identity: that stays in the read model."""

    reference: str
    kind: CaseKind
    covenant: str
    covenant_name: str
    procedure: Procedure
    confidential: bool
    pseudonym: str
    complainant_organisation_id: str | None = None
    respondents: list[Party] = Field(min_length=1)
    subject: str
    description: str
    issues: list[IssueKind] = Field(default_factory=list)
    remedy_sought: str = ""
    urgent: bool = False
    filed_at: AwareDatetime
    # A case split off from another continues in the stage the other had reached.
    split_from: str | None = None
    stage: Stage | None = None
    responses: dict[str, datetime] = Field(default_factory=dict)
    # Mediation consent, remediation plans and orders per company (cases filed since).
    per_company: bool = False
    # A run that continues an earlier one (continue-as-new) picks up where it stopped.
    carried: Carried | None = None
    # A new run of a closed case whose workflow had finished: reopened as its first step.
    reopening: Reopening | None = None
    # How the filing came (None: filed before channels were recorded).
    channel: Channel | None = None


class IntakeCopy(BaseModel):
    """The input of ``copy_intake``: the split-off case gets the complainant's record; with
    ``merge``, the case merged into another adds its complainants to the other's."""

    from_reference: str
    to_reference: str
    merge: bool = False


class Actor(BaseModel):
    """Who takes an action, as established by the API from a token or an access code."""

    user: str
    role: Role | None = None
    organisation_id: str | None = None
    side: Side | None = None
    # Which complainant acts, on a case with several (1: the filer; None: not a complainant).
    complainant: int | None = None
    channel: Channel | None = None  # how the action came (None: before channels were recorded)


class Event(BaseModel):
    """One entry of the case's timeline; ``seq`` is its key in the read model."""

    seq: int
    at: datetime
    type: str
    summary: str
    actor_role: str | None = None
    visibility: Visibility = Visibility.PARTIES
    text: str | None = None
    party: str | None = None  # the one respondent organisation it concerns, besides staff
    complainant: int | None = None  # the complainant who wrote it, on a case with several
    channel: Channel | None = None  # how it came: web, api, email, sms (None: the system's)


class Order(BaseModel):
    """A remediation order of a decision or mediation agreement, numbered from 1.

    Its progress reports are events of the case (``progress_reported``), not kept here.
    """

    number: int
    text: str
    due: date
    status: OrderStatus = OrderStatus.OPEN
    respondent: str | None = None  # the organisation it binds (None: every respondent)


class OrderInput(BaseModel):
    """A remediation order as written in a decision or agreement."""

    model_config = ConfigDict(extra="forbid")

    text: Text
    due: date
    # The respondent organisation the order binds; on a one-company case that company.
    respondent: str | None = Field(default=None, min_length=1, max_length=64)


class Decision(BaseModel):
    finding: Finding
    reasons: str
    recommendations: str = ""
    issued_at: datetime
    body: DecidingBody


class Mediation(BaseModel):
    proposed_at: datetime | None = None
    consents: list[Side] = Field(default_factory=list)
    started_at: datetime | None = None
    terms: str | None = None
    # Per company (``CaseState.per_company``): organisation -> consented (True) or declined.
    companies: dict[str, bool] = Field(default_factory=dict)
    # On a case with several complainants: those that consented (the complainant side
    # consents once every complainant still in the case has).
    complainants: list[int] = Field(default_factory=list)


class Plan(BaseModel):
    status: PlanStatus = PlanStatus.AWAITED
    text: str | None = None
    rejection_reasons: str | None = None


class NonCompliance(BaseModel):
    """A finding that a company did not comply with an order after its deadline."""

    respondent: str
    order: int
    reasons: str
    at: datetime


class InformationRequest(BaseModel):
    from_side: Side
    question: str
    at: datetime


class Recusal(BaseModel):
    member: str
    reason: str
    at: datetime


class DocumentRef(BaseModel):
    id: str
    filename: str
    visibility: Visibility
    at: datetime
    by_side: Side | None = None
    party: str | None = None  # the one respondent organisation it concerns, besides staff


class CaseState(BaseModel):
    """The state of a case: what its state machine needs, projected to the read model.

    The workflow keeps ``events`` and ``documents`` empty: they are content, written to the
    read model as they happen (``Projection``), so the workflow's state and the history one
    action adds do not grow with the case. The read model fills them in for its readers.
    """

    reference: str
    kind: CaseKind
    covenant: str
    covenant_name: str
    procedure: Procedure
    deciding_body: DecidingBody
    stage: Stage
    status: CaseStatus = CaseStatus.OPEN
    outcome: Outcome | None = None
    closing_summary: str | None = None
    confidential: bool
    pseudonym: str
    complainant_organisation_id: str | None = None
    respondents: list[Party]
    subject: str
    description: str
    issues: list[IssueKind] = Field(default_factory=list)
    remedy_sought: str = ""
    urgent: bool = False
    filed_at: datetime
    target_at: datetime | None = None
    closed_at: datetime | None = None
    events: list[Event] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    orders: list[Order] = Field(default_factory=list)
    documents: list[DocumentRef] = Field(default_factory=list)
    response_submitted_at: datetime | None = None  # when the last respondent responded
    responses: dict[str, datetime] = Field(default_factory=dict)  # organisation -> when
    forwarded_at: datetime | None = None  # a signal passed on to the companies
    due_diligence: dict[str, datetime] = Field(default_factory=dict)  # organisation -> reported
    converted_at: datetime | None = None  # a signal turned into a formal complaint
    mediation: Mediation = Field(default_factory=Mediation)
    hearing_at: datetime | None = None
    hearing_held_at: datetime | None = None
    decision: Decision | None = None
    plan: Plan | None = None
    # Per company (``per_company``): each respondent's own plan, by organisation.
    plans: dict[str, Plan] = Field(default_factory=dict)
    non_compliance: list[NonCompliance] = Field(default_factory=list)
    # Mediation consent, plans and orders per company: set at filing since they exist; a case
    # filed before keeps the shared consent and plan its history recorded.
    per_company: bool = False
    suspended_at: datetime | None = None
    suspension_reason: str | None = None
    information_request: InformationRequest | None = None
    officer: str | None = None
    mediator: str | None = None
    recusals: list[Recusal] = Field(default_factory=list)
    split_from: str | None = None
    splits: list[str] = Field(default_factory=list)  # references of cases split off
    merged_into: str | None = None  # the case this one was merged into (it goes on there)
    merged_from: list[str] = Field(default_factory=list)  # cases merged into this one
    # The complainant organisations of the cases merged into this one: complainants too.
    joined_organisations: list[str] = Field(default_factory=list)
    # How many complainants the case counts (numbered 1..n, as their records), and those
    # that withdrew from it (``domain.merging.remaining_complainants``).
    complainants: int = 1
    withdrawn_complainants: list[int] = Field(default_factory=list)
    reopened_at: datetime | None = None  # when the chair last reopened the closed case
    # Extensions parties asked for, and the complainant's requests for follow-up or a meeting.
    extension_requests: list[ExtensionAsk] = Field(default_factory=list)
    party_requests: list[PartyRequest] = Field(default_factory=list)
    # The periodic status e-mail (domain/status_updates.py): when the last went out (what
    # happened since is the read model's, which the notifier reads).
    status_mail_at: datetime | None = None
    seq: int = 0  # the number of the latest event

    @property
    def overdue(self) -> bool:
        """Any open deadline missed."""
        return any(d.overdue for d in self.deadlines)

    def open_deadlines(self) -> list[Deadline]:
        """Deadlines not yet met or cancelled, earliest first."""
        return sorted(
            (d for d in self.deadlines if d.state is DeadlineState.OPEN), key=lambda d: d.due
        )

    def deadline(self, name: str, party: str | None = None) -> Deadline | None:
        """The open deadline of that name (and respondent, if given), if any."""
        return next(
            (
                d
                for d in self.open_deadlines()
                if d.name == name and (party is None or d.party in (None, party))
            ),
            None,
        )

    @property
    def last_seq(self) -> int:
        """Sequence number of the latest event (0 before any)."""
        return max(self.seq, self.events[-1].seq if self.events else 0)


class Projection(BaseModel):
    """What one step of a case writes to the read model: its state and what it added."""

    state: CaseState
    events: list[Event] = Field(default_factory=list)
    documents: list[DocumentRef] = Field(default_factory=list)


class ActionResult(BaseModel):
    """What an action answers: small, whatever the case's size; read the case from the API."""

    seq: int
    stage: Stage
    status: CaseStatus


class Carried(BaseModel):
    """What a case's workflow carries into its next run when it continues as new."""

    state: CaseState
    outbox: list[Notice] = Field(default_factory=list)
    applied: dict[str, AppliedUpdate] = Field(default_factory=dict)


def going_on(state: CaseState, **changes: Any) -> CaseStart:
    """The start input of a case that goes on from ``state``: a case split off from it, or
    its workflow's next run (``carried``)."""
    fields: dict[str, Any] = {
        "reference": state.reference,
        "kind": state.kind,
        "covenant": state.covenant,
        "covenant_name": state.covenant_name,
        "procedure": state.procedure,
        "confidential": state.confidential,
        "pseudonym": state.pseudonym,
        "complainant_organisation_id": state.complainant_organisation_id,
        "respondents": state.respondents,
        "subject": state.subject,
        "description": state.description,
        "issues": state.issues,
        "remedy_sought": state.remedy_sought,
        "urgent": state.urgent,
        "filed_at": state.filed_at,
        "split_from": state.split_from,
        "per_company": state.per_company,
    }
    return CaseStart(**{**fields, **changes})


def continuing(carried: Carried) -> CaseStart:
    """The input of a case's next run: the carried state, and its start fields for reference."""
    return going_on(carried.state, description="", carried=carried)  # it is in the state


class AppliedUpdate(BaseModel):
    """An action already taken under this update id: a retry answers it again."""

    digest: str
    result: ActionResult


class Reopening(BaseModel):
    """A closed case's next run: its state when it closed, and the chair's ``reopen``.

    The service starts it when the closed case's workflow has finished; the run applies the
    reopening as its first step. Holds no complainant identity (as ``CaseStart``)."""

    state: CaseState
    actor: Actor
    stage: Stage
    reason: str


CaseStart.model_rebuild()


class RetentionNote:
    """The notes retention adds to a closed case's history, seen by the parties and staff
    (written by ``store.retention`` at the case's next sequence number: no workflow runs)."""

    def __init__(self, seq: int, at: datetime) -> None:
        self.seq, self.at = seq, at

    def event(self, type_: str, summary: str) -> Event:
        """The entry of this type."""
        return Event(seq=self.seq, at=self.at, type=type_, summary=summary)

    def contact_erased(self, days: int) -> Event:
        """The complainants' contact details were erased ``days`` after closure."""
        return self.event(
            "contact_erased",
            "The complainant's contact details were erased: the covenant keeps them "
            f"{days} days after a case closes.",
        )

    def documents_deleted(self, count: int, years: int) -> Event:
        """``count`` documents were deleted ``years`` after closure."""
        return self.event(
            "documents_deleted",
            f"{count} document(s) deleted: the covenant keeps documents {years} years after "
            "a case closes.",
        )
