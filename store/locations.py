"""Production locations: find and search them, and which companies source from them."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, and_, case, func, literal, literal_column, or_, true
from sqlmodel import Session, col, select

from domain.supplier_lists import query_terms
from store.listing import (
    INDEXED_LENGTH,
    ByDialect,
    fts_match,
    fts_phrase,
    like_pattern,
    page_bounds,
)
from store.tables import LocationSourcing, Organisation, ProductionLocation
from store.tables.search import LOCATION_SEARCH


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


def text_search(terms: list[str], *, leads: bool = True) -> ColumnElement[bool]:
    """The location's search text holds every term, found through the search index: FTS5
    trigrams on SQLite (terms under three characters scanned for among what the others
    found), ``pg_trgm`` on PostgreSQL. The search text and the terms are folded already
    (``domain.supplier_lists``): a case-sensitive match suffices. With ``leads`` false,
    SQLite tests the locations another condition leads to against what the index found
    (the unary + keeps the rowid from choosing the plan)."""
    search_text = col(ProductionLocation.search_text)
    indexed = [term for term in terms if len(term) >= INDEXED_LENGTH]
    on_sqlite: list[ColumnElement[bool]] = [
        search_text.contains(term, autoescape=True) for term in terms if len(term) < INDEXED_LENGTH
    ]
    if indexed:
        query = " AND ".join(fts_phrase(term) for term in indexed)
        matching = select(LOCATION_SEARCH.c.rowid).where(
            fts_match(LOCATION_SEARCH, query, column="search_text")
        )
        rowid: ColumnElement[int] = literal_column(
            "production_locations.rowid" if leads else "+production_locations.rowid"
        )
        on_sqlite.insert(0, rowid.in_(matching))
    return ByDialect(
        sqlite=and_(true(), *on_sqlite),
        other=and_(true(), *(search_text.like(like_pattern(term)) for term in terms)),
    )


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
    terms = query_terms(q or "")
    search_text = col(ProductionLocation.search_text)
    # A company's list is a few thousand locations at most, a word may be in any number:
    # with a company, SQLite starts from its list (PostgreSQL's planner chooses itself).
    clauses: list[ColumnElement[bool]] = [text_search(terms, leads=not company)] if terms else []
    if country:
        clauses.append(col(ProductionLocation.country) == country.strip().upper())
    if company:
        listed = select(LocationSourcing.location_id).where(
            col(LocationSourcing.company_id) == company, col(LocationSourcing.listed)
        )
        clauses.append(col(ProductionLocation.id).in_(listed))
    offset, limit = page_bounds(page, page_size)
    total = session.exec(select(func.count()).select_from(ProductionLocation).where(*clauses)).one()
    rank = (
        case((search_text.startswith(terms[0], autoescape=True), 0), else_=1)
        if terms
        else literal(0)
    )
    rows = session.exec(
        select(ProductionLocation)
        .where(*clauses)
        .order_by(rank, col(ProductionLocation.name), col(ProductionLocation.id))
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), int(total)


def covenant_sourcing(
    *,
    session: Session,
    covenant: str,
    location_ids: Collection[str] = (),
    company_ids: Collection[str] = (),
    limit: int = 20,
) -> list[tuple[Organisation, ProductionLocation]]:
    """(company, production location) pairs currently listed under the covenant, for any of
    those locations or companies; by location name."""
    if not location_ids and not company_ids:
        return []
    statement = (
        select(Organisation, ProductionLocation)
        .join(LocationSourcing, col(LocationSourcing.company_id) == Organisation.id)
        .join(ProductionLocation, col(ProductionLocation.id) == LocationSourcing.location_id)
        .where(
            col(LocationSourcing.covenant) == covenant,
            col(LocationSourcing.listed),
            or_(
                col(LocationSourcing.location_id).in_(list(location_ids)),
                col(LocationSourcing.company_id).in_(list(company_ids)),
            ),
        )
        .order_by(col(ProductionLocation.name), col(Organisation.name))
        .limit(limit)
    )
    return [(company, location) for company, location in session.exec(statement).all()]
