"""``GET /api/v1/production-locations``: search the registry of published supplier lists."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from api.deps import SessionDep, SettingsDep
from api.schemas import INVALID, MAX_PAGE, too_many
from api.throttle import client_address, throttle_of
from domain.problems import invalid_field
from domain.supplier_lists import country_code
from services.throttling import SEARCH
from store import locations, organisations
from store.listing import MAX_PAGE_SIZE

router = APIRouter(prefix="/api/v1", tags=["production locations"], responses=INVALID)


class CompanyRef(BaseModel):
    """A company that lists the location in its published supplier list."""

    id: str
    name: str


class LocationOut(BaseModel):
    """A production location and the companies that source from it."""

    id: str
    name: str
    address: str
    country: str
    companies: list[CompanyRef]


class LocationPage(BaseModel):
    """A page of matching locations and how many match in all."""

    items: list[LocationOut]
    total: int
    page: int
    page_size: int


@router.get(
    "/production-locations",
    response_model=LocationPage,
    responses=too_many("too many searches from this address"),
)
def search_production_locations(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    q: Annotated[
        str | None, Query(max_length=200, description="words of the name or address")
    ] = None,
    country: Annotated[
        str | None, Query(max_length=60, description="ISO 3166 alpha-2 (or a country name)")
    ] = None,
    company: Annotated[str | None, Query(max_length=200, description="company id or name")] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> LocationPage:
    """Find a factory by a fragment of its name or address, by country and by company
    (searches are throttled per address)."""
    throttle_of(request).take(SEARCH, client_address(request, settings))
    code = None
    if country:
        code = country_code(country)
        if code is None:
            raise invalid_field(["query", "country"], f"unknown country '{country}'")
    company_id = None
    if company:
        found = organisations.find_organisation(session=session, key=company)
        if found is None or found.kind != "company":
            raise invalid_field(["query", "company"], f"unknown company '{company}'")
        company_id = found.id
    rows, total = locations.search_locations(
        session=session, q=q, country=code, company=company_id, page=page, page_size=page_size
    )
    return LocationPage(
        items=[
            LocationOut(
                id=row.id,
                name=row.name,
                address=row.address,
                country=row.country,
                companies=[
                    CompanyRef(id=org.id, name=org.name)
                    for org in locations.location_companies(session=session, location_id=row.id)
                ],
            )
            for row in rows
        ],
        total=total,
        page=page,
        page_size=page_size,
    )
