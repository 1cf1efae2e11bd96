"""Reply addresses: who each ``reply+<token>@…`` address of a notice was issued to.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create reply_addresses."""
    op.create_table(
        "reply_addresses",
        sa.Column("id", sa.String(length=32), primary_key=True),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.String(length=64), nullable=True),
        sa.Column("complainant", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("side", sa.String(length=16), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_reply_addresses_reference_email", "reply_addresses", ["reference", "email"])


def downgrade() -> None:
    """Drop it again."""
    op.drop_index("ix_reply_addresses_reference_email", table_name="reply_addresses")
    op.drop_table("reply_addresses")
