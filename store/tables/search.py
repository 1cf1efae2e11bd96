"""The text search indexes (migration 0012), which the models do not describe.

SQLite: FTS5 indexes with the trigram tokenizer over their table's rows (external content,
by rowid), kept in step by triggers: ``case_search`` for cases, ``location_search`` for
production locations. PostgreSQL: ``pg_trgm`` GIN indexes on the searched columns. Queries
reach the FTS5 indexes through the light table clauses below; Alembic's comparison of the
schema with the models leaves every one of these objects out (``is_search_index``).
"""

from __future__ import annotations

from sqlalchemy import column, table

CASE_SEARCH = table("case_search", column("rowid"), column("reference"), column("subject"))
LOCATION_SEARCH = table("location_search", column("rowid"), column("search_text"))
# FTS5 keeps each index in shadow tables named after it: case_search_data, _idx, _content …
SEARCH_TABLES = frozenset({CASE_SEARCH.name, LOCATION_SEARCH.name})
TRIGRAM_INDEXES = frozenset(
    {"ix_cases_reference_trgm", "ix_cases_subject_trgm", "ix_production_locations_search_trgm"}
)
SEARCH_TRIGGERS = frozenset(
    f"{name}_{event}" for name in SEARCH_TABLES for event in ("insert", "update", "delete")
)


def is_search_index(name: str | None) -> bool:
    """Whether a table or index of that name is one of the text search indexes."""
    if name is None:
        return False
    return name in TRIGRAM_INDEXES or any(
        name == table_name or name.startswith(f"{table_name}_") for table_name in SEARCH_TABLES
    )
