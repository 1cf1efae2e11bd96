"""Alembic migrations of the read model; ``store.db.prepare`` (``redress migrate``) runs them."""
