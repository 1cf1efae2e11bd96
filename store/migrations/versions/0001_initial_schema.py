"""Initial schema of the read model.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Revisions are frozen: plain SQLAlchemy types, nothing imported from the application.
TS = sa.DateTime(timezone=True)


def _s(length: int) -> sa.String:
    return sa.String(length=length)


def _col(name: str, type_: sa.types.TypeEngine[Any], nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, type_, nullable=nullable)


def _index(table: str, *columns: str, unique: bool = False, name: str | None = None) -> None:
    op.create_index(name or f"ix_{table}_{columns[0]}", table, list(columns), unique=unique)


def upgrade() -> None:
    """Create every table of the read model."""
    op.create_table(
        "organisations",
        _col("id", _s(64)),
        _col("name", _s(200)),
        _col("kind", _s(16)),
        _col("country", _s(2), True),
        _col("email", _s(254), True),
        _col("language", _s(16)),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("organisations", "name")

    op.create_table(
        "covenant_memberships",
        _col("covenant", _s(64)),
        _col("organisation_id", _s(64)),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("covenant", "organisation_id"),
    )
    _index("covenant_memberships", "organisation_id")

    op.create_table(
        "covenant_versions",
        _col("slug", _s(64)),
        _col("version", sa.Integer()),
        _col("name", _s(200)),
        _col("name_nl", _s(200)),
        _col("procedure_json", sa.Text()),
        _col("steering_group_email", _s(254), True),
        sa.PrimaryKeyConstraint("slug", "version"),
    )

    op.create_table(
        "users",
        _col("id", sa.Integer()),
        _col("username", _s(64)),
        _col("display_name", _s(200)),
        _col("email", _s(254), True),
        _col("role", _s(16)),
        _col("organisation_id", _s(64), True),
        _col("language", _s(16)),
        _col("password_hash", _s(255)),
        _col("is_demo", sa.Boolean()),
        _col("active", sa.Boolean()),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("users", "username", unique=True)
    _index("users", "role")
    _index("users", "organisation_id")

    op.create_table(
        "api_tokens",
        _col("token_hash", _s(64)),
        _col("user_id", sa.Integer()),
        _col("created_at", TS),
        _col("expires_at", TS),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    _index("api_tokens", "user_id")
    _index("api_tokens", "expires_at")

    op.create_table(
        "production_locations",
        _col("id", _s(64)),
        _col("name", _s(300)),
        _col("address", _s(500)),
        _col("country", _s(2)),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("production_locations", "name")
    _index("production_locations", "country")

    op.create_table(
        "location_sourcing",
        _col("location_id", _s(64)),
        _col("company_id", _s(64)),
        _col("covenant", _s(64)),
        sa.ForeignKeyConstraint(["company_id"], ["organisations.id"]),
        sa.ForeignKeyConstraint(["location_id"], ["production_locations.id"]),
        sa.PrimaryKeyConstraint("location_id", "company_id", "covenant"),
    )
    _index("location_sourcing", "company_id")

    op.create_table(
        "cases",
        _col("reference", _s(32)),
        _col("kind", _s(16)),
        _col("covenant", _s(64)),
        _col("stage", _s(16)),
        _col("status", _s(16)),
        _col("outcome", _s(32), True),
        _col("subject", _s(300)),
        _col("confidential", sa.Boolean()),
        _col("pseudonym", _s(64)),
        _col("complainant_organisation_id", _s(64), True),
        _col("deciding_body", _s(16)),
        _col("overdue", sa.Boolean()),
        _col("next_deadline_name", _s(32), True),
        _col("next_due", TS, True),
        _col("filed_at", TS),
        _col("closed_at", TS, True),
        _col("last_seq", sa.Integer()),
        _col("officer", _s(64), True),
        _col("mediator", _s(64), True),
        _col("snapshot", sa.Text()),
        sa.PrimaryKeyConstraint("reference"),
    )
    for column in ("covenant", "stage", "complainant_organisation_id", "next_due", "filed_at"):
        _index("cases", column)
    _index("cases", "mediator")
    _index("cases", "overdue", "next_due", name="ix_cases_overdue_next_due")

    op.create_table(
        "case_respondents",
        _col("reference", _s(32)),
        _col("organisation_id", _s(64)),
        _col("production_location_id", _s(64), True),
        sa.ForeignKeyConstraint(["reference"], ["cases.reference"]),
        sa.PrimaryKeyConstraint("reference", "organisation_id"),
    )
    _index("case_respondents", "organisation_id")

    op.create_table(
        "complainants",
        _col("reference", _s(32)),
        _col("name", _s(200)),
        _col("organisation", _s(200), True),
        _col("email", _s(254), True),
        _col("phone", _s(40), True),
        _col("represents", _s(500), True),
        _col("language", _s(16)),
        _col("confidential", sa.Boolean()),
        _col("filer_user_id", sa.Integer(), True),
        _col("access_code_hash", _s(64), True),
        _col("receipt_code", _s(128), True),
        sa.ForeignKeyConstraint(["filer_user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("reference"),
    )
    _index("complainants", "access_code_hash")

    # The primary keys (reference first) also serve "everything of this case" lookups.
    op.create_table(
        "case_events",
        _col("reference", _s(32)),
        _col("seq", sa.Integer()),
        _col("at", TS),
        _col("type", _s(64)),
        _col("summary", sa.Text()),
        _col("text", sa.Text(), True),
        _col("visibility", _s(16)),
        _col("actor_role", _s(16), True),
        sa.ForeignKeyConstraint(["reference"], ["cases.reference"]),
        sa.PrimaryKeyConstraint("reference", "seq"),
    )

    op.create_table(
        "case_deadlines",
        _col("reference", _s(32)),
        _col("id", _s(64)),
        _col("name", _s(32)),
        _col("label", _s(200)),
        _col("owner", _s(16)),
        _col("due", TS),
        _col("state", _s(16)),
        _col("overdue", sa.Boolean()),
        _col("reminded", sa.Boolean()),
        _col("escalated", sa.Boolean()),
        sa.ForeignKeyConstraint(["reference"], ["cases.reference"]),
        sa.PrimaryKeyConstraint("reference", "id"),
    )
    _index("case_deadlines", "state", "due", name="ix_case_deadlines_state_due")

    op.create_table(
        "case_orders",
        _col("reference", _s(32)),
        _col("number", sa.Integer()),
        _col("text", sa.Text()),
        _col("due", sa.Date()),
        _col("status", _s(16)),
        sa.ForeignKeyConstraint(["reference"], ["cases.reference"]),
        sa.PrimaryKeyConstraint("reference", "number"),
    )

    op.create_table(
        "documents",
        _col("id", _s(64)),
        _col("reference", _s(32)),
        _col("filename", _s(255)),
        _col("content_type", _s(127)),
        _col("size", sa.Integer()),
        _col("sha256", _s(64)),
        _col("storage_path", _s(500)),
        _col("visibility", _s(16)),
        _col("uploaded_by", _s(64)),
        _col("side", _s(16), True),
        _col("uploaded_at", TS),
        sa.PrimaryKeyConstraint("id"),
    )
    _index("documents", "reference")

    op.create_table(
        "outbox",
        _col("message_id", _s(255)),
        _col("reference", _s(32)),
        _col("notice_key", _s(200)),
        _col("recipient", _s(254)),
        _col("subject", _s(500)),
        _col("language", _s(16)),
        _col("created_at", TS),
        _col("sent_at", TS, True),
        sa.PrimaryKeyConstraint("message_id"),
    )
    _index("outbox", "reference")


def downgrade() -> None:
    """Drop every table (children first)."""
    for table in (
        "outbox",
        "documents",
        "case_orders",
        "case_deadlines",
        "case_events",
        "complainants",
        "case_respondents",
        "cases",
        "location_sourcing",
        "production_locations",
        "api_tokens",
        "users",
        "covenant_versions",
        "covenant_memberships",
        "organisations",
    ):
        op.drop_table(table)
