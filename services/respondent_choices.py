"""Whom a complaint can be against: the covenant's companies matching a search, and the
production locations they list, each a choice a filer picks (company, or company and
location)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from store import locations as location_store
from store import organisations

SEARCH_SIZE = 20  # matches shown of each kind


@dataclass(frozen=True)
class Choice:
    """A company, or a company with a production location it sources from, to pick."""

    value: str
    company: str
    location: str | None = None
    address: str | None = None
    country: str | None = None


def choices(session: Session, covenant: str, q: str) -> list[Choice]:
    """The covenant's companies matching ``q``, then workplaces they list matching it."""
    companies = organisations.covenant_companies(session=session, covenant=covenant, q=q)
    found = [Choice(value=c.id, company=c.name) for c in companies]
    if not q.strip():
        return found
    locations, _ = location_store.search_locations(session=session, q=q, page_size=SEARCH_SIZE)
    pairs = location_store.covenant_sourcing(
        session=session,
        covenant=covenant,
        location_ids=[location.id for location in locations],
        company_ids=[company.id for company in companies],
        limit=SEARCH_SIZE,
    )
    found.extend(
        Choice(
            value=f"{company.id}|{location.id}",
            company=company.name,
            location=location.name,
            address=location.address,
            country=location.country,
        )
        for company, location in pairs
    )
    return found


def picked(session: Session, covenant: str, value: str) -> Choice | None:
    """The choice a posted value names, looked up again so it can be shown (or None)."""
    company_id, _, location_id = value.partition("|")
    company = organisations.covenant_party(session=session, covenant=covenant, key=company_id)
    if company is None:
        return None
    location = location_store.get_location(session=session, location_id=location_id)
    if location_id and location is None:
        return None
    return Choice(
        value=value,
        company=company.name,
        location=location.name if location else None,
        address=location.address if location else None,
        country=location.country if location else None,
    )
