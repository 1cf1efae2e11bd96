"""Search by index: cases by reference and subject, production locations by their folded
search text; and indexes for the case list's order and common filters.

SQLite: an FTS5 index with the trigram tokenizer per searched table (``case_search`` on
``cases``, ``location_search`` on ``production_locations``), an external-content table: it
holds the index only, read from its table by rowid, and triggers keep it in step on insert,
update and delete, whatever writes the table (the projection, an import, a script). Should it
ever drift (a table rebuilt without its triggers), one statement rebuilds it from the table:
``INSERT INTO case_search(case_search) VALUES('rebuild')``. A later migration that rebuilds
``cases`` or ``production_locations`` (Alembic's batch mode copies the table, which drops its
triggers) must create the triggers again and rebuild the index (tests/store/test_search.py
checks that the triggers exist at head).

PostgreSQL: ``pg_trgm`` GIN indexes, which serve ``LIKE '%…%'`` (on ``lower(…)`` for cases). The
extension is created if it is not there (it is trusted: the database's owner may create
it); the indexes name its operator class wherever it is installed.

Rows already in the tables are indexed here.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (FTS5 index, its table, the columns it indexes)
SEARCHED = [
    ("case_search", "cases", ["reference", "subject"]),
    ("location_search", "production_locations", ["search_text"]),
]
# (index, table, indexed expression). The cases' columns are indexed lowered, as they are
# searched: pg_trgm's operator class also serves "=", and an index on ``reference`` itself
# could be chosen for a join on the case's key (measured: 2 ms a row instead of a B-tree
# look-up).
TRIGRAM_INDEXES = [
    ("ix_cases_reference_trgm", "cases", "lower(reference)"),
    ("ix_cases_subject_trgm", "cases", "lower(subject)"),
    ("ix_production_locations_search_trgm", "production_locations", "search_text"),
]
# The list's order (newest first) with the columns its common filters test, so that the
# first page and the count read an index rather than the rows (a row holds its state).
LIST_INDEXES = [
    ("ix_cases_filed", ["filed_at", "reference", "covenant"]),
    ("ix_cases_stage_filed", ["stage", "filed_at", "reference", "covenant"]),
    ("ix_cases_stage_status", ["stage", "status"]),
]
REPLACED_INDEXES = [
    ("ix_cases_filed_at", ["filed_at"]),
    ("ix_cases_stage", ["stage"]),
    ("ix_cases_covenant", ["covenant"]),
]


def _sqlite_upgrade() -> None:
    for fts, base, columns in SEARCHED:
        names = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns)
        add = f"INSERT INTO {fts} (rowid, {names}) VALUES (new.rowid, {new});"
        forget = f"INSERT INTO {fts} ({fts}, rowid, {names}) VALUES ('delete', old.rowid, {old});"
        op.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, content='{base}', tokenize='trigram')"
        )
        op.execute(f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {base} BEGIN\n{add}\nEND")
        op.execute(
            f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {names} ON {base} WHEN {changed}\n"
            f"BEGIN\n{forget}\n{add}\nEND"
        )
        op.execute(f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {base} BEGIN\n{forget}\nEND")
        op.execute(f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')")


def _trigram_schema(bind: sa.Connection) -> str:
    """The schema pg_trgm is installed in, creating the extension first if it is not."""
    query = sa.text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
        " WHERE e.extname = 'pg_trgm'"
    )
    schema = bind.execute(query).scalar()
    if schema is None:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        schema = bind.execute(query).scalar_one()
    return str(schema)


def _postgresql_upgrade(bind: sa.Connection) -> None:
    schema = bind.dialect.identifier_preparer.quote_schema(_trigram_schema(bind))
    for name, base, indexed in TRIGRAM_INDEXES:
        op.execute(f"CREATE INDEX {name} ON {base} USING gin (({indexed}) {schema}.gin_trgm_ops)")


def upgrade() -> None:
    """Create the search indexes (indexing the rows there are) and the list's indexes."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_upgrade()
    else:
        _postgresql_upgrade(bind)
    for name, _columns in REPLACED_INDEXES:
        op.drop_index(name, table_name="cases")
    for name, columns in LIST_INDEXES:
        op.create_index(name, "cases", columns)


def downgrade() -> None:
    """Drop the search indexes (PostgreSQL keeps the extension) and restore the list's."""
    for name, _columns in LIST_INDEXES:
        op.drop_index(name, table_name="cases")
    for name, columns in REPLACED_INDEXES:
        op.create_index(name, "cases", columns)
    if op.get_bind().dialect.name == "sqlite":
        for fts, _base, _columns in SEARCHED:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {fts}_{event}")
            op.execute(f"DROP TABLE {fts}")
    else:
        for name, base, _indexed in TRIGRAM_INDEXES:
            op.drop_index(name, table_name=base)
