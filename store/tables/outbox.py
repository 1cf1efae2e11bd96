"""Outgoing e-mail: the outbox and the notices parked after a failure."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from store.tables.types import ID, UtcDateTime, varchar


class Outbox(SQLModel, table=True):
    """One e-mail per notice and recipient; ``sent_at`` set once the mailer accepted it.

    ``failed_at`` and ``error`` are set instead when the server refused it for good (SMTP
    5xx, e.g. an address that does not exist); such a mail is not tried again.
    """

    __tablename__ = "outbox"

    message_id: str = Field(primary_key=True, sa_type=varchar(255))
    reference: str = Field(sa_type=varchar(32), index=True)
    notice_key: str = Field(sa_type=varchar(200))
    recipient: str = Field(sa_type=varchar(254))
    subject: str = Field(sa_type=varchar(500))
    language: str = Field(sa_type=varchar(16))
    created_at: datetime = Field(sa_type=UtcDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    failed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    error: str | None = Field(default=None, sa_type=varchar(500))
    # Taken by one attempt just before it hands the mail to the server: a concurrent or
    # later attempt leaves the row alone until the claim is old (see activities/notify.py).
    claimed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class NoticeParked(SQLModel, table=True):
    """A notice given up on after its retries (or failing for good): staff see and retry it."""

    __tablename__ = "notices_parked"

    key: str = Field(primary_key=True, sa_type=varchar(200))
    reference: str = Field(sa_type=varchar(32), index=True)
    kind: str = Field(sa_type=varchar(32))
    error: str = Field(sa_type=Text)
    parked_at: datetime = Field(sa_type=UtcDateTime)
    request: str = Field(sa_type=Text)  # the NoticeRequest as JSON, to send it again
    retried_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    retried_by: str | None = Field(default=None, sa_type=varchar(ID))
