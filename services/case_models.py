"""A case as each reader may see it: the shapes the reading services build and the JSON API
answers with (so the OpenAPI document describes them)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from domain.enums import (
    CaseKind,
    CaseStatus,
    Channel,
    OrderStatus,
    Outcome,
    Side,
    Stage,
    Visibility,
)


class FiledOut(BaseModel):
    """A filed complaint or dispute; the access code is shown only this once."""

    reference: str
    access_code: str
    stage: Stage
    status_url: str


class RespondentOut(BaseModel):
    """A respondent organisation."""

    organisation_id: str
    name: str
    production_location_id: str | None = None


class PseudonymousComplainant(BaseModel):
    """A confidential complainant as the company sees them."""

    pseudonym: str
    confidential: bool = True


class NamedComplainant(BaseModel):
    """A complainant's name, organisation and whom they represent."""

    name: str
    organisation: str | None
    represents: str | None
    confidential: bool
    pseudonym: str


class ComplainantDetails(NamedComplainant):
    """The complainant with contact details, for staff and the complainant themselves."""

    email: str | None
    phone: str | None
    language: str


ComplainantOut = ComplainantDetails | NamedComplainant | PseudonymousComplainant


class DeadlineOut(BaseModel):
    """An open deadline."""

    name: str
    label: str
    due: datetime
    overdue: bool


class EventOut(BaseModel):
    """A timeline entry; ``text`` is the full text where the caller may see it."""

    seq: int
    at: datetime
    type: str
    summary: str
    visibility: Visibility
    text: str | None = None
    party: str | None = Field(
        default=None, description="the one respondent company it concerns, if only one"
    )
    channel: Channel | None = Field(
        default=None, description="how it came: web, api, email or sms (none: the system's)"
    )


class EventsPageOut(BaseModel):
    """A page of a case's events, oldest first; ``before`` pages further back, if set."""

    items: list[EventOut]
    before: int | None = None


class OrderOut(BaseModel):
    """A remediation order, numbered from 1."""

    number: int
    text: str
    due: date
    status: OrderStatus
    respondent: str | None = None  # the company it binds (None on older cases: every company)


class DocumentOut(BaseModel):
    """An uploaded document's metadata."""

    id: str
    filename: str
    visibility: Visibility
    party: str | None = Field(
        default=None, description="the one respondent company it concerns, if only one"
    )
    uploaded_at: datetime
    by_side: Side | None = None
    content_type: str | None = None
    size: int | None = None
    url: str


class CaseOut(BaseModel):
    """A case as the caller may see it."""

    reference: str
    kind: CaseKind
    covenant: str
    covenant_name: str
    stage: Stage
    status: CaseStatus
    outcome: Outcome | None
    respondent: list[RespondentOut]
    complainant: ComplainantOut
    subject: str
    description: str
    issues: list[str]
    remedy_sought: str
    urgent: bool
    filed_at: datetime
    target_at: datetime | None
    closed_at: datetime | None
    overdue: bool
    deadlines: list[DeadlineOut]
    events: list[EventOut] = Field(
        description="the latest events; when ``events_before`` is set, earlier ones are "
        "paged with GET /api/v1/cases/{reference}/events?before=<events_before>"
    )
    events_before: int | None = Field(
        default=None, description="set when the case has events before those listed"
    )
    orders: list[OrderOut]
    documents: list[DocumentOut]
    merged_into: str | None = Field(
        default=None, description="the case this one was merged into, where it goes on"
    )
    merged_from: list[str] = Field(
        default_factory=list, description="the cases merged into this one"
    )
    other_complainants: list[ComplainantOut] = Field(
        default_factory=list,
        description="the complainants of cases merged into this one (or, for one of them, "
        "the others), as the caller may see each: a pseudonym unless they may know",
    )


class CaseSummaryOut(BaseModel):
    """One line of the case list."""

    reference: str
    kind: CaseKind
    covenant: str
    stage: Stage
    status: CaseStatus
    outcome: Outcome | None
    subject: str
    filed_at: datetime
    overdue: bool
    next_deadline: str | None
    next_due: datetime | None


class CaseListOut(BaseModel):
    """A page of the case list and the total number of matching cases."""

    items: list[CaseSummaryOut]
    total: int
    page: int
    page_size: int
