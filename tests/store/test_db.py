"""Engines, migrations and sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel, select

from core.settings import Settings
from store.db import (
    alembic_config,
    create_schema,
    make_engine,
    normalise_url,
    prepare,
    session_scope,
)
from store.tables import ApiToken, CovenantVersion, Organisation, User
from store.tables.search import is_search_index
from tests.factories import Database, migrated

TABLES = {
    "organisations",
    "covenant_memberships",
    "covenant_versions",
    "users",
    "api_tokens",
    "production_locations",
    "location_sourcing",
    "cases",
    "case_respondents",
    "complainants",
    "case_events",
    "case_deadlines",
    "case_orders",
    "documents",
    "outbox",
}


def test_migrations_build_the_schema_the_models_describe(database: Database) -> None:
    engine = migrated(database)
    assert TABLES <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        # The text search indexes are not models (store/tables/search.py).
        opts = {"compare_type": True, "include_name": lambda name, *_: not is_search_index(name)}
        context = MigrationContext.configure(connection, opts=opts)
        assert compare_metadata(context, SQLModel.metadata) == []
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert context.get_current_revision() == head


def test_create_schema_twice_is_harmless(database: Database) -> None:
    migrated(database)
    create_schema(database.engine)
    create_schema(Settings(database_url=database.url))
    assert "cases" in inspect(database.engine).get_table_names()


def test_timestamps_come_back_aware_and_in_utc(database: Database) -> None:
    engine = migrated(database)
    amsterdam = timezone(timedelta(hours=1))
    with session_scope(engine) as session:
        session.add(Organisation(id="o", name="O", kind="company"))
        session.add(User(username="u", display_name="U", role="company", password_hash="x"))
    with session_scope(engine) as session:
        user = session.get(User, 1)
        assert user is not None and user.id is not None
        session.add(
            ApiToken(
                token_hash="h",
                user_id=user.id,
                created_at=datetime(2026, 1, 1, 12, 0, tzinfo=amsterdam),
                expires_at=datetime(2026, 1, 1, 23, 0),  # naive is taken as UTC
            )
        )
    with session_scope(engine) as session:
        token = session.get(ApiToken, "h")
        assert token is not None
        assert token.created_at == datetime(2026, 1, 1, 11, 0, tzinfo=UTC)
        assert token.created_at.tzinfo is not None
        assert token.expires_at == datetime(2026, 1, 1, 23, 0, tzinfo=UTC)


def test_session_scope_rolls_back_on_error(database: Database) -> None:
    engine = migrated(database)
    with pytest.raises(RuntimeError), session_scope(engine) as session:
        session.add(Organisation(id="gone", name="Gone", kind="ngo"))
        session.flush()
        raise RuntimeError("boom")
    with session_scope(engine) as session:
        assert session.get(Organisation, "gone") is None


def test_sqlite_engine_creates_its_directory_and_sets_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "redress.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert (connection.execute(text("PRAGMA busy_timeout")).scalar() or 0) >= 5000
    assert path.parent.is_dir()
    engine.dispose()


def test_sqlite_enforces_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fk.db'}")
    create_schema(engine)
    with pytest.raises(Exception, match="FOREIGN KEY"), session_scope(engine) as session:
        session.add(
            User(
                username="x",
                display_name="X",
                role="company",
                password_hash="h",
                organisation_id="no-such-org",
            )
        )
    engine.dispose()


def test_default_relative_sqlite_url_creates_var(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    create_schema(Settings())
    assert (tmp_path / "var" / "redress.db").is_file()


def test_postgres_urls_use_psycopg_3() -> None:
    assert normalise_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgresql+psycopg://h/db") == "postgresql+psycopg://h/db"
    assert make_engine("postgresql://u:p@localhost/db").dialect.driver == "psycopg"


def test_prepare_migrates_and_loads_the_covenants_once(database: Database) -> None:
    added = prepare(database.engine)
    shipped = {"garments-textile", "natural-stone", "banking", "gold", "forest"}
    assert {c.slug for c in added} == shipped
    assert prepare(Settings(database_url=database.url)) == []
    with session_scope(database.engine) as session:
        assert len(session.exec(select(CovenantVersion)).all()) == len(shipped)
