"""The read model's tables. Enum-valued columns hold the enum's lowercase string value."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Index, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _s(length: int) -> Any:
    """A VARCHAR column type of that length."""
    return String(length)


ID = 64


class Organisation(SQLModel, table=True):
    """A company, union, NGO, government body, or the mechanism itself."""

    __tablename__ = "organisations"

    id: str = Field(primary_key=True, sa_type=_s(ID))
    name: str = Field(sa_type=_s(200), index=True)
    kind: str = Field(sa_type=_s(16))  # company | union | ngo | government | mechanism
    country: str | None = Field(default=None, sa_type=_s(2))
    email: str | None = Field(default=None, sa_type=_s(254))
    language: str = Field(default="en", sa_type=_s(16))


class OrganisationContact(SQLModel, table=True):
    """An address of an organisation that its notices go to, in the language it reads."""

    __tablename__ = "organisation_contacts"

    organisation_id: str = Field(
        primary_key=True, sa_type=_s(ID), foreign_key="organisations.id", index=True
    )
    email: str = Field(primary_key=True, sa_type=_s(254))
    language: str = Field(default="en", sa_type=_s(16))


class CovenantMembership(SQLModel, table=True):
    """An organisation that is a party to a covenant."""

    __tablename__ = "covenant_memberships"

    covenant: str = Field(primary_key=True, sa_type=_s(ID))
    organisation_id: str = Field(
        primary_key=True, sa_type=_s(ID), foreign_key="organisations.id", index=True
    )


class CovenantVersion(SQLModel, table=True):
    """One stored version of a covenant's procedure; running cases keep theirs."""

    __tablename__ = "covenant_versions"

    slug: str = Field(primary_key=True, sa_type=_s(ID))
    version: int = Field(primary_key=True)
    name: str = Field(sa_type=_s(200))
    name_nl: str = Field(default="", sa_type=_s(200))
    procedure_json: str = Field(sa_type=Text)
    steering_group_email: str | None = Field(default=None, sa_type=_s(254))


class User(SQLModel, table=True):
    """A person who signs in: staff, or a user of a party organisation."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(sa_type=_s(ID), unique=True, index=True)
    display_name: str = Field(sa_type=_s(200))
    email: str | None = Field(default=None, sa_type=_s(254))
    role: str = Field(sa_type=_s(16), index=True)
    organisation_id: str | None = Field(
        default=None, sa_type=_s(ID), foreign_key="organisations.id", index=True
    )
    language: str = Field(default="en", sa_type=_s(16))
    password_hash: str = Field(sa_type=_s(255))
    is_demo: bool = False
    active: bool = True
    totp_secret: str | None = Field(default=None, sa_type=_s(64))  # set once enrolment is confirmed
    totp_pending: str | None = Field(default=None, sa_type=_s(64))  # offered, not yet confirmed


class ApiToken(SQLModel, table=True):
    """A bearer token, stored only as its keyed hash."""

    __tablename__ = "api_tokens"

    token_hash: str = Field(primary_key=True, sa_type=_s(64))
    user_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime, index=True)
    enrolment_only: bool = False  # signed in, but must set up two-factor sign-in first


class AccountToken(SQLModel, table=True):
    """A one-time invitation or password-reset token, stored only as its keyed hash."""

    __tablename__ = "account_tokens"

    token_hash: str = Field(primary_key=True, sa_type=_s(64))
    user_id: int = Field(foreign_key="users.id", index=True)
    purpose: str = Field(sa_type=_s(16))  # invitation | reset
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime, index=True)


class StaffCovenant(SQLModel, table=True):
    """A covenant whose cases a member of staff works on (and so may see)."""

    __tablename__ = "staff_covenants"

    user_id: int = Field(primary_key=True, foreign_key="users.id", index=True)
    covenant: str = Field(primary_key=True, sa_type=_s(ID))


class ProductionLocation(SQLModel, table=True):
    """A factory, quarry or workshop in a supply chain."""

    __tablename__ = "production_locations"

    id: str = Field(primary_key=True, sa_type=_s(ID))
    name: str = Field(sa_type=_s(300), index=True)
    address: str = Field(default="", sa_type=_s(500))
    country: str = Field(sa_type=_s(2), index=True)  # ISO 3166 alpha-2
    # domain.registry.match_key: the same factory in any list maps to one row.
    match_key: str = Field(sa_type=_s(820), unique=True, index=True)
    # domain.registry.search_text: folded name (without legal form) and address.
    search_text: str = Field(sa_type=_s(820))


class LocationSourcing(SQLModel, table=True):
    """A company that sources from a production location under a covenant."""

    __tablename__ = "location_sourcing"

    location_id: str = Field(
        primary_key=True, sa_type=_s(ID), foreign_key="production_locations.id"
    )
    company_id: str = Field(
        primary_key=True, sa_type=_s(ID), foreign_key="organisations.id", index=True
    )
    covenant: str = Field(primary_key=True, sa_type=_s(ID))
    # False once the company's latest list no longer names the location.
    listed: bool = True
    listed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    delisted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class CaseRow(SQLModel, table=True):
    """The projection of a case, written only by the workflow's activities."""

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_overdue_next_due", "overdue", "next_due"),)

    reference: str = Field(primary_key=True, sa_type=_s(32))
    kind: str = Field(sa_type=_s(16))
    covenant: str = Field(sa_type=_s(ID), index=True)
    stage: str = Field(sa_type=_s(16), index=True)
    status: str = Field(sa_type=_s(16))
    outcome: str | None = Field(default=None, sa_type=_s(32))
    subject: str = Field(sa_type=_s(300))
    confidential: bool = False
    pseudonym: str = Field(sa_type=_s(64))
    complainant_organisation_id: str | None = Field(default=None, sa_type=_s(ID), index=True)
    deciding_body: str = Field(sa_type=_s(16))
    overdue: bool = False
    next_deadline_name: str | None = Field(default=None, sa_type=_s(32))
    next_due: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)
    filed_at: datetime = Field(sa_type=UtcDateTime, index=True)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_seq: int = 0
    officer: str | None = Field(default=None, sa_type=_s(ID))
    mediator: str | None = Field(default=None, sa_type=_s(ID), index=True)
    respondents_see: bool = False  # ``domain.privacy.shown_to_respondents``
    snapshot: str = Field(sa_type=Text)  # CaseState as JSON


