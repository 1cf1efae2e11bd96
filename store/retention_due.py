"""Retention's queries on the read model: each covenant's retention policy, and what is due
for erasure (complainants still holding contact details, documents of cases closed long
enough), with the values that could name a complainant and the notes a sweep left.

The erasures and deletions themselves, and the sweep that does them, are ``store.retention``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from domain.enums import CaseStatus
from store.covenants import latest_covenant
from store.tables import CaseEvent, CaseRow, Complainant, CovenantVersion, Document
from store.tables.register import RegisterEntry

# The columns that identify or reach a complainant. Their name becomes their pseudonym;
# the access code's hash, language and confidentiality stay (the case can still be read
# with the code, and its notices' language is known).
CONTACT_FIELDS = ("name", "organisation", "represents", "email", "phone", "receipt_code")


@dataclass(frozen=True)
class Policy:
    """A covenant's retention periods, from its newest procedure version."""

    covenant: str
    contact_days: int
    document_years: int

    def contacts_cutoff(self, now: datetime) -> datetime:
        """Cases closed at or before this lose their complainants' contact details."""
        return now - timedelta(days=self.contact_days)

    def documents_cutoff(self, now: datetime) -> datetime:
        """Cases closed at or before this lose their documents."""
        return years_before(now, self.document_years)


def years_before(now: datetime, years: int) -> datetime:
    """The same date ``years`` earlier (29 February becomes the 28th in a common year)."""
    year = now.year - years
    day = min(now.day, calendar.monthrange(year, now.month)[1])
    return now.replace(year=year, day=day)


def policies(*, session: Session) -> list[Policy]:
    """The retention policy of every stored covenant, by slug."""
    slugs = session.exec(select(CovenantVersion.slug).distinct()).all()
    found = []
    for slug in sorted(slugs):
        covenant = latest_covenant(session=session, slug=slug)
        if covenant is not None:
            procedure = covenant.procedure
            found.append(
                Policy(slug, procedure.contact_retention_days, procedure.document_retention_years)
            )
    return found


def _closed_before(covenant: str, cutoff: datetime, reference: str | None) -> list[Any]:
    conditions = [
        col(CaseRow.covenant) == covenant,
        col(CaseRow.status) == CaseStatus.CLOSED.value,
        col(CaseRow.closed_at).is_not(None),
        col(CaseRow.closed_at) <= cutoff,
    ]
    if reference is not None:
        conditions.append(col(CaseRow.reference) == reference)
    return conditions


def _erased_name() -> Any:
    return func.coalesce(col(Complainant.pseudonym), col(CaseRow.pseudonym))


def contacts_due(
    *, session: Session, covenant: str, cutoff: datetime, limit: int, reference: str | None = None
) -> list[tuple[Complainant, str]]:
    """Complainants of the covenant's cases (or this one) closed at or before ``cutoff`` who
    still hold a contact detail, with the pseudonym their name becomes; oldest closure first."""
    statement = (
        select(Complainant, _erased_name())
        .join(CaseRow, col(CaseRow.reference) == col(Complainant.reference))
        .where(*_closed_before(covenant, cutoff, reference))
        .where(
            or_(
                *(col(getattr(Complainant, name)).is_not(None) for name in CONTACT_FIELDS[1:]),
                col(Complainant.name) != _erased_name(),
            )
        )
        .order_by(col(CaseRow.closed_at), col(Complainant.reference), col(Complainant.number))
        .limit(limit)
    )
    return [(row, str(pseudonym)) for row, pseudonym in session.exec(statement).all()]


def identity_values(complainant: Complainant) -> list[str]:
    """The values erasure removes that could name the complainant in a text."""
    values = [complainant.name, complainant.organisation, complainant.email, complainant.phone]
    return [v for v in values if v]


def register_entry(*, session: Session, reference: str) -> RegisterEntry | None:
    """The case's published register entry, if any."""
    return session.get(RegisterEntry, reference)


def documents_due(
    *, session: Session, covenant: str, cutoff: datetime, limit: int, reference: str | None = None
) -> list[Document]:
    """Documents of the covenant's cases (or this one) closed at or before ``cutoff``; oldest
    closure first."""
    statement = (
        select(Document)
        .join(CaseRow, col(CaseRow.reference) == col(Document.reference))
        .where(*_closed_before(covenant, cutoff, reference))
        .order_by(col(CaseRow.closed_at), col(Document.reference), col(Document.id))
        .limit(limit)
    )
    return list(session.exec(statement).all())


def history_notes(*, session: Session, reference: str, type_: str) -> list[CaseEvent]:
    """The case's events of this type, oldest first (what a sweep added)."""
    statement = (
        select(CaseEvent)
        .where(col(CaseEvent.reference) == reference)
        .where(col(CaseEvent.type) == type_)
        .order_by(col(CaseEvent.seq))
    )
    return list(session.exec(statement).all())
