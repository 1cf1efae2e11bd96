"""The ``Idempotency-Key`` a caller filed a case with, and the first answer to that filing."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from store.tables.types import ID, UtcDateTime, varchar


class FilingKey(SQLModel, table=True):
    """One caller's filing under one key: claimed before a reference is taken, so that a
    retry (or a second request at the same time) files nothing more.

    ``key_hash`` is the key's keyed hash (for an anonymous filer the key is their secret);
    ``digest`` the request's hash (another body is refused, 422); ``code_cipher`` the access
    code, encrypted under a key derived from the server's key and the client's key. The
    answer (``stage``, ``status_code``) is empty while the filing is under way.
    """

    __tablename__ = "filing_keys"

    caller: str = Field(primary_key=True, sa_type=varchar(ID))
    key_hash: str = Field(primary_key=True, sa_type=varchar(64))
    digest: str = Field(sa_type=varchar(64))
    reference: str | None = Field(default=None, sa_type=varchar(32))
    code_cipher: str | None = Field(default=None, sa_type=varchar(200))
    stage: str | None = Field(default=None, sa_type=varchar(32))
    status_code: int | None = None
    claimed_at: datetime = Field(sa_type=UtcDateTime)  # when a request last took it up
    created_at: datetime = Field(sa_type=UtcDateTime, index=True)
