"""Events and documents that concern one respondent company only: ``party``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("case_events", "documents")


def upgrade() -> None:
    """Add ``party`` (the respondent organisation an item is for, or null for all)."""
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("party", sa.String(length=64), nullable=True))


def downgrade() -> None:
    """Drop ``party`` again."""
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("party")
