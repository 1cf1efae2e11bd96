"""``GET /api/v1/covenants``: the covenants, their parties and their procedures (public)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlmodel import Session

from api.deps import SessionDep
from api.schemas import ErrorOut
from domain.enums import DecidingBody
from domain.problems import NotFound
from domain.procedure import Covenant, Procedure
from store import covenants, organisations

router = APIRouter(prefix="/api/v1", tags=["covenants"])


class PartyOut(BaseModel):
    """An organisation that is party to the covenant."""

    id: str
    name: str
    kind: str


class CovenantOut(BaseModel):
    """A covenant with its current procedure; new cases follow it, running cases keep theirs."""

    slug: str
    name: str
    name_nl: str
    version: int
    versions: list[int]
    deciding_body: DecidingBody
    procedure: Procedure
    parties: list[PartyOut]


def _present(session: Session, covenant: Covenant) -> CovenantOut:
    return CovenantOut(
        slug=covenant.slug,
        name=covenant.name,
        name_nl=covenant.name_nl,
        version=covenant.procedure.version,
        versions=covenants.covenant_version_numbers(session=session, slug=covenant.slug),
        deciding_body=covenant.procedure.deciding_body,
        procedure=covenant.procedure,
        parties=[
            PartyOut(id=org.id, name=org.name, kind=org.kind)
            for org in organisations.covenant_parties(session=session, covenant=covenant.slug)
        ],
    )


@router.get("/covenants", response_model=list[CovenantOut])
def list_covenants(session: SessionDep) -> list[CovenantOut]:
    """Every covenant with its parties, mechanism and current procedure version."""
    return [_present(session, c) for c in covenants.list_covenants(session=session)]


@router.get(
    "/covenants/{slug}",
    response_model=CovenantOut,
    responses={404: {"model": ErrorOut, "description": "no such covenant"}},
)
def read_covenant(slug: str, session: SessionDep) -> CovenantOut:
    """One covenant with its parties, mechanism and procedure."""
    covenant = covenants.latest_covenant(session=session, slug=slug)
    if covenant is None:
        raise NotFound(f"no covenant '{slug}'")
    return _present(session, covenant)
