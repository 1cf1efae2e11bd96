"""Production locations: find and search them, and which companies source from them."""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from sqlalchemy import ColumnElement, and_, case, func, literal, literal_column, or_, true
from sqlalchemy import select as sa_select
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

# Every reader here is public unless it says otherwise: a confidential listing (an associate
# member's list, shared with the secretariat only) is left out, and so is a location that
# only confidential listings name, as if it were not in the registry at all.


def get_location(
    *, session: Session, location_id: str, include_confidential: bool = False
) -> ProductionLocation | None:
    """The production location with this id, or None (also for one known only through
    confidential listings, unless ``include_confidential``)."""
    location = session.get(ProductionLocation, location_id)
    if location is None or (location.confidential and not include_confidential):
        return None
    return location


def location_companies(
    *,
    session: Session,
    location_id: str,
    covenant: str | None = None,
    include_confidential: bool = False,
) -> list[Organisation]:
    """The companies whose current lists (under the covenant) name a location, by name;
    those whose list is confidential only with ``include_confidential``."""
    statement = (
        select(Organisation)
        .join(LocationSourcing, col(LocationSourcing.company_id) == Organisation.id)
        .where(col(LocationSourcing.location_id) == location_id, col(LocationSourcing.listed))
        .distinct()
        .order_by(col(Organisation.name))
    )
    if covenant is not None:
        statement = statement.where(col(LocationSourcing.covenant) == covenant)
    if not include_confidential:
        statement = statement.where(~col(LocationSourcing.confidential))
    return list(session.exec(statement).all())


class ListingRow(NamedTuple):
    """A confidential listing as matching reads it: the company and its factory."""

    company_id: str
    company_name: str
    location_id: str
    name: str
    address: str
    country: str
    search_text: str


def confidential_listing_rows(
    *, session: Session, covenant: str, location_id: str | None = None
) -> list[ListingRow]:
    """Every current confidential listing under the covenant (of one location), as plain
    rows (matching reads them all at each filing): never to show outside staff."""
    statement = (
        sa_select(
            col(Organisation.id),
            col(Organisation.name),
            col(ProductionLocation.id),
            col(ProductionLocation.name),
            col(ProductionLocation.address),
            col(ProductionLocation.country),
            col(ProductionLocation.search_text),
        )
        .join(LocationSourcing, col(LocationSourcing.company_id) == Organisation.id)
        .join(ProductionLocation, col(ProductionLocation.id) == LocationSourcing.location_id)
        .where(
            col(LocationSourcing.covenant) == covenant,
            col(LocationSourcing.listed),
            col(LocationSourcing.confidential),
        )
        .order_by(col(ProductionLocation.name), col(Organisation.name))
    )
    if location_id is not None:
        statement = statement.where(col(LocationSourcing.location_id) == location_id)
    return [ListingRow(*row) for row in session.execute(statement).all()]


def confidential_listings(
    *, session: Session, covenant: str, location_id: str | None = None
) -> list[tuple[Organisation, ProductionLocation]]:
    """(company, location) of every current confidential listing under the covenant (of
    one location), by location name: for matching a filing, never to show outside staff."""
    statement = (
        select(Organisation, ProductionLocation)
        .join(LocationSourcing, col(LocationSourcing.company_id) == Organisation.id)
        .join(ProductionLocation, col(ProductionLocation.id) == LocationSourcing.location_id)
        .where(
            col(LocationSourcing.covenant) == covenant,
            col(LocationSourcing.listed),
            col(LocationSourcing.confidential),
        )
        .order_by(col(ProductionLocation.name), col(Organisation.name))
    )
    if location_id is not None:
        statement = statement.where(col(LocationSourcing.location_id) == location_id)
    return [(company, location) for company, location in session.exec(statement).all()]


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
    include_confidential: bool = False,
) -> tuple[list[ProductionLocation], int]:
    """Locations whose name or address hold every word of ``q`` (case, accents, punctuation
    and legal forms ignored), by country and listing company; names starting with the
    first word first. Confidential listings count only with ``include_confidential``."""
    terms = query_terms(q or "")
    search_text = col(ProductionLocation.search_text)
    # A company's list is a few thousand locations at most, a word may be in any number:
    # with a company, SQLite starts from its list (PostgreSQL's planner chooses itself).
    clauses: list[ColumnElement[bool]] = [text_search(terms, leads=not company)] if terms else []
    if not include_confidential:
        clauses.append(~col(ProductionLocation.confidential))
    if country:
        clauses.append(col(ProductionLocation.country) == country.strip().upper())
    if company:
        listed = select(LocationSourcing.location_id).where(
            col(LocationSourcing.company_id) == company, col(LocationSourcing.listed)
        )
        if not include_confidential:
            # A public location on a company's confidential list is not its to show.
            listed = listed.where(~col(LocationSourcing.confidential))
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
    """(company, production location) pairs currently listed publicly under the covenant,
    for any of those locations or companies; by location name."""
    if not location_ids and not company_ids:
        return []
    statement = (
        select(Organisation, ProductionLocation)
        .join(LocationSourcing, col(LocationSourcing.company_id) == Organisation.id)
        .join(ProductionLocation, col(ProductionLocation.id) == LocationSourcing.location_id)
        .where(
            col(LocationSourcing.covenant) == covenant,
            col(LocationSourcing.listed),
            ~col(LocationSourcing.confidential),
            or_(
                col(LocationSourcing.location_id).in_(list(location_ids)),
                col(LocationSourcing.company_id).in_(list(company_ids)),
            ),
        )
        .order_by(col(ProductionLocation.name), col(Organisation.name))
        .limit(limit)
    )
    return [(company, location) for company, location in session.exec(statement).all()]


def most_listed_covenant(*, session: Session) -> str | None:
    """The covenant whose companies publicly list the most production locations (the one a
    complainant abroad most likely files under), if any lists one."""
    count = func.count()
    row = session.exec(
        select(LocationSourcing.covenant, count)
        .where(LocationSourcing.confidential == False)  # noqa: E712
        .group_by(LocationSourcing.covenant)
        .order_by(count.desc(), LocationSourcing.covenant)
        .limit(1)
    ).first()
    return row[0] if row else None
