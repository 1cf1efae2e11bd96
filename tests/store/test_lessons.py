"""The lessons log (migration 0016): lessons are read back per covenant, case and period."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import inspect

from store.db import session_scope
from store.lessons import lessons, record_lesson
from tests.factories import FILED, Database, migrated


def test_lessons_are_listed_per_covenant_and_period_oldest_first(database: Database) -> None:
    engine = migrated(database)
    assert {"lessons", "register_entries", "redaction_terms", "naming_consents"} <= set(
        inspect(engine).get_table_names()
    )
    with session_scope(engine) as session:
        for days, ref, cov, to in [
            (40, "GT-2026-0002", "garments-textile", "companies"),
            (10, "GT-2026-0001", "garments-textile", "covenant"),
            (400, "GT-2026-0003", "garments-textile", "mechanism"),
            (20, "GO-2026-0001", "gold", "covenant"),
        ]:
            record_lesson(
                session=session,
                reference=ref,
                covenant=cov,
                addressed_to=to,
                text=f"Lesson from {ref}: ask for supplier lists earlier",
                at=FILED + timedelta(days=days),
                by="chair",
            )
    with session_scope(engine) as session:
        year = lessons(
            session,
            covenant="garments-textile",
            start=FILED,
            end=FILED + timedelta(days=365),
        )
        assert [(r.reference, r.addressed_to) for r in year] == [
            ("GT-2026-0001", "covenant"),
            ("GT-2026-0002", "companies"),
        ]
        assert year[0].text == "Lesson from GT-2026-0001: ask for supplier lists earlier"
        assert year[0].recorded_at == FILED + timedelta(days=10)
        assert year[0].recorded_by == "chair"
        assert len(lessons(session)) == 4
        assert [r.covenant for r in lessons(session, reference="GO-2026-0001")] == ["gold"]
        # The end is excluded, the start included.
        edge = lessons(session, start=FILED + timedelta(days=20), end=FILED + timedelta(days=40))
        assert [r.reference for r in edge] == ["GO-2026-0001"]
