"""Location registry: match and search keys on locations, listing history on sourcing.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from domain.supplier_lists import match_key, search_text
from store.tables import UtcDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the keys (filled in for existing rows) and the listing columns."""
    with op.batch_alter_table("production_locations") as batch:
        batch.add_column(sa.Column("match_key", sa.String(length=820), nullable=True))
        batch.add_column(sa.Column("search_text", sa.String(length=820), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, name, address, country FROM production_locations"))
    for row in rows.fetchall():
        bind.execute(
            sa.text(
                "UPDATE production_locations SET match_key = :k, search_text = :s WHERE id = :i"
            ),
            {
                "k": match_key(row.name, row.address, row.country),
                "s": search_text(row.name, row.address),
                "i": row.id,
            },
        )
    with op.batch_alter_table("production_locations") as batch:
        batch.alter_column("match_key", existing_type=sa.String(length=820), nullable=False)
        batch.alter_column("search_text", existing_type=sa.String(length=820), nullable=False)
        batch.create_index("ix_production_locations_match_key", ["match_key"], unique=True)
    with op.batch_alter_table("location_sourcing") as batch:
        batch.add_column(
            sa.Column("listed", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(sa.Column("listed_at", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("delisted_at", UtcDateTime(), nullable=True))


def downgrade() -> None:
    """Drop the registry columns."""
    with op.batch_alter_table("location_sourcing") as batch:
        batch.drop_column("delisted_at")
        batch.drop_column("listed_at")
        batch.drop_column("listed")
    with op.batch_alter_table("production_locations") as batch:
        batch.drop_index("ix_production_locations_match_key")
        batch.drop_column("search_text")
        batch.drop_column("match_key")
