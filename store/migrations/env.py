"""Alembic environment: migrates the connection handed over by ``store.db.create_schema``,
or else the database named by the settings (``REDRESS_DATABASE_URL``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection
from sqlmodel import SQLModel

import store.security_tables  # noqa: F401  (registers the tables on SQLModel.metadata)
import store.tables  # noqa: F401
from store.tables.search import is_search_index

target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        # The search indexes (FTS5 tables, trigram indexes) are not in the models' metadata:
        # autogenerate must not propose dropping them.
        include_name=lambda name, *_: not is_search_index(name),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    """Run the pending migrations online."""
    connection = context.config.attributes.get("connection")
    if isinstance(connection, Connection):
        _run(connection)
        return
    from core.settings import get_settings
    from store.db import engine_from_settings

    engine = engine_from_settings(get_settings())
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


run_migrations()