class CaseRespondent(SQLModel, table=True):
    """A respondent organisation of a case."""

    __tablename__ = "case_respondents"

    reference: str = Field(primary_key=True, sa_type=_s(32), foreign_key="cases.reference")
    organisation_id: str = Field(primary_key=True, sa_type=_s(ID), index=True)
    production_location_id: str | None = Field(default=None, sa_type=_s(ID))


class CaseRecusal(SQLModel, table=True):
    """A member recused from a case: it is closed to them, its line in lists too."""

    __tablename__ = "case_recusals"

    reference: str = Field(primary_key=True, sa_type=_s(32), foreign_key="cases.reference")
    member: str = Field(primary_key=True, sa_type=_s(ID), index=True)


class Complainant(SQLModel, table=True):
    """Who filed: written by the API at filing, never by the workflow (it holds identity)."""

    __tablename__ = "complainants"

    reference: str = Field(primary_key=True, sa_type=_s(32))
    name: str = Field(sa_type=_s(200))
    organisation: str | None = Field(default=None, sa_type=_s(200))
    email: str | None = Field(default=None, sa_type=_s(254))
    phone: str | None = Field(default=None, sa_type=_s(40))
    represents: str | None = Field(default=None, sa_type=_s(500))
    language: str = Field(default="en", sa_type=_s(16))
    confidential: bool = False
    filer_user_id: int | None = Field(default=None, foreign_key="users.id")
    access_code_hash: str | None = Field(default=None, sa_type=_s(64), index=True)
    # The plaintext access code, kept only until the receipt e-mail has been sent.
    receipt_code: str | None = Field(default=None, sa_type=_s(128))


class CaseEvent(SQLModel, table=True):
    """One timeline entry of a case, keyed by the workflow's sequence number."""

    __tablename__ = "case_events"

    reference: str = Field(primary_key=True, sa_type=_s(32), foreign_key="cases.reference")
    seq: int = Field(primary_key=True)
    at: datetime = Field(sa_type=UtcDateTime)
    type: str = Field(sa_type=_s(64))
    summary: str = Field(sa_type=Text)
    text: str | None = Field(default=None, sa_type=Text)
    visibility: str = Field(sa_type=_s(16))
    actor_role: str | None = Field(default=None, sa_type=_s(16))
    party: str | None = Field(default=None, sa_type=_s(ID))  # the one respondent it concerns


