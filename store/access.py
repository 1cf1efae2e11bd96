"""Writes and lookups the API needs at filing and upload time; keyword-only arguments."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, col, select

from store.tables import CaseRow, Complainant, Document, LocationSourcing


def reference_taken(*, session: Session, reference: str) -> bool:
    """Whether a case or an intake record already uses this reference."""
    return (
        session.get(CaseRow, reference) is not None
        or session.get(Complainant, (reference, 1)) is not None
    )


def add_complainant(*, session: Session, complainant: Complainant) -> Complainant:
    """Store the intake record of a new case (identity, contact, access-code hash)."""
    session.add(complainant)
    session.flush()
    return complainant


def remove_complainant(*, session: Session, reference: str) -> None:
    """Delete the intake record of a case that could not be started."""
    session.execute(delete(Complainant).where(col(Complainant.reference) == reference))


def sources_from(*, session: Session, company_id: str, location_id: str) -> bool:
    """Whether the company sources from the production location (under any covenant)."""
    statement = select(LocationSourcing).where(
        col(LocationSourcing.company_id) == company_id,
        col(LocationSourcing.location_id) == location_id,
    )
    return session.exec(statement).first() is not None


def remove_document(*, session: Session, document_id: str) -> None:
    """Delete a document's metadata row (when its timeline entry could not be recorded)."""
    session.execute(delete(Document).where(col(Document.id) == document_id))
