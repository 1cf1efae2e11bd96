"""Idempotent filing: the Idempotency-Key a caller filed a case with, and its first answer.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create filing_keys."""
    op.create_table(
        "filing_keys",
        sa.Column("caller", sa.String(length=64), primary_key=True),
        sa.Column("key_hash", sa.String(length=64), primary_key=True),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=True),
        sa.Column("code_cipher", sa.String(length=200), nullable=True),
        sa.Column("stage", sa.String(length=32), nullable=True),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_filing_keys_created_at", "filing_keys", ["created_at"])


def downgrade() -> None:
    """Drop it again."""
    op.drop_index("ix_filing_keys_created_at", table_name="filing_keys")
    op.drop_table("filing_keys")
