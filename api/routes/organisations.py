"""``/api/v1/organisations`` and covenant parties: administering who takes part (API.md)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from api.deps import SessionDep, SignedInDep
from api.schemas import BODY, INVALID, SIGNED_IN, ErrorOut, Responses, responses
from services import organisations as organisation_service
from services.organisations import (
    ORGANISERS,
    ContactIn,
    ContactOut,
    Kind,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    organisation_out,
)

__all__ = [
    "ORGANISERS",
    "REFUSED",
    "WRITE",
    "ContactIn",
    "ContactOut",
    "OrganisationIn",
    "OrganisationOut",
    "OrganisationPatch",
    "PartyIn",
    "organisation_out",
    "router",
]

router = APIRouter(prefix="/api/v1", tags=["administration"], responses=INVALID)

REFUSED: Responses = responses(
    {
        403: {
            "model": ErrorOut,
            "description": "only the admin (and for organisations the secretariat) "
            "administers this",
        },
    },
    SIGNED_IN,
)
WRITE: Responses = responses(REFUSED, BODY)


class OrganisationListOut(BaseModel):
    items: list[OrganisationOut]
    total: int


class PartyIn(BaseModel):
    """The organisation (id) that becomes a party to the covenant."""

    organisation: str = Field(min_length=1, max_length=64)


@router.get("/organisations", response_model=OrganisationListOut, responses=REFUSED)
def list_organisations(
    viewer: SignedInDep,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=200, description="text in name or id")] = None,
    kind: Kind | None = None,
) -> OrganisationListOut:
    """Organisations by name (the first 100), with their contacts."""
    items, total = organisation_service.list_organisations(session, viewer, q=q, kind=kind)
    return OrganisationListOut(items=items, total=total)


@router.post(
    "/organisations",
    status_code=status.HTTP_201_CREATED,
    response_model=OrganisationOut,
    responses=WRITE,
)
def create_organisation(
    body: OrganisationIn, viewer: SignedInDep, session: SessionDep
) -> OrganisationOut:
    """Add an organisation; notices to it go to its contacts (and its users)."""
    return organisation_service.create_organisation(session, viewer, body)


@router.patch(
    "/organisations/{id}",
    response_model=OrganisationOut,
    responses={**WRITE, 404: {"model": ErrorOut, "description": "no such organisation"}},
)
def change_organisation(
    id: str, body: OrganisationPatch, viewer: SignedInDep, session: SessionDep
) -> OrganisationOut:
    """Change an organisation's name, country or contacts (an imported company's, say)."""
    return organisation_service.change_organisation(session, viewer, id, body)


@router.post(
    "/covenants/{slug}/parties",
    status_code=status.HTTP_201_CREATED,
    response_model=OrganisationOut,
    responses={**WRITE, 404: {"model": ErrorOut, "description": "no such covenant"}},
)
def add_covenant_party(
    slug: str, body: PartyIn, viewer: SignedInDep, session: SessionDep
) -> OrganisationOut:
    """Make an organisation a party to the covenant (doing it twice changes nothing)."""
    return organisation_service.add_covenant_party(session, viewer, slug, body.organisation)


class ChangeOut(BaseModel):
    """One administrative change."""

    at: datetime
    user: str
    role: str
    action: str
    target: str
    detail: dict[str, Any]


class ChangesOut(BaseModel):
    items: list[ChangeOut]


@router.get("/administration/changes", response_model=ChangesOut, responses=REFUSED)
def read_changes(viewer: SignedInDep, session: SessionDep) -> ChangesOut:
    """Every administrative change, newest first (the latest 200): who, when, what."""
    return ChangesOut(
        items=[
            ChangeOut(
                at=c.at,
                user=c.username,
                role=c.role,
                action=c.action,
                target=c.target,
                detail=json.loads(c.detail),
            )
            for c in organisation_service.changes(session, viewer)
        ]
    )
