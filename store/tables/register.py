"""The public register and the lessons log: published summaries, redaction terms, the
complainants' agreement to be named, and the committee's lessons.

Content, not state: the case's workflow never reads them. A register entry keeps only what
the chair wrote (the summary as written, ``named``); everything else an entry shows
(covenant, companies, dates, outcome, finding) is read from the case when it is shown, and
the summary is redacted with the terms as they are then, so a later edit of the terms
re-redacts every entry.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from store.tables.types import ID, UtcDateTime, varchar


class RegisterEntry(SQLModel, table=True):
    """A case's summary as the chair published it (unredacted: redacted when shown)."""

    __tablename__ = "register_entries"

    reference: str = Field(primary_key=True, sa_type=varchar(32), foreign_key="cases.reference")
    covenant: str = Field(sa_type=varchar(ID), index=True)
    summary: str = Field(sa_type=Text)
    named: bool = False  # the chair asked to name the complainant (shown only if it agreed)
    published_at: datetime = Field(sa_type=UtcDateTime, index=True)
    published_by: str = Field(sa_type=varchar(ID))


class RedactionTerm(SQLModel, table=True):
    """A name or term removed from published text: of one case, or of every case of a
    covenant (``reference`` empty)."""

    __tablename__ = "redaction_terms"

    id: int | None = Field(default=None, primary_key=True)
    covenant: str = Field(sa_type=varchar(ID), index=True)
    reference: str | None = Field(default=None, sa_type=varchar(32), index=True)
    term: str = Field(sa_type=varchar(200))
    added_at: datetime = Field(sa_type=UtcDateTime)
    added_by: str = Field(sa_type=varchar(ID))


class NamingConsent(SQLModel, table=True):
    """Whether the complainant agreed to be named in the register (its latest word)."""

    __tablename__ = "naming_consents"

    reference: str = Field(primary_key=True, sa_type=varchar(32), foreign_key="cases.reference")
    agreed: bool = False
    at: datetime = Field(sa_type=UtcDateTime)


class Lesson(SQLModel, table=True):
    """A recommendation or lesson the committee drew from a case."""

    __tablename__ = "lessons"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(sa_type=varchar(32), index=True)
    covenant: str = Field(sa_type=varchar(ID), index=True)
    addressed_to: str = Field(sa_type=varchar(16))  # covenant, companies or mechanism
    text: str = Field(sa_type=Text)
    recorded_at: datetime = Field(sa_type=UtcDateTime, index=True)
    recorded_by: str = Field(sa_type=varchar(ID))
