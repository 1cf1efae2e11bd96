"""Tables of the security machinery: the audit trail of cases, the record of administrative
changes (both append-only), and the rate-limit counters every API process shares."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from store.tables import ID, UtcDateTime, varchar


class AuditEntry(SQLModel, table=True):
    """One read, download, display of an identity or change of a case (``store.audit``):
    append-only, each row chained to the one before by hash."""

    __tablename__ = "audit_entries"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(sa_type=varchar(32), index=True)
    at: datetime = Field(sa_type=UtcDateTime)
    username: str = Field(sa_type=varchar(ID))
    role: str = Field(sa_type=varchar(16))
    organisation: str | None = Field(default=None, sa_type=varchar(ID))
    action: str = Field(sa_type=varchar(64))
    detail: str = Field(sa_type=Text)  # JSON
    prev_hash: str = Field(sa_type=varchar(64), unique=True)  # one successor each: no fork
    hash: str = Field(sa_type=varchar(64))


class RateCounter(SQLModel, table=True):
    """A rate-limit counter (``store.rate_counters``), shared by every API process: the
    count of the current window, which ends at ``expires_at``, and of the window before."""

    __tablename__ = "rate_counters"

    key: str = Field(primary_key=True, sa_type=varchar(250))
    count: int = 0
    expires_at: float = Field(index=True)  # seconds since the epoch
    previous: int = 0
    window_seconds: float = 0  # 0 for a fixed window, which nothing follows


class AdminChange(SQLModel, table=True):
    """One administrative change: who made it, when, what, and to what (append-only)."""

    __tablename__ = "admin_changes"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UtcDateTime, index=True)
    username: str = Field(sa_type=varchar(ID))
    role: str = Field(sa_type=varchar(16))
    action: str = Field(sa_type=varchar(64))
    target: str = Field(sa_type=varchar(200))
    detail: str = Field(sa_type=Text)  # what changed, as JSON
