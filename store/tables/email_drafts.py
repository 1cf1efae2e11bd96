"""Complaints sent by e-mail to a covenant's intake address: drafts the secretariat completes
and files, or discards, and the files they came with."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from store.tables.types import ID, UtcDateTime, varchar


class EmailDraft(SQLModel, table=True):
    """One e-mailed complaint, keyed by its Message-ID (a redelivery finds it again).

    The reference and access code are allocated at receipt; the case filed from the draft
    takes both. Only the code's keyed hash is kept, and, until the receipt has gone out,
    the code sealed under the server's key ring (``receipt_code``; cleared once sent).
    ``state``: received, filed or discarded. ``sender_verified``: see below.
    """

    __tablename__ = "email_drafts"

    id: str = Field(primary_key=True, sa_type=varchar(ID))
    message_key: str = Field(
        sa_type=varchar(64), unique=True, index=True
    )  # sha256 of the Message-ID
    reference: str = Field(sa_type=varchar(32), unique=True, index=True)
    covenant: str = Field(sa_type=varchar(64), index=True)
    access_code_hash: str = Field(sa_type=varchar(64), index=True)
    receipt_code: str | None = Field(default=None, sa_type=varchar(255))
    sender_email: str = Field(sa_type=varchar(254))
    sender_name: str = Field(default="", sa_type=varchar(200))
    language: str = Field(default="en", sa_type=varchar(16))
    subject: str = Field(default="", sa_type=varchar(500))
    text: str = Field(default="", sa_type=Text)
    received_at: datetime = Field(sa_type=UtcDateTime, index=True)
    state: str = Field(default="received", sa_type=varchar(16), index=True)
    receipt_sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_by: str | None = Field(default=None, sa_type=varchar(ID))
    discard_reason: str | None = Field(default=None, sa_type=Text)
    # The receiving server vouched for the sender (DKIM or SPF pass for the From's domain):
    # only then was a receipt sent; otherwise the page marks the sender not verified.
    sender_verified: bool = False


class EmailDraftFile(SQLModel, table=True):
    """A file that came with an e-mailed complaint, stored as uploads are (content-addressed
    under ``documents/``), or refused by the upload checks (``problem``, nothing stored)."""

    __tablename__ = "email_draft_files"

    draft_id: str = Field(primary_key=True, sa_type=varchar(ID), foreign_key="email_drafts.id")
    number: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    filename: str = Field(sa_type=varchar(255))
    content_type: str | None = Field(default=None, sa_type=varchar(128))
    size: int = 0
    sha256: str | None = Field(default=None, sa_type=varchar(64))
    problem: str | None = Field(default=None, sa_type=varchar(200))