class CaseDeadline(SQLModel, table=True):
    """A deadline of a case as last projected."""

    __tablename__ = "case_deadlines"
    __table_args__ = (Index("ix_case_deadlines_state_due", "state", "due"),)

    reference: str = Field(primary_key=True, sa_type=_s(32), foreign_key="cases.reference")
    id: str = Field(primary_key=True, sa_type=_s(ID))
    name: str = Field(sa_type=_s(32))
    label: str = Field(sa_type=_s(200))
    owner: str = Field(sa_type=_s(16))
    due: datetime = Field(sa_type=UtcDateTime)
    state: str = Field(sa_type=_s(16))
    overdue: bool = False
    reminded: bool = False
    escalated: bool = False


class CaseOrder(SQLModel, table=True):
    """A remediation order of a case, numbered from 1."""

    __tablename__ = "case_orders"

    reference: str = Field(primary_key=True, sa_type=_s(32), foreign_key="cases.reference")
    number: int = Field(primary_key=True)
    text: str = Field(sa_type=Text)
    due: date = Field(sa_type=Date)
    status: str = Field(sa_type=_s(16))


class Document(SQLModel, table=True):
    """An uploaded file's metadata; the bytes live under the data directory."""

    __tablename__ = "documents"

    id: str = Field(primary_key=True, sa_type=_s(ID))
    reference: str = Field(sa_type=_s(32), index=True)
    filename: str = Field(sa_type=_s(255))
    content_type: str = Field(sa_type=_s(127))
    size: int
    sha256: str = Field(sa_type=_s(64))
    storage_path: str = Field(sa_type=_s(500))
    visibility: str = Field(sa_type=_s(16))
    party: str | None = Field(default=None, sa_type=_s(ID))  # the one respondent it concerns
    uploaded_by: str = Field(sa_type=_s(ID))
    side: str | None = Field(default=None, sa_type=_s(16))
    uploaded_at: datetime = Field(sa_type=UtcDateTime)
    # Set when the case's workflow took the upload on (add_document); until then it is not
    # on the case (the action may have been refused, or be still under way).
    recorded_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Outbox(SQLModel, table=True):
    """One e-mail per notice and recipient; ``sent_at`` set once the mailer accepted it.

    ``failed_at`` and ``error`` are set instead when the server refused it for good (SMTP
    5xx, e.g. an address that does not exist); such a mail is not tried again.
    """

    __tablename__ = "outbox"

    message_id: str = Field(primary_key=True, sa_type=_s(255))
    reference: str = Field(sa_type=_s(32), index=True)
    notice_key: str = Field(sa_type=_s(200))
    recipient: str = Field(sa_type=_s(254))
    subject: str = Field(sa_type=_s(500))
    language: str = Field(sa_type=_s(16))
    created_at: datetime = Field(sa_type=UtcDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    failed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    error: str | None = Field(default=None, sa_type=_s(500))
    # Taken by one attempt just before it hands the mail to the server: a concurrent or
    # later attempt leaves the row alone until the claim is old (see activities/notify.py).
    claimed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class NoticeParked(SQLModel, table=True):
    """A notice given up on after its retries (or failing for good): staff see and retry it."""

    __tablename__ = "notices_parked"

    key: str = Field(primary_key=True, sa_type=_s(200))
    reference: str = Field(sa_type=_s(32), index=True)
    kind: str = Field(sa_type=_s(32))
    error: str = Field(sa_type=Text)
    parked_at: datetime = Field(sa_type=UtcDateTime)
    request: str = Field(sa_type=Text)  # the NoticeRequest as JSON, to send it again
    retried_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    retried_by: str | None = Field(default=None, sa_type=_s(ID))


class IdempotencyKey(SQLModel, table=True):
    """A caller's ``Idempotency-Key`` on a case: the request it named, and whether it is done.

    ``digest`` is the request's hash: the same key with another request is refused (422).
    """

    __tablename__ = "idempotency_keys"

    reference: str = Field(primary_key=True, sa_type=_s(32))
    caller: str = Field(primary_key=True, sa_type=_s(ID))
    key: str = Field(primary_key=True, sa_type=_s(200))
    digest: str = Field(sa_type=_s(64))
    done: bool = False
    document_id: str | None = Field(default=None, sa_type=_s(ID))  # the upload it made
    created_at: datetime = Field(sa_type=UtcDateTime, index=True)
