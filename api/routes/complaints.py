"""``POST /api/v1/complaints``: anyone (rate limited) or a union files a complaint."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from api.access import Viewer
from api.deps import ClientDep, SessionDep, SettingsDep, ViewerDep
from api.errors import ApiError, field_error
from api.filing import ACCEPTED, Filer, Filing, covenant_or_422, file_case, party_or_422
from api.ratelimit import RateLimiter
from api.schemas import INVALID, ErrorOut, FiledOut
from domain.cases import FileComplaintInput, Party
from domain.enums import CaseKind, Role
from store import access, auth_queries
from store.tables import Organisation

router = APIRouter(prefix="/api/v1", tags=["complaints"], responses=INVALID)


def complaint_filer(viewer: ViewerDep) -> Viewer:
    """The caller if they may file: a union user, or an anonymous caller (rate limited)."""
    if viewer.signed_in and viewer.role is not Role.UNION:
        raise ApiError(403, "complaints are filed anonymously or by a union account")
    return viewer


FilerDep = Annotated[Viewer, Depends(complaint_filer)]


def count_anonymous_filing(request: Request, filer: Viewer) -> None:
    """Count an anonymous filing against its address; 429 with Retry-After over the rate."""
    if filer.signed_in:
        return
    limiter = request.app.state.complaint_limiter
    assert isinstance(limiter, RateLimiter)
    address = request.client.host if request.client else "unknown"
    wait = limiter.hit(address)
    if wait is not None:
        raise ApiError(
            429,
            f"too many complaints from this address; try again in {wait} seconds",
            headers={"Retry-After": str(wait)},
        )


def _location(*, session: SessionDep, company: Organisation, location_id: str | None) -> str | None:
    if location_id is None:
        return None
    loc = ["body", "respondent", "production_location"]
    location = auth_queries.get_location(session=session, location_id=location_id)
    if location is None:
        raise field_error(loc, f"unknown production location '{location_id}'")
    if not access.sources_from(session=session, company_id=company.id, location_id=location.id):
        raise field_error(loc, f"{company.name} is not known to source from '{location.name}'")
    return location.id


@router.post(
    "/complaints",
    status_code=status.HTTP_201_CREATED,
    response_model=FiledOut,
    responses={
        **ACCEPTED,
        403: {"model": ErrorOut, "description": "signed in with a role that may not file"},
        429: {"model": ErrorOut, "description": "rate limited; see Retry-After"},
        503: {"model": ErrorOut, "description": "the case engine is unavailable"},
    },
)
async def file_complaint(
    body: FileComplaintInput,
    filer: FilerDep,
    request: Request,
    response: Response,
    session: SessionDep,
    client: ClientDep,
    settings: SettingsDep,
) -> FiledOut:
    """File a complaint; the answer carries the reference and, once, the access code."""
    covenant = covenant_or_422(session=session, slug=body.covenant)
    company = party_or_422(
        session=session,
        covenant=covenant.slug,
        key=body.respondent.company,
        kind="company",
        loc=["body", "respondent", "company"],
    )
    location_id = _location(
        session=session, company=company, location_id=body.respondent.production_location
    )
    # Only a filing that is about to start counts: a filer fixing their form is not limited.
    count_anonymous_filing(request, filer)
    person = body.complainant
    filing = Filing(
        kind=CaseKind.COMPLAINT,
        covenant=covenant,
        respondent=Party(
            organisation_id=company.id, name=company.name, production_location_id=location_id
        ),
        filer=Filer(
            name=person.name,
            organisation=person.organisation,
            email=str(person.email) if person.email else None,
            phone=person.phone,
            represents=person.represents,
            language=person.language,
            user_id=filer.user_id,
        ),
        complainant_organisation_id=filer.organisation_id if filer.signed_in else None,
        confidential=person.confidential,
        subject=body.subject,
        description=body.description,
        issues=body.issues,
        remedy_sought=body.remedy_sought,
        urgent=body.urgent,
    )
    return await file_case(
        session=session, client=client, settings=settings, response=response, filing=filing
    )
