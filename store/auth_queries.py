"""Queries for API tokens, documents and the production-location registry."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, case, delete, func, literal
from sqlmodel import Session, col, select

from domain.registry import query_terms
from store.queries import LIKE_ESCAPE, MAX_PAGE_SIZE, escape_like
from store.tables import (
    ApiToken,
    Document,
    LocationSourcing,
    Organisation,
    ProductionLocation,
)


def add_token(
    *,
    session: Session,
    token_hash: str,
    user_id: int,
    created_at: datetime,
    expires_at: datetime,
    enrolment_only: bool = False,
) -> ApiToken:
    """Store a new API token by its keyed hash."""
    token = ApiToken(
        token_hash=token_hash,
        user_id=user_id,
        created_at=created_at,
        expires_at=expires_at,
        enrolment_only=enrolment_only,
    )
    session.add(token)
    session.flush()
    return token


def revoke_token(*, session: Session, token_hash: str) -> None:
    """Delete the token, if present."""
    session.execute(delete(ApiToken).where(col(ApiToken.token_hash) == token_hash))


def add_document(*, session: Session, document: Document) -> Document:
    """Store an uploaded document's metadata."""
    session.add(document)
    session.flush()
    return document


def content_in_use(*, session: Session, sha256: str) -> bool:
    """Whether any document's metadata names stored content with this sha256."""
    statement = select(Document.id).where(col(Document.sha256) == sha256)
    return session.exec(statement).first() is not None


def get_document(*, session: Session, reference: str, document_id: str) -> Document | None:
    """The document of this case with this id, or None (also when it belongs to another case)."""
    document = session.get(Document, document_id)
    return document if document is not None and document.reference == reference else None


def list_documents(
    *, session: Session, reference: str, visibilities: list[str] | None = None
) -> list[Document]:
    """The case's documents, oldest first, optionally only those of the given visibilities."""
    statement = select(Document).where(col(Document.reference) == reference)
    if visibilities is not None:
        statement = statement.where(col(Document.visibility).in_(visibilities))
    return list(session.exec(statement.order_by(col(Document.uploaded_at))).all())


def get_location(*, session: Session, location_id: str) -> ProductionLocation | None:
    """The production location with this id, or None."""
    return session.get(ProductionLocation, location_id)


def location_companies(
    *, session: Session, location_id: str, covenant: str | None = None
) -> list[Organisation]:
    """The companies whose current lists (under the covenant) name a location, by name."""
    statement = (
        select(Organisation)
        .join(LocationSourcing, col(LocationSourcing.company_id) == Organisation.id)
        .where(col(LocationSourcing.location_id) == location_id, col(LocationSourcing.listed))
        .distinct()
        .order_by(col(Organisation.name))
    )
    if covenant is not None:
        statement = statement.where(col(LocationSourcing.covenant) == covenant)
    return list(session.exec(statement).all())


def search_locations(
    *,
    session: Session,
    q: str | None = None,
    country: str | None = None,
    company: str | None = None,
    page: int = 1,
    page_size: int = 20,
) -> tuple[list[ProductionLocation], int]:
    """Locations whose name or address hold every word of ``q`` (case, accents, punctuation
    and legal forms ignored), by country and listing company; names starting with the
    first word first."""
    clauses: list[ColumnElement[bool]] = []
    terms = query_terms(q or "")
    for term in terms:  # search_text and terms are folded already: a plain LIKE suffices
        pattern = "%" + escape_like(term) + "%"
        clauses.append(col(ProductionLocation.search_text).like(pattern, escape=LIKE_ESCAPE))
    if country:
        clauses.append(col(ProductionLocation.country) == country.strip().upper())
    if company:
        listed = select(LocationSourcing.location_id).where(
            col(LocationSourcing.company_id) == company, col(LocationSourcing.listed)
        )
        clauses.append(col(ProductionLocation.id).in_(listed))
    page = max(page, 1)
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    total = session.exec(select(func.count()).select_from(ProductionLocation).where(*clauses)).one()
    rank = (
        case((col(ProductionLocation.search_text).startswith(terms[0]), 0), else_=1)
        if terms
        else literal(0)
    )
    rows = session.exec(
        select(ProductionLocation)
        .where(*clauses)
        .order_by(rank, col(ProductionLocation.name), col(ProductionLocation.id))
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return list(rows), int(total)
