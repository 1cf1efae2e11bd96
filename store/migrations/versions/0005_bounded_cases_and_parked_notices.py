"""Cases at real size: documents recorded on the case, notices parked, outbox claims,
idempotency keys; whether the respondents may know of a case.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add documents.recorded_at, outbox.claimed_at, notices_parked and idempotency_keys."""
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("recorded_at", TS, nullable=True))
    # Uploads kept so far were on their case: until now a refused upload was deleted.
    op.execute("UPDATE documents SET recorded_at = uploaded_at")
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claimed_at", TS, nullable=True))
    with op.batch_alter_table("cases") as batch:
        batch.add_column(
            sa.Column("respondents_see", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # As domain.privacy.shown_to_respondents, from the columns (the next projection is exact).
    op.execute(
        "UPDATE cases SET respondents_see = (kind = 'dispute' OR (stage NOT IN "
        "('received', 'screening', 'signal', 'closed')) OR (stage = 'closed' AND outcome "
        "NOT IN ('referred', 'withdrawn')))"
    )
    op.create_table(
        "notices_parked",
        sa.Column("key", sa.String(length=200), primary_key=True),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("parked_at", TS, nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("retried_at", TS, nullable=True),
        sa.Column("retried_by", sa.String(length=64), nullable=True),
    )
    op.create_index("ix_notices_parked_reference", "notices_parked", ["reference"])
    op.create_table(
        "idempotency_keys",
        sa.Column("reference", sa.String(length=32), primary_key=True),
        sa.Column("caller", sa.String(length=64), primary_key=True),
        sa.Column("key", sa.String(length=200), primary_key=True),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("document_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"])


def downgrade() -> None:
    """Drop them again."""
    op.drop_index("ix_idempotency_keys_created_at", table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
    op.drop_index("ix_notices_parked_reference", table_name="notices_parked")
    op.drop_table("notices_parked")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("respondents_see")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("claimed_at")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("recorded_at")
