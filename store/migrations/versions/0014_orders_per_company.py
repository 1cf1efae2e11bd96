"""Remediation orders per company: ``case_orders.respondent``, the organisation an order binds.

Null for orders of cases filed before orders named their respondent (they bind every
respondent of the case, as they did).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``respondent`` (the respondent organisation an order binds, or null for all)."""
    with op.batch_alter_table("case_orders") as batch:
        batch.add_column(sa.Column("respondent", sa.String(length=64), nullable=True))


def downgrade() -> None:
    """Drop ``respondent`` again."""
    with op.batch_alter_table("case_orders") as batch:
        batch.drop_column("respondent")
