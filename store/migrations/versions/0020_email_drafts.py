"""Complaints sent by e-mail: ``email_drafts`` (one per Message-ID, with the reference and
the access code's hash allocated at receipt) and ``email_draft_files`` (their attachments).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Create the two tables."""
    op.create_table(
        "email_drafts",
        sa.Column("id", sa.String(length=64), primary_key=True),
        sa.Column("message_key", sa.String(length=64), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("covenant", sa.String(length=64), nullable=False),
        sa.Column("access_code_hash", sa.String(length=64), nullable=False),
        sa.Column("receipt_code", sa.String(length=255), nullable=True),
        sa.Column("sender_email", sa.String(length=254), nullable=False),
        sa.Column("sender_name", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        _when("received_at", nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        _when("receipt_sent_at"),
        _when("closed_at"),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.Column("discard_reason", sa.Text(), nullable=True),
    )
    for column, unique in (
        ("message_key", True),
        ("reference", True),
        ("covenant", False),
        ("access_code_hash", False),
        ("received_at", False),
        ("state", False),
    ):
        op.create_index(f"ix_email_drafts_{column}", "email_drafts", [column], unique=unique)
    op.create_table(
        "email_draft_files",
        sa.Column(
            "draft_id", sa.String(length=64), sa.ForeignKey("email_drafts.id"), primary_key=True
        ),
        sa.Column("number", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=128), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("problem", sa.String(length=200), nullable=True),
    )


def downgrade() -> None:
    """Drop them again."""
    op.drop_table("email_draft_files")
    op.drop_table("email_drafts")
