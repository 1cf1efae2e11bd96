"""``POST /api/v1/disputes``: a covenant party brings a dispute against another party."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Response, status

from api.deps import ClientDep, SessionDep, SettingsDep, SignedInDep
from api.errors import ApiError, field_error
from api.filing import ACCEPTED, covenant_or_422, file_case, new_reference
from api.schemas import INVALID, ErrorOut, FiledOut
from domain.cases import CaseStart, FileDisputeInput, Party
from domain.enums import CaseKind
from redress.security import pseudonym
from store import queries
from store.tables import Complainant

router = APIRouter(prefix="/api/v1", tags=["disputes"], responses=INVALID)


@router.post(
    "/disputes",
    status_code=status.HTTP_201_CREATED,
    response_model=FiledOut,
    responses={
        **ACCEPTED,
        401: {"model": ErrorOut, "description": "not signed in"},
        403: {"model": ErrorOut, "description": "the caller's organisation is not a party"},
        503: {"model": ErrorOut, "description": "the case engine is unavailable"},
    },
)
async def file_dispute(
    body: FileDisputeInput,
    viewer: SignedInDep,
    session: SessionDep,
    client: ClientDep,
    settings: SettingsDep,
    response: Response,
) -> FiledOut:
    """File a dispute against another party to the same covenant."""
    covenant = covenant_or_422(session=session, slug=body.covenant)
    own_id = viewer.organisation_id
    if own_id is None or not queries.is_covenant_party(
        session=session, covenant=covenant.slug, organisation_id=own_id
    ):
        raise ApiError(403, f"only a party to the covenant '{covenant.slug}' may bring a dispute")
    own = queries.get_organisation(session=session, organisation_id=own_id)
    assert own is not None
    loc = ["body", "respondent", "organisation"]
    other = queries.find_organisation(session=session, key=body.respondent.organisation)
    if other is None or not queries.is_covenant_party(
        session=session, covenant=covenant.slug, organisation_id=other.id
    ):
        raise field_error(
            loc,
            f"unknown organisation '{body.respondent.organisation}': "
            f"not a party to the covenant '{covenant.slug}'",
        )
    if other.id == own.id:
        raise field_error(loc, "a party cannot bring a dispute against itself")
    now = datetime.now(UTC)
    reference = new_reference(session=session, covenant=covenant, now=now)
    start = CaseStart(
        reference=reference,
        kind=CaseKind.DISPUTE,
        covenant=covenant.slug,
        covenant_name=covenant.name,
        procedure=covenant.procedure,
        confidential=False,
        pseudonym=pseudonym(reference),
        complainant_organisation_id=own.id,
        respondents=[Party(organisation_id=other.id, name=other.name)],
        subject=body.subject,
        description=body.description,
        remedy_sought=body.remedy_sought,
        filed_at=now,
    )
    intake = Complainant(
        reference=reference,
        name=viewer.display_name or own.name,
        organisation=own.name,
        email=viewer.email,
        language=body.language,
        confidential=False,
        filer_user_id=viewer.user_id,
    )
    filed = await file_case(
        session=session, client=client, settings=settings, start=start, complainant=intake
    )
    if not filed.confirmed:
        response.status_code = status.HTTP_202_ACCEPTED
    return filed.out
