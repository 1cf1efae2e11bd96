"""Authenticator codes work once (the last accepted time step per user), authenticator
secrets sealed (room for the sealed form), and sliding-window rate counters (the previous
window's count and the window's length).

Secrets stored in plain text before this revision stay readable: they are sealed with the
server's key at their user's next sign-in (``services.two_factor``). The migration itself
holds no key, so it cannot seal them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEALED = 255  # "sealed:<key id>:" and 80 characters of nonce, ciphertext and tag


def upgrade() -> None:
    """Widen the secrets, add the last step and the sliding-window columns."""
    with op.batch_alter_table("users") as batch:
        for column in ("totp_secret", "totp_pending"):
            batch.alter_column(
                column,
                existing_type=sa.String(length=64),
                type_=sa.String(length=SEALED),
                existing_nullable=True,
            )
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("rate_counters") as batch:
        batch.add_column(
            sa.Column("previous", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch.add_column(
            sa.Column("window_seconds", sa.Float(), nullable=False, server_default=sa.text("0"))
        )


def downgrade() -> None:
    """Back to fixed windows and plain secrets. The earlier code cannot open a sealed
    secret: those users set up two-factor sign-in again."""
    with op.batch_alter_table("rate_counters") as batch:
        batch.drop_column("window_seconds")
        batch.drop_column("previous")
    users = sa.table(
        "users", sa.column("totp_secret", sa.String()), sa.column("totp_pending", sa.String())
    )
    for name in ("totp_secret", "totp_pending"):
        op.execute(users.update().where(users.c[name].like("sealed:%")).values({name: None}))
    with op.batch_alter_table("users") as batch:
        batch.drop_column("totp_last_step")
        for name in ("totp_secret", "totp_pending"):
            batch.alter_column(
                name,
                existing_type=sa.String(length=SEALED),
                type_=sa.String(length=64),
                existing_nullable=True,
            )
