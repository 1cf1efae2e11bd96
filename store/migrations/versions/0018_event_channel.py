"""How each event came: ``case_events.channel`` (web, api, email or sms).

Null for the system's own events (deadlines, stage changes) and for events recorded before
channels were.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``channel`` (the way the event's action or filing came, or null)."""
    with op.batch_alter_table("case_events") as batch:
        batch.add_column(sa.Column("channel", sa.String(length=8), nullable=True))


def downgrade() -> None:
    """Drop ``channel`` again."""
    with op.batch_alter_table("case_events") as batch:
        batch.drop_column("channel")
