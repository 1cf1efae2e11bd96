"""Cases: the projected row, respondents, recusals, complainant, events, deadlines, orders,
documents."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, Text
from sqlmodel import Field, SQLModel

from store.tables.types import ID, UtcDateTime, varchar


class CaseRow(SQLModel, table=True):
    """The projection of a case, written only by the workflow's activities."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_overdue_next_due", "overdue", "next_due"),
        # The list's order (newest first) with the columns its common filters test, so that
        # the first page and the count read an index rather than the rows (a row holds the
        # state). The text search indexes are not models: store/tables/search.py.
        Index("ix_cases_filed", "filed_at", "reference", "covenant"),
        Index("ix_cases_stage_filed", "stage", "filed_at", "reference", "covenant"),
        Index("ix_cases_stage_status", "stage", "status"),
    )

    reference: str = Field(primary_key=True, sa_type=varchar(32))
    kind: str = Field(sa_type=varchar(16))
    covenant: str = Field(sa_type=varchar(ID))
    stage: str = Field(sa_type=varchar(16))
    status: str = Field(sa_type=varchar(16))
    outcome: str | None = Field(default=None, sa_type=varchar(32))
    subject: str = Field(sa_type=varchar(300))
    confidential: bool = False
    pseudonym: str = Field(sa_type=varchar(64))
    complainant_organisation_id: str | None = Field(default=None, sa_type=varchar(ID), index=True)
    deciding_body: str = Field(sa_type=varchar(16))
    overdue: bool = False
    next_deadline_name: str | None = Field(default=None, sa_type=varchar(32))
    next_due: datetime | None = Field(default=None, sa_type=UtcDateTime, index=True)
    filed_at: datetime = Field(sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_seq: int = 0
    officer: str | None = Field(default=None, sa_type=varchar(ID))
    mediator: str | None = Field(default=None, sa_type=varchar(ID), index=True)
    respondents_see: bool = False  # ``domain.privacy.shown_to_respondents``
    snapshot: str = Field(sa_type=Text)  # CaseState as JSON


class CaseRespondent(SQLModel, table=True):
    """A respondent organisation of a case."""

    __tablename__ = "case_respondents"

    reference: str = Field(primary_key=True, sa_type=varchar(32), foreign_key="cases.reference")
    organisation_id: str = Field(primary_key=True, sa_type=varchar(ID), index=True)
    production_location_id: str | None = Field(default=None, sa_type=varchar(ID))


class CaseRecusal(SQLModel, table=True):
    """A member recused from a case: it is closed to them, its line in lists too."""

    __tablename__ = "case_recusals"

    reference: str = Field(primary_key=True, sa_type=varchar(32), foreign_key="cases.reference")
    member: str = Field(primary_key=True, sa_type=varchar(ID), index=True)


class Complainant(SQLModel, table=True):
    """Who complains: written by the API at filing, never by the workflow (it holds
    identity). Number 1 filed the case; a case that absorbed others (``merge_into``) has a
    row for each of their complainants too, with its own access code and language."""

    __tablename__ = "complainants"

    reference: str = Field(primary_key=True, sa_type=varchar(32))
    number: int = Field(default=1, primary_key=True, sa_column_kwargs={"autoincrement": False})
    name: str = Field(sa_type=varchar(200))
    organisation: str | None = Field(default=None, sa_type=varchar(200))
    email: str | None = Field(default=None, sa_type=varchar(254))
    # Indexed: an inbound text finds its sender's case by number (api/routes/sms.py).
    phone: str | None = Field(default=None, sa_type=varchar(40), index=True)
    represents: str | None = Field(default=None, sa_type=varchar(500))
    language: str = Field(default="en", sa_type=varchar(16))
    confidential: bool = False
    filer_user_id: int | None = Field(default=None, foreign_key="users.id")
    access_code_hash: str | None = Field(default=None, sa_type=varchar(64), index=True)
    # The plaintext access code, kept only until the receipt e-mail has been sent.
    receipt_code: str | None = Field(default=None, sa_type=varchar(128))
    # A complainant merged in: the case it filed (whose code still opens this one) and the
    # pseudonym it had there, which the companies and the other complainants see.
    merged_from: str | None = Field(default=None, sa_type=varchar(32), index=True)
    pseudonym: str | None = Field(default=None, sa_type=varchar(64))
    # How its notices reach it: "email", or "sms" (short texts to ``phone`` besides e-mail).
    notices: str = Field(default="email", sa_type=varchar(8))


class CaseEvent(SQLModel, table=True):
    """One timeline entry of a case, keyed by the workflow's sequence number."""

    __tablename__ = "case_events"

    reference: str = Field(primary_key=True, sa_type=varchar(32), foreign_key="cases.reference")
    seq: int = Field(primary_key=True)
    at: datetime = Field(sa_type=UtcDateTime)
    type: str = Field(sa_type=varchar(64))
    summary: str = Field(sa_type=Text)
    text: str | None = Field(default=None, sa_type=Text)
    visibility: str = Field(sa_type=varchar(16))
    actor_role: str | None = Field(default=None, sa_type=varchar(16))
    party: str | None = Field(default=None, sa_type=varchar(ID))  # the one respondent it concerns
    # On a case with several complainants, the one whose it is (its record's number).
    complainant: int | None = None
    channel: str | None = Field(default=None, sa_type=varchar(8))  # web, api, email, sms


class CaseDeadline(SQLModel, table=True):
    """A deadline of a case as last projected."""

    __tablename__ = "case_deadlines"
    __table_args__ = (Index("ix_case_deadlines_state_due", "state", "due"),)

    reference: str = Field(primary_key=True, sa_type=varchar(32), foreign_key="cases.reference")
    id: str = Field(primary_key=True, sa_type=varchar(ID))
    name: str = Field(sa_type=varchar(32))
    label: str = Field(sa_type=varchar(200))
    owner: str = Field(sa_type=varchar(16))
    due: datetime = Field(sa_type=UtcDateTime)
    state: str = Field(sa_type=varchar(16))
    overdue: bool = False
    reminded: bool = False
    escalated: bool = False


class CaseOrder(SQLModel, table=True):
    """A remediation order of a case, numbered from 1."""

    __tablename__ = "case_orders"

    reference: str = Field(primary_key=True, sa_type=varchar(32), foreign_key="cases.reference")
    number: int = Field(primary_key=True)
    text: str = Field(sa_type=Text)
    due: date = Field(sa_type=Date)
    status: str = Field(sa_type=varchar(16))
    # The respondent organisation the order binds; null on cases filed before (it binds all).
    respondent: str | None = Field(default=None, sa_type=varchar(ID))


class Document(SQLModel, table=True):
    """An uploaded file's metadata; the bytes live under the data directory."""

    __tablename__ = "documents"

    id: str = Field(primary_key=True, sa_type=varchar(ID))
    reference: str = Field(sa_type=varchar(32), index=True)
    filename: str = Field(sa_type=varchar(255))
    content_type: str = Field(sa_type=varchar(127))
    size: int
    sha256: str = Field(sa_type=varchar(64))
    storage_path: str = Field(sa_type=varchar(500))
    visibility: str = Field(sa_type=varchar(16))
    party: str | None = Field(default=None, sa_type=varchar(ID))  # the one respondent it concerns
    uploaded_by: str = Field(sa_type=varchar(ID))
    side: str | None = Field(default=None, sa_type=varchar(16))
    uploaded_at: datetime = Field(sa_type=UtcDateTime)
    # Set when the case's workflow took the upload on (add_document); until then it is not
    # on the case (the action may have been refused, or be still under way).
    recorded_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
