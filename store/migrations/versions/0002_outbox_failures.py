"""Outbox: record a mail the SMTP server refused for good (5xx) instead of retrying it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``failed_at`` and ``error`` to the outbox."""
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("error", sa.String(length=500), nullable=True))


def downgrade() -> None:
    """Drop the failure columns again."""
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("error")
        batch.drop_column("failed_at")
