"""Response and request models of the JSON API, so the OpenAPI document describes them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from domain.enums import (
    ActionName,
    CaseKind,
    CaseStatus,
    OrderStatus,
    Outcome,
    Role,
    Side,
    Stage,
    Visibility,
)


class ErrorOut(BaseModel):
    """An error: a precise message."""

    detail: str


class FieldErrorOut(BaseModel):
    """One invalid field: where, what, and the kind of error."""

    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(BaseModel):
    """A 422: one readable message naming each field, and the field list."""

    detail: str
    errors: list[FieldErrorOut]


INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": ValidationErrorOut, "description": "invalid fields, each named"}
}


class ConflictOut(BaseModel):
    """A 409: the action is not possible now; these are."""

    detail: str
    allowed: list[str]


class HealthOut(BaseModel):
    """Whether the API's dependencies answer."""

    status: Literal["ok", "unavailable"]
    database: Literal["ok", "down"]
    temporal: Literal["ok", "down"]
    detail: str | None = None


class LoginIn(BaseModel):
    """The body of ``POST /api/v1/auth/token``."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)
    totp: str | None = Field(
        default=None, max_length=16, description="the authenticator app's six-digit code"
    )


class TokenOut(BaseModel):
    """A bearer token; shown once, stored only as a keyed hash."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    role: Role
    organisation: str | None
    organisation_name: str | None = None
    expires_at: datetime
    mfa_enrolment_required: bool = Field(
        default=False,
        description="the token only sets up two-factor sign-in (POST /api/v1/auth/totp)",
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


class AllowedOut(BaseModel):
    """The actions this caller may take on the case now."""

    allowed: list[ActionName]
