"""``/api/v1/organisations`` and covenant parties: administering who takes part (API.md)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Literal

import pycountry
from fastapi import APIRouter, Query, status
from pydantic import BaseModel, EmailStr, Field, field_validator
from sqlmodel import Session

from api.deps import SessionDep, SignedInDep
from api.schemas import INVALID, ErrorOut
from domain.cases import LANGUAGE_PATTERN
from domain.enums import Role
from domain.problems import NotFound, NotPermitted, invalid_field
from services.access import Viewer
from store import covenants, organisations
from store.tables import Organisation

router = APIRouter(prefix="/api/v1", tags=["administration"], responses=INVALID)

Kind = Literal["company", "union", "ngo", "business_association", "government", "mechanism"]
ORGANISERS = frozenset({Role.ADMIN, Role.SECRETARIAT})
REFUSED: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "not signed in"},
    403: {
        "model": ErrorOut,
        "description": "only the admin (and for organisations the secretariat) administers this",
    },
}


class ContactIn(BaseModel):
    """An address an organisation's notices go to, and the language it reads."""

    email: EmailStr
    language: str = Field(default="en", pattern=LANGUAGE_PATTERN)


class _Country(BaseModel):
    country: str | None = Field(default=None, description="ISO 3166 alpha-2")

    @field_validator("country")
    @classmethod
    def _iso(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if pycountry.countries.get(alpha_2=value.upper()) is None:
            raise ValueError(f"'{value}' is not an ISO 3166 alpha-2 country code")
        return value.upper()


class OrganisationIn(_Country):
    """A new organisation."""

    name: str = Field(min_length=2, max_length=200)
    kind: Kind
    contacts: list[ContactIn] = Field(default_factory=list, max_length=20)


class OrganisationPatch(_Country):
    """What to change about an organisation; ``contacts`` replaces them all."""

    name: str | None = Field(default=None, min_length=2, max_length=200)
    contacts: list[ContactIn] | None = Field(default=None, max_length=20)


class ContactOut(BaseModel):
    """An address as stored (an older one, say ``…@x.localhost``, is shown as it is)."""

    email: str
    language: str


class OrganisationOut(BaseModel):
    """An organisation and the addresses its notices go to."""

    id: str
    name: str
    kind: str
    country: str | None
    contacts: list[ContactOut]


class OrganisationListOut(BaseModel):
    items: list[OrganisationOut]
    total: int


class PartyIn(BaseModel):
    """The organisation (id) that becomes a party to the covenant."""

    organisation: str = Field(min_length=1, max_length=64)


def _organiser(viewer: Viewer, roles: frozenset[Role] = ORGANISERS) -> None:
    if viewer.role not in roles:
        who = " or ".join(sorted(r.value for r in roles))
        raise NotPermitted(f"only the {who} administers organisations and covenant parties")


def organisation_out(session: Session, organisation: Organisation) -> OrganisationOut:
    """The organisation with its contacts, as the API answers it."""
    contacts = organisations.organisation_contacts(session=session, organisation_id=organisation.id)
    return OrganisationOut(
        id=organisation.id,
        name=organisation.name,
        kind=organisation.kind,
        country=organisation.country,
        contacts=[ContactOut(email=c.email, language=c.language) for c in contacts],
    )


def _contacts(contacts: list[ContactIn]) -> list[tuple[str, str]]:
    return [(str(c.email), c.language) for c in contacts]


def _record(
    session: SessionDep, viewer: Viewer, action: str, target: str, detail: dict[str, Any]
) -> None:
    organisations.record_change(
        session=session,
        username=viewer.username or "",
        role=str(viewer.role),
        action=action,
        target=target,
        detail=detail,
    )


@router.get("/organisations", response_model=OrganisationListOut, responses=REFUSED)
def list_organisations(
    viewer: SignedInDep,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=200, description="text in name or id")] = None,
    kind: Kind | None = None,
) -> OrganisationListOut:
    """Organisations by name (the first 100), with their contacts."""
    _organiser(viewer)
    rows, total = organisations.list_organisations(session=session, q=q, kind=kind)
    return OrganisationListOut(items=[organisation_out(session, o) for o in rows], total=total)


@router.post(
    "/organisations",
    status_code=status.HTTP_201_CREATED,
    response_model=OrganisationOut,
    responses=REFUSED,
)
def create_organisation(
    body: OrganisationIn, viewer: SignedInDep, session: SessionDep
) -> OrganisationOut:
    """Add an organisation; notices to it go to its contacts (and its users)."""
    _organiser(viewer)
    same = organisations.named(session=session, name=body.name)
    if same is not None:
        raise invalid_field(("body", "name"), f"'{same.name}' exists already, as '{same.id}'")
    created = organisations.create(
        session=session,
        name=body.name,
        kind=body.kind,
        country=body.country,
        contacts=_contacts(body.contacts),
    )
    _record(session, viewer, "organisation_created", created.id, body.model_dump(mode="json"))
    session.commit()
    return organisation_out(session, created)


@router.patch(
    "/organisations/{id}",
    response_model=OrganisationOut,
    responses={**REFUSED, 404: {"model": ErrorOut, "description": "no such organisation"}},
)
def change_organisation(
    id: str, body: OrganisationPatch, viewer: SignedInDep, session: SessionDep
) -> OrganisationOut:
    """Change an organisation's name, country or contacts (an imported company's, say)."""
    _organiser(viewer)
    organisation = organisations.get_organisation(session=session, organisation_id=id)
    if organisation is None:
        raise NotFound(f"no organisation '{id}'")
    if body.name is not None:
        same = organisations.named(session=session, name=body.name)
        if same is not None and same.id != id:
            raise invalid_field(("body", "name"), f"'{same.name}' exists already, as '{same.id}'")
        organisation.name = body.name.strip()
    if "country" in body.model_fields_set:
        organisation.country = body.country
    session.add(organisation)
    if body.contacts is not None:
        organisations.set_contacts(
            session=session, organisation_id=id, contacts=_contacts(body.contacts)
        )
    changed = body.model_dump(mode="json", exclude_unset=True)
    _record(session, viewer, "organisation_changed", id, changed)
    session.commit()
    return organisation_out(session, organisation)


@router.post(
    "/covenants/{slug}/parties",
    status_code=status.HTTP_201_CREATED,
    response_model=OrganisationOut,
    responses={**REFUSED, 404: {"model": ErrorOut, "description": "no such covenant"}},
)
def add_covenant_party(
    slug: str, body: PartyIn, viewer: SignedInDep, session: SessionDep
) -> OrganisationOut:
    """Make an organisation a party to the covenant (doing it twice changes nothing)."""
    _organiser(viewer, frozenset({Role.ADMIN}))
    if covenants.latest_covenant(session=session, slug=slug) is None:
        raise NotFound(f"no covenant '{slug}'")
    organisation = organisations.get_organisation(
        session=session, organisation_id=body.organisation
    )
    if organisation is None:
        raise invalid_field(("body", "organisation"), f"no organisation '{body.organisation}'")
    if organisations.add_party(session=session, covenant=slug, organisation_id=organisation.id):
        _record(session, viewer, "covenant_party_added", organisation.id, {"covenant": slug})
    session.commit()
    return organisation_out(session, organisation)


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
    _organiser(viewer, frozenset({Role.ADMIN}))
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
            for c in organisations.changes(session=session)
        ]
    )
