"""Migration 0015: complainants keyed by (reference, number); the filers' rows keep number 1."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine, column, insert, table, text

from store import cases
from store.db import alembic_config, session_scope
from tests.factories import Database, complainant

COLUMNS = [
    "reference",
    "name",
    "organisation",
    "email",
    "phone",
    "represents",
    "language",
    "confidential",
    "filer_user_id",
    "access_code_hash",
    "receipt_code",
]


def _migrate(engine: Engine, revision: str, *, down: bool = False) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def test_existing_complainants_become_number_one_and_more_can_join(database: Database) -> None:
    engine = database.engine
    _migrate(engine, "0014")
    row = complainant("GT-2026-0001").model_dump(include=set(COLUMNS))
    with engine.begin() as connection:
        connection.execute(insert(table("complainants", *(column(c) for c in COLUMNS))), [row])
    _migrate(engine, "head")
    with session_scope(engine) as session:
        filer = cases.get_complainant(session=session, reference="GT-2026-0001")
        assert filer is not None and filer.number == 1 and filer.merged_from is None
        joined = complainant("GT-2026-0001", email="second@private.example")
        joined.number, joined.merged_from, joined.pseudonym = 2, "GT-2026-0002", "Complainant Q"
        session.add(joined)
    with session_scope(engine) as session:
        found = cases.case_complainants(session=session, reference="GT-2026-0001")
        assert [(c.number, c.merged_from) for c in found] == [(1, None), (2, "GT-2026-0002")]
    # Down again: the filers stay, keyed by reference as before.
    _migrate(engine, "0014", down=True)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT reference, email FROM complainants")).all()
    assert [tuple(r) for r in rows] == [("GT-2026-0001", row["email"])]
    _migrate(engine, "head")
