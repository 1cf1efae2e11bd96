"""``POST /api/v1/disputes``: a covenant party brings a dispute against another party."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from api.deps import ClientDep, SessionDep, SettingsDep, SignedInDep
from api.filing import ACCEPTED, Filer, Filing, covenant_or_422, file_case, party_or_422
from api.schemas import INVALID, ErrorOut, FiledOut
from domain.cases import Party
from domain.enums import CaseKind
from domain.filing import FileDisputeInput
from domain.problems import NotPermitted, invalid_field
from store import queries

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
    response: Response,
    session: SessionDep,
    client: ClientDep,
    settings: SettingsDep,
) -> FiledOut:
    """File a dispute against another party to the same covenant."""
    covenant = covenant_or_422(session=session, slug=body.covenant)
    own_id = viewer.organisation_id
    if own_id is None or not queries.is_covenant_party(
        session=session, covenant=covenant.slug, organisation_id=own_id
    ):
        raise NotPermitted(f"only a party to the covenant '{covenant.slug}' may bring a dispute")
    own = queries.get_organisation(session=session, organisation_id=own_id)
    assert own is not None
    loc = ["body", "respondent", "organisation"]
    other = party_or_422(
        session=session, covenant=covenant.slug, key=body.respondent.organisation, loc=loc
    )
    if other.id == own.id:
        raise invalid_field(loc, "a party cannot bring a dispute against itself")
    filing = Filing(
        kind=CaseKind.DISPUTE,
        covenant=covenant,
        respondents=[Party(organisation_id=other.id, name=other.name)],
        filer=Filer(
            name=viewer.display_name or own.name,
            organisation=own.name,
            email=viewer.email,
            language=body.language,
            user_id=viewer.user_id,
        ),
        complainant_organisation_id=own.id,
        subject=body.subject,
        description=body.description,
        remedy_sought=body.remedy_sought,
    )
    return await file_case(
        session=session, client=client, settings=settings, response=response, filing=filing
    )
