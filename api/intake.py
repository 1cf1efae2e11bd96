"""Filing a complaint, for the JSON API and the complaint form alike."""

from __future__ import annotations

from fastapi import Request, Response
from sqlmodel import Session
from temporalio.client import Client

from api.access import Viewer
from api.errors import ApiError, field_error
from api.filing import Filer, Filing, covenant_or_422, file_case, party_or_422
from api.ratelimit import RateLimiter
from api.schemas import FiledOut
from domain.cases import FileComplaintInput, Party
from domain.enums import CaseKind, Role
from redress.settings import Settings
from store import access, auth_queries
from store.tables import Organisation

LOCATION_LOC = ["body", "respondent", "production_location"]
MAY_NOT_FILE = "complaints are filed anonymously or by a union account"


def check_complaint_filer(viewer: Viewer) -> None:
    """403 unless the caller may file a complaint: a union user, or anonymous."""
    if viewer.signed_in and viewer.role is not Role.UNION:
        raise ApiError(403, MAY_NOT_FILE)


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


def _location(*, session: Session, company: Organisation, location_id: str | None) -> str | None:
    if location_id is None:
        return None
    location = auth_queries.get_location(session=session, location_id=location_id)
    if location is None:
        raise field_error(LOCATION_LOC, f"unknown production location '{location_id}'")
    if not access.sources_from(session=session, company_id=company.id, location_id=location.id):
        raise field_error(
            LOCATION_LOC, f"{company.name} is not known to source from '{location.name}'"
        )
    return location.id


def complaint_filing(*, session: Session, body: FileComplaintInput, filer: Viewer) -> Filing:
    """The filing of a complaint, its covenant, company and location checked (422 if not)."""
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
    person = body.complainant
    return Filing(
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


async def submit_complaint(
    *,
    body: FileComplaintInput,
    filer: Viewer,
    request: Request,
    response: Response,
    session: Session,
    client: Client,
    settings: Settings,
) -> FiledOut:
    """Check and file a complaint; 201, or 202 when the engine has not confirmed it yet."""
    check_complaint_filer(filer)
    filing = complaint_filing(session=session, body=body, filer=filer)
    # Only a filing that is about to start counts: a filer fixing their form is not limited.
    count_anonymous_filing(request, filer)
    return await file_case(
        session=session, client=client, settings=settings, response=response, filing=filing
    )
