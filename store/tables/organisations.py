"""Organisations, their contacts, covenant membership and stored covenant versions."""

from __future__ import annotations

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from store.tables.types import ID, varchar


class Organisation(SQLModel, table=True):
    """A company, union, NGO, government body, or the mechanism itself."""

    __tablename__ = "organisations"

    id: str = Field(primary_key=True, sa_type=varchar(ID))
    name: str = Field(sa_type=varchar(200), index=True)
    kind: str = Field(sa_type=varchar(16))  # company | union | ngo | government | mechanism
    country: str | None = Field(default=None, sa_type=varchar(2))
    email: str | None = Field(default=None, sa_type=varchar(254))
    language: str = Field(default="en", sa_type=varchar(16))


class OrganisationContact(SQLModel, table=True):
    """An address of an organisation that its notices go to, in the language it reads."""

    __tablename__ = "organisation_contacts"

    organisation_id: str = Field(
        primary_key=True, sa_type=varchar(ID), foreign_key="organisations.id", index=True
    )
    email: str = Field(primary_key=True, sa_type=varchar(254))
    language: str = Field(default="en", sa_type=varchar(16))


class CovenantMembership(SQLModel, table=True):
    """An organisation that is a party to a covenant."""

    __tablename__ = "covenant_memberships"

    covenant: str = Field(primary_key=True, sa_type=varchar(ID))
    organisation_id: str = Field(
        primary_key=True, sa_type=varchar(ID), foreign_key="organisations.id", index=True
    )


class CovenantVersion(SQLModel, table=True):
    """One stored version of a covenant's procedure; running cases keep theirs."""

    __tablename__ = "covenant_versions"

    slug: str = Field(primary_key=True, sa_type=varchar(ID))
    version: int = Field(primary_key=True)
    name: str = Field(sa_type=varchar(200))
    name_nl: str = Field(default="", sa_type=varchar(200))
    procedure_json: str = Field(sa_type=Text)
    steering_group_email: str | None = Field(default=None, sa_type=varchar(254))
