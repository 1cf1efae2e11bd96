"""Organisations, their contacts and covenant parties: who takes part in a mechanism.
Shared by the JSON API, the admin pages and the ``redress`` command."""

from __future__ import annotations

from typing import Any, Literal, get_args

import pycountry
from pydantic import BaseModel, EmailStr, Field, field_validator
from sqlmodel import Session

from domain.cases import LANGUAGE_PATTERN
from domain.enums import Role
from domain.problems import NotFound, NotPermitted, invalid_field
from services.access import Viewer
from store import covenants, organisations
from store.security_tables import AdminChange
from store.tables import Organisation

Kind = Literal["company", "union", "ngo", "business_association", "government", "mechanism"]
KINDS: tuple[str, ...] = get_args(Kind)
ORGANISERS = frozenset({Role.ADMIN, Role.SECRETARIAT})
ADMIN_ONLY = frozenset({Role.ADMIN})


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


def require_organiser(viewer: Viewer, roles: frozenset[Role] = ORGANISERS) -> None:
    """NotPermitted unless the viewer administers organisations (or, with ``roles``, that)."""
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
    session: Session, viewer: Viewer, action: str, target: str, detail: dict[str, Any]
) -> None:
    organisations.record_change(
        session=session,
        username=viewer.username or "",
        role=str(viewer.role),
        action=action,
        target=target,
        detail=detail,
    )


def list_organisations(
    session: Session, viewer: Viewer, *, q: str | None = None, kind: str | None = None
) -> tuple[list[OrganisationOut], int]:
    """Organisations by name (the first 100), with their contacts, and how many match."""
    require_organiser(viewer)
    rows, total = organisations.list_organisations(session=session, q=q, kind=kind)
    return [organisation_out(session, o) for o in rows], total


def create_organisation(session: Session, viewer: Viewer, body: OrganisationIn) -> OrganisationOut:
    """Add an organisation with its contacts; the change is recorded and committed."""
    require_organiser(viewer)
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


def change_organisation(
    session: Session, viewer: Viewer, id: str, body: OrganisationPatch
) -> OrganisationOut:
    """Change an organisation's name, country or contacts; recorded and committed."""
    require_organiser(viewer)
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


def add_covenant_party(
    session: Session, viewer: Viewer, covenant: str, organisation_id: str
) -> OrganisationOut:
    """Make an organisation a party to the covenant (twice changes nothing); the admin's."""
    require_organiser(viewer, ADMIN_ONLY)
    if covenants.latest_covenant(session=session, slug=covenant) is None:
        raise NotFound(f"no covenant '{covenant}'")
    organisation = organisations.get_organisation(session=session, organisation_id=organisation_id)
    if organisation is None:
        raise invalid_field(("body", "organisation"), f"no organisation '{organisation_id}'")
    if organisations.add_party(session=session, covenant=covenant, organisation_id=organisation.id):
        _record(session, viewer, "covenant_party_added", organisation.id, {"covenant": covenant})
    session.commit()
    return organisation_out(session, organisation)


def changes(session: Session, viewer: Viewer) -> list[AdminChange]:
    """Every administrative change, newest first (the latest 200); the admin's only."""
    require_organiser(viewer, ADMIN_ONLY)
    return list(organisations.changes(session=session))
