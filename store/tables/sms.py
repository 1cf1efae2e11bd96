"""Outgoing text messages: one row per text, so that a retried notice sends each once."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from store.tables.types import UtcDateTime, varchar


class SmsOutbox(SQLModel, table=True):
    """One text to one number, keyed by what it is for: ``notice:<notice key>:<complainant>``
    for a notice, ``ask:<provider message id>`` for the question back to an inbound text that
    named no case. ``sent_at`` once the gateway took it, ``failed_at`` when it refused it for
    good; ``claimed_at`` while one attempt sends it (as ``Outbox`` does for e-mail)."""

    __tablename__ = "sms_outbox"

    key: str = Field(primary_key=True, sa_type=varchar(255))
    reference: str | None = Field(default=None, sa_type=varchar(32), index=True)
    recipient: str = Field(sa_type=varchar(40))
    language: str = Field(sa_type=varchar(16))
    created_at: datetime = Field(sa_type=UtcDateTime)
    claimed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    failed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    error: str | None = Field(default=None, sa_type=varchar(500))
    provider_id: str | None = Field(default=None, sa_type=varchar(64))
