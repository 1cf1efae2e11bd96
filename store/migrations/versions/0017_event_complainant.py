"""Whose an event is on a case with several complainants: ``case_events.complainant``.

The number of the complainant record (1: the filer; the others merged in) that wrote it or
that it is for; null for every other event, and for events of cases filed before.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``complainant`` (the complainant record an event is of or for, or null)."""
    with op.batch_alter_table("case_events") as batch:
        batch.add_column(sa.Column("complainant", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Drop ``complainant`` again."""
    with op.batch_alter_table("case_events") as batch:
        batch.drop_column("complainant")
