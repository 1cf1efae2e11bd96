"""Organisation contacts (every address an organisation's notices go to, with its
language), the record of administrative changes, and the members recused from each case.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create organisation_contacts (from each organisation's one address) and admin_changes."""
    op.create_table(
        "organisation_contacts",
        sa.Column(
            "organisation_id",
            sa.String(length=64),
            sa.ForeignKey("organisations.id"),
            primary_key=True,
        ),
        sa.Column("email", sa.String(length=254), primary_key=True),
        sa.Column("language", sa.String(length=16), nullable=False),
    )
    op.create_index(
        "ix_organisation_contacts_organisation_id", "organisation_contacts", ["organisation_id"]
    )
    op.execute(
        "INSERT INTO organisation_contacts (organisation_id, email, language) "
        "SELECT id, email, language FROM organisations WHERE email IS NOT NULL"
    )
    op.create_table(
        "admin_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
    )
    op.create_index("ix_admin_changes_at", "admin_changes", ["at"])
    op.create_table(
        "case_recusals",
        sa.Column(
            "reference", sa.String(length=32), sa.ForeignKey("cases.reference"), primary_key=True
        ),
        sa.Column("member", sa.String(length=64), primary_key=True),
    )
    op.create_index("ix_case_recusals_member", "case_recusals", ["member"])
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT reference, snapshot FROM cases")).all()
    for reference, snapshot in rows:  # the recusals so far are in each case's snapshot
        for member in {r["member"] for r in json.loads(snapshot).get("recusals", [])}:
            bind.execute(
                sa.text("INSERT INTO case_recusals (reference, member) VALUES (:r, :m)"),
                {"r": reference, "m": member},
            )


def downgrade() -> None:
    """Drop them again."""
    op.drop_index("ix_case_recusals_member", table_name="case_recusals")
    op.drop_table("case_recusals")
    op.drop_index("ix_admin_changes_at", table_name="admin_changes")
    op.drop_table("admin_changes")
    op.drop_index("ix_organisation_contacts_organisation_id", table_name="organisation_contacts")
    op.drop_table("organisation_contacts")
