"""Notices by SMS: the complainant's choice (``complainants.notices``, e-mail or sms), its
number looked up by an inbound text (an index on ``complainants.phone``), and the texts sent
(``sms_outbox``, one row per text so a retry sends none twice).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the choice and the index, and create ``sms_outbox``."""
    with op.batch_alter_table("complainants") as batch:
        batch.add_column(
            sa.Column("notices", sa.String(length=8), nullable=False, server_default="email")
        )
        batch.create_index("ix_complainants_phone", ["phone"])
    op.create_table(
        "sms_outbox",
        sa.Column("key", sa.String(length=255), primary_key=True),
        sa.Column("reference", sa.String(length=32), nullable=True),
        sa.Column("recipient", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("provider_id", sa.String(length=64), nullable=True),
    )
    op.create_index("ix_sms_outbox_reference", "sms_outbox", ["reference"])


def downgrade() -> None:
    """Drop ``sms_outbox``, the index and the choice again."""
    op.drop_index("ix_sms_outbox_reference", table_name="sms_outbox")
    op.drop_table("sms_outbox")
    with op.batch_alter_table("complainants") as batch:
        batch.drop_index("ix_complainants_phone")
        batch.drop_column("notices")
