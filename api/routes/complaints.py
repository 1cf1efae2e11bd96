"""``POST /api/v1/complaints``: anyone (rate limited) or a union files a complaint."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from api.access import Viewer
from api.deps import ClientDep, SessionDep, SettingsDep, ViewerDep
from api.errors import ApiError, field_error
from api.filing import ACCEPTED, covenant_or_422, file_case, new_reference
from api.ratelimit import RateLimiter
from api.schemas import INVALID, ErrorOut, FiledOut
from domain.cases import CaseStart, FileComplaintInput, Party
from domain.enums import CaseKind, Role
from redress.security import pseudonym
from store import access, auth_queries
from store.tables import Complainant, Organisation

router = APIRouter(prefix="/api/v1", tags=["complaints"], responses=INVALID)


def complaint_filer(request: Request, viewer: ViewerDep) -> Viewer:
    """The caller if they may file: a union user, or an anonymous caller within the rate."""
    if viewer.signed_in:
        if viewer.role is not Role.UNION:
            raise ApiError(403, "complaints are filed anonymously or by a union account")
        return viewer
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
    return viewer


FilerDep = Annotated[Viewer, Depends(complaint_filer)]


def _company(*, session: SessionDep, covenant: str, key: str) -> Organisation:
    wanted = key.strip().lower()
    for company in access.covenant_companies(session=session, covenant=covenant):
        if wanted in (company.id.lower(), company.name.strip().lower()):
            return company
    raise field_error(
        ["body", "respondent", "company"],
        f"unknown company '{key}': not a company party to the covenant '{covenant}'",
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
    session: SessionDep,
    client: ClientDep,
    settings: SettingsDep,
    response: Response,
) -> FiledOut:
    """File a complaint; the answer carries the reference and, once, the access code."""
    covenant = covenant_or_422(session=session, slug=body.covenant)
    company = _company(session=session, covenant=covenant.slug, key=body.respondent.company)
    location_id = _location(
        session=session, company=company, location_id=body.respondent.production_location
    )
    now = datetime.now(UTC)
    reference = new_reference(session=session, covenant=covenant, now=now)
    person = body.complainant
    start = CaseStart(
        reference=reference,
        kind=CaseKind.COMPLAINT,
        covenant=covenant.slug,
        covenant_name=covenant.name,
        procedure=covenant.procedure,
        confidential=person.confidential,
        pseudonym=pseudonym(reference),
        complainant_organisation_id=filer.organisation_id if filer.signed_in else None,
        respondents=[
            Party(organisation_id=company.id, name=company.name, production_location_id=location_id)
        ],
        subject=body.subject,
        description=body.description,
        issues=body.issues,
        remedy_sought=body.remedy_sought,
        urgent=body.urgent,
        filed_at=now,
    )
    intake = Complainant(
        reference=reference,
        name=person.name,
        organisation=person.organisation,
        email=str(person.email) if person.email else None,
        phone=person.phone,
        represents=person.represents,
        language=person.language,
        confidential=person.confidential,
        filer_user_id=filer.user_id,
    )
    filed = await file_case(
        session=session, client=client, settings=settings, start=start, complainant=intake
    )
    if not filed.confirmed:
        response.status_code = status.HTTP_202_ACCEPTED
    return filed.out
