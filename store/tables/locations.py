"""Production locations and which companies' lists name them."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from store.tables.types import ID, UtcDateTime, varchar


class ProductionLocation(SQLModel, table=True):
    """A factory, quarry or workshop in a supply chain."""

    __tablename__ = "production_locations"

    id: str = Field(primary_key=True, sa_type=varchar(ID))
    name: str = Field(sa_type=varchar(300), index=True)
    address: str = Field(default="", sa_type=varchar(500))
    country: str = Field(sa_type=varchar(2), index=True)  # ISO 3166 alpha-2
    # domain.supplier_lists.match_key: the same factory in any list maps to one row.
    match_key: str = Field(sa_type=varchar(820), unique=True, index=True)
    # domain.supplier_lists.search_text: folded name (without legal form) and address.
    search_text: str = Field(sa_type=varchar(820))
    # True while only confidential listings name it: then public search never finds it.
    confidential: bool = False


class LocationSourcing(SQLModel, table=True):
    """A company that sources from a production location under a covenant."""

    __tablename__ = "location_sourcing"

    location_id: str = Field(
        primary_key=True, sa_type=varchar(ID), foreign_key="production_locations.id"
    )
    company_id: str = Field(
        primary_key=True, sa_type=varchar(ID), foreign_key="organisations.id", index=True
    )
    covenant: str = Field(primary_key=True, sa_type=varchar(ID))
    # False once the company's latest list no longer names the location.
    listed: bool = True
    listed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    delisted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # Shared with the secretariat only (an associate member's list): never shown to the
    # public or to other companies.
    confidential: bool = False
