"""E-mailed complaints: ``email_drafts.sender_verified``, whether the receiving server
vouched for the sender (DKIM or SPF pass for the From's domain); a receipt goes only to a
verified sender. Drafts received before it are marked not verified (none was checked).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the column, false for the drafts already kept."""
    with op.batch_alter_table("email_drafts") as batch:
        batch.add_column(
            sa.Column("sender_verified", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("email_drafts") as batch:
        batch.drop_column("sender_verified")
