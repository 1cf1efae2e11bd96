"""Several complainants per case: ``complainants`` keyed by (reference, number).

Number 1 is the complainant who filed (every existing row). A case that absorbed another
(``merge_into``) gets a row for the other case's complainant, with ``merged_from`` (the
absorbed case) and the ``pseudonym`` it had there.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``number`` to the primary key, ``merged_from`` and ``pseudonym``."""
    with op.batch_alter_table("complainants", recreate="always") as batch:
        batch.add_column(
            sa.Column("number", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )
        batch.add_column(sa.Column("merged_from", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("pseudonym", sa.String(length=64), nullable=True))
        batch.create_index("ix_complainants_merged_from", ["merged_from"])
    # Batch mode copies the table with the new key; SQLAlchemy warns that the copy's key
    # differs from the reflected one, which is the point.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Table '_alembic_tmp_complainants' specifies")
        with op.batch_alter_table("complainants", recreate="always") as batch:
            batch.alter_column("number", server_default=None)
            batch.create_primary_key("complainants_pkey", ["reference", "number"])


def downgrade() -> None:
    """Keep the filers only and key the table by reference again."""
    op.execute(sa.text("DELETE FROM complainants WHERE number <> 1"))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Table '_alembic_tmp_complainants' specifies")
        with op.batch_alter_table("complainants", recreate="always") as batch:
            batch.drop_index("ix_complainants_merged_from")
            batch.drop_column("pseudonym")
            batch.drop_column("merged_from")
            batch.create_primary_key("complainants_pkey", ["reference"])
            batch.drop_column("number")
