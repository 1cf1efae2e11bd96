"""Database engines (SQLite or PostgreSQL), schema migrations and sessions."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

import store.security_tables  # noqa: F401  (their tables join SQLModel.metadata)
from core.settings import Settings
from domain.procedure import Covenant
from store.covenants import sync_covenants

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15_000
# Reads go through a memory map of the file (up to this size) instead of a copy into each
# connection's page cache: a list or search that visits thousands of rows reads them in
# place. It is address space, not memory: the operating system's page cache backs it.
SQLITE_MMAP_BYTES = 1 << 30
# A connection PostgreSQL refuses (a restart, a failover, a dropped network) is tried again
# a few times with a growing pause (0.25, 0.5, 1 s): a blip does not fail the request, a
# database that stays down fails it within two seconds with the driver's error.
CONNECT_ATTEMPTS = 4
CONNECT_FIRST_PAUSE = 0.25
CONNECT_TIMEOUT_S = 10  # a database that does not answer at all fails the attempt


def normalise_url(url: str) -> str:
    """The URL with PostgreSQL pointed at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers proceed while the worker writes; busy_timeout makes a second
    # writer wait instead of failing; SQLite leaves foreign keys off unless asked; with
    # recursive triggers, a row that INSERT OR REPLACE deletes leaves the search index too
    # (store/tables/search.py); sorts stay in memory.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA recursive_triggers=ON")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
    finally:
        cursor.close()


def _connect_with_retries(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
    """Open a DBAPI connection, retrying a refused one a bounded number of times."""
    for attempt in range(1, CONNECT_ATTEMPTS + 1):
        try:
            return dialect.connect(*cargs, **cparams)
        except dialect.loaded_dbapi.OperationalError as error:
            if attempt == CONNECT_ATTEMPTS:
                log.error(
                    "database connection attempt %d of %d failed (%s); giving up",
                    attempt,
                    CONNECT_ATTEMPTS,
                    type(error).__name__,
                )
                raise
            pause = CONNECT_FIRST_PAUSE * 2 ** (attempt - 1)
            log.warning(
                "database connection attempt %d of %d failed (%s); retrying in %.2f s",
                attempt,
                CONNECT_ATTEMPTS,
                type(error).__name__,
                pause,
            )
            time.sleep(pause)
    raise AssertionError("unreachable")


def make_engine(
    url: str, *, pool_size: int = 5, max_overflow: int = 10, pool_timeout: float = 30
) -> Engine:
    """An engine for a SQLite or PostgreSQL URL, configured for this application, with a
    pool of ``pool_size`` connections kept, ``max_overflow`` more when busy, and a wait of
    at most ``pool_timeout`` seconds for one.

    SQL parameters stay out of error messages and logs (they may hold a complainant's data).
    """
    pool = {"pool_size": pool_size, "max_overflow": max_overflow, "pool_timeout": pool_timeout}
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # pool_pre_ping replaces a pooled connection the server has dropped; a new one that
        # is refused is retried (bounded) before the error reaches the caller.
        engine = create_engine(
            url,
            pool_pre_ping=True,
            hide_parameters=True,
            connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
            **pool,
        )
        event.listen(engine, "do_connect", _connect_with_retries)
        return engine
    database = parsed.database
    if not database or database == ":memory:":
        # One shared connection, or every session would see its own empty database.
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            poolclass=StaticPool,
            hide_parameters=True,
        )
    else:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 15},
            hide_parameters=True,
            **pool,
        )
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def engine_from_settings(settings: Settings) -> Engine:
    """The engine for ``settings.database_url``."""
    return make_engine(settings.database_url)


def alembic_config() -> Config:
    """Alembic's configuration, built in code (there is no alembic.ini)."""
    config = Config()
    # Split version_locations on os.pathsep only, so a path with spaces stays whole.
    config.set_main_option("path_separator", "os")
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    return config


@contextmanager
def _engine_for(settings_or_engine: Settings | Engine) -> Iterator[Engine]:
    """The given engine, or one made from the settings and disposed of afterwards."""
    if not isinstance(settings_or_engine, Settings):
        yield settings_or_engine
        return
    engine = engine_from_settings(settings_or_engine)
    try:
        yield engine
    finally:
        engine.dispose()


def create_schema(settings_or_engine: Settings | Engine) -> None:
    """Run the Alembic migrations up to head on the given database."""
    config = alembic_config()
    with _engine_for(settings_or_engine) as engine, engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def prepare(settings_or_engine: Settings | Engine) -> list[Covenant]:
    """Make the database ready to serve: migrations to head, then the shipped covenant files
    (new versions only). Run once per deployment (``redress migrate``) and by the local stack;
    returns the covenant versions it added."""
    with _engine_for(settings_or_engine) as engine:
        create_schema(engine)
        with session_scope(engine) as session:
            return sync_covenants(session=session)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block ends normally and rolls back on error."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
