"""Accounts: one-time invitation and reset tokens, two-factor secrets, sign-ins that may
only set up two-factor, and the covenants each member of staff works on.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAFF = ("secretariat", "chair", "committee", "mediator")


def upgrade() -> None:
    """Add the tables and columns; staff so far keep seeing every covenant's cases."""
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("totp_pending", sa.String(length=64), nullable=True))
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(
            sa.Column("enrolment_only", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "account_tokens",
        sa.Column("token_hash", sa.String(length=64), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_account_tokens_user_id", "account_tokens", ["user_id"])
    op.create_index("ix_account_tokens_expires_at", "account_tokens", ["expires_at"])
    op.create_table(
        "staff_covenants",
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("covenant", sa.String(length=64), primary_key=True),
    )
    op.create_index("ix_staff_covenants_user_id", "staff_covenants", ["user_id"])
    roles = ", ".join(f"'{role}'" for role in STAFF)
    op.execute(
        "INSERT INTO staff_covenants (user_id, covenant) "
        "SELECT DISTINCT u.id, c.slug FROM users u CROSS JOIN covenant_versions c "
        f"WHERE u.role IN ({roles})"
    )


def downgrade() -> None:
    """Drop them again."""
    op.drop_index("ix_staff_covenants_user_id", table_name="staff_covenants")
    op.drop_table("staff_covenants")
    op.drop_index("ix_account_tokens_expires_at", table_name="account_tokens")
    op.drop_index("ix_account_tokens_user_id", table_name="account_tokens")
    op.drop_table("account_tokens")
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("enrolment_only")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("totp_pending")
        batch.drop_column("totp_secret")
