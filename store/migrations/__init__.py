"""Alembic migrations of the read model; run them with ``store.db.create_schema``."""
