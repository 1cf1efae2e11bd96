"""The public register and the lessons log: ``register_entries`` (a case's published
summary, as written), ``redaction_terms`` (per case or per covenant), ``naming_consents``
(whether the complainant agreed to be named) and ``lessons`` (the committee's lessons).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    """Create the four tables."""
    op.create_table(
        "register_entries",
        sa.Column("reference", sa.String(length=32), sa.ForeignKey("cases.reference")),
        sa.Column("covenant", sa.String(length=64), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("named", sa.Boolean(), nullable=False),
        _when("published_at"),
        sa.Column("published_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("reference"),
    )
    op.create_index("ix_register_entries_covenant", "register_entries", ["covenant"])
    op.create_index("ix_register_entries_published_at", "register_entries", ["published_at"])
    op.create_table(
        "redaction_terms",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("covenant", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=True),
        sa.Column("term", sa.String(length=200), nullable=False),
        _when("added_at"),
        sa.Column("added_by", sa.String(length=64), nullable=False),
    )
    op.create_index("ix_redaction_terms_covenant", "redaction_terms", ["covenant"])
    op.create_index("ix_redaction_terms_reference", "redaction_terms", ["reference"])
    op.create_table(
        "naming_consents",
        sa.Column("reference", sa.String(length=32), sa.ForeignKey("cases.reference")),
        sa.Column("agreed", sa.Boolean(), nullable=False),
        _when("at"),
        sa.PrimaryKeyConstraint("reference"),
    )
    op.create_table(
        "lessons",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("covenant", sa.String(length=64), nullable=False),
        sa.Column("addressed_to", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _when("recorded_at"),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
    )
    op.create_index("ix_lessons_reference", "lessons", ["reference"])
    op.create_index("ix_lessons_covenant", "lessons", ["covenant"])
    op.create_index("ix_lessons_recorded_at", "lessons", ["recorded_at"])


def downgrade() -> None:
    """Drop them again (the register and the lessons with them)."""
    for table in ("lessons", "naming_consents", "redaction_terms", "register_entries"):
        op.drop_table(table)
