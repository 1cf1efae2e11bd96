"""Confidential listings: a company's supplier list imported as confidential.

``location_sourcing.confidential`` marks a company's listing of a location as shared with
the secretariat only; ``production_locations.confidential`` is true while only confidential
listings name the location (kept by the import), so that public search filters on a column
of the row it reads rather than looking up each row's listings. Existing rows are public.

On SQLite, adding a column does not rebuild the table, so the search index's triggers on
``production_locations`` (migration 0012) stay in place.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the confidential flags, false for every row there is."""
    op.add_column(
        "location_sourcing",
        sa.Column("confidential", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "production_locations",
        sa.Column("confidential", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    """Drop the flags: every listing is public again (the earlier code knows no other).

    A plain ``DROP COLUMN`` (SQLite 3.35+), not a batch copy, which would drop the search
    index's triggers with the table it rebuilds."""
    op.drop_column("production_locations", "confidential")
    op.drop_column("location_sourcing", "confidential")
