"""Reply addresses: one row per ``reply+<token>@…`` address issued on a notice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from store.tables.types import ID, UtcDateTime, varchar


class ReplyAddress(SQLModel, table=True):
    """Who a reply address was issued to, on which case, and whether it still works.

    ``id`` is the token's random part (``core.reply_tokens``); the token itself is not
    stored (it is the id and its HMAC under the server key). The person is one of: a user
    account (``user_id``), an organisation's contact address (``organisation_id`` without a
    user), or a complainant record of the case (``complainant``, its number). ``role`` is
    what they were written to as (a role, or ``complainant``), ``side`` their side of the
    case (``complainant``, ``respondent``; none for the mechanism's own people). A reply
    must come from ``email``. ``revoked_at`` ends the address.
    """

    __tablename__ = "reply_addresses"
    __table_args__ = (Index("ix_reply_addresses_reference_email", "reference", "email"),)

    id: str = Field(primary_key=True, sa_type=varchar(32))
    reference: str = Field(sa_type=varchar(32))
    user_id: int | None = None
    organisation_id: str | None = Field(default=None, sa_type=varchar(ID))
    complainant: int | None = None
    role: str = Field(sa_type=varchar(16))
    side: str | None = Field(default=None, sa_type=varchar(16))
    email: str = Field(sa_type=varchar(254))
    created_at: datetime = Field(sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
