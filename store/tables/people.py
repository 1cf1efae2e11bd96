"""Users, their tokens, the covenants staff work on, and idempotency keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from store.tables.types import ID, UtcDateTime, varchar


class User(SQLModel, table=True):
    """A person who signs in: staff, or a user of a party organisation."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(sa_type=varchar(ID), unique=True, index=True)
    display_name: str = Field(sa_type=varchar(200))
    email: str | None = Field(default=None, sa_type=varchar(254))
    role: str = Field(sa_type=varchar(16), index=True)
    organisation_id: str | None = Field(
        default=None, sa_type=varchar(ID), foreign_key="organisations.id", index=True
    )
    language: str = Field(default="en", sa_type=varchar(16))
    password_hash: str = Field(sa_type=varchar(255))
    is_demo: bool = False
    active: bool = True
    # The authenticator's secret once enrolment is confirmed, and one offered but not yet
    # confirmed: both sealed with the server's key (``core.sealing``).
    totp_secret: str | None = Field(default=None, sa_type=varchar(255))
    totp_pending: str | None = Field(default=None, sa_type=varchar(255))
    # The time step of the last code accepted: a code of that step or earlier is refused.
    totp_last_step: int | None = Field(default=None, sa_type=BigInteger)


class ApiToken(SQLModel, table=True):
    """A bearer token, stored only as its keyed hash."""

    __tablename__ = "api_tokens"

    token_hash: str = Field(primary_key=True, sa_type=varchar(64))
    user_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime, index=True)
    enrolment_only: bool = False  # signed in, but must set up two-factor sign-in first


class AccountToken(SQLModel, table=True):
    """A one-time invitation or password-reset token, stored only as its keyed hash."""

    __tablename__ = "account_tokens"

    token_hash: str = Field(primary_key=True, sa_type=varchar(64))
    user_id: int = Field(foreign_key="users.id", index=True)
    purpose: str = Field(sa_type=varchar(16))  # invitation | reset
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime, index=True)


class StaffCovenant(SQLModel, table=True):
    """A covenant whose cases a member of staff works on (and so may see)."""

    __tablename__ = "staff_covenants"

    user_id: int = Field(primary_key=True, foreign_key="users.id", index=True)
    covenant: str = Field(primary_key=True, sa_type=varchar(ID))


class IdempotencyKey(SQLModel, table=True):
    """A caller's ``Idempotency-Key`` on a case: the request it named, and whether it is done.

    ``digest`` is the request's hash: the same key with another request is refused (422).
    """

    __tablename__ = "idempotency_keys"

    reference: str = Field(primary_key=True, sa_type=varchar(32))
    caller: str = Field(primary_key=True, sa_type=varchar(ID))
    key: str = Field(primary_key=True, sa_type=varchar(200))
    digest: str = Field(sa_type=varchar(64))
    done: bool = False
    document_id: str | None = Field(default=None, sa_type=varchar(ID))  # the upload it made
    created_at: datetime = Field(sa_type=UtcDateTime, index=True)
