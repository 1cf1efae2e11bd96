"""The register's rows on SQLite and PostgreSQL: entries paged newest first per covenant and
year filed, counted, the unpublished cases counted per covenant and year, terms per case and
covenant, and the complainants' agreement."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from domain.enums import Stage
from store import register as rows
from store.db import session_scope
from store.tables import CaseRow
from tests.factories import FILED, Database, case_state, migrated


def _case(session: Session, ref: str, covenant: str, days: int) -> None:
    state = case_state(ref, covenant_slug=covenant, stage=Stage.DECISION)
    state.filed_at = FILED + timedelta(days=days)
    session.add(
        CaseRow(
            reference=ref,
            kind="complaint",
            covenant=covenant,
            stage="decision",
            status="open",
            subject=state.subject,
            pseudonym=state.pseudonym,
            deciding_body="committee",
            filed_at=state.filed_at,
            snapshot=state.model_dump_json(),
        )
    )


def test_entries_are_paged_counted_and_the_rest_counted_per_year(database: Database) -> None:
    engine = migrated(database)
    cases = [
        ("GT-2026-0001", "garments-textile", 0, True),
        ("GT-2026-0002", "garments-textile", 10, True),
        ("GT-2027-0001", "garments-textile", 400, True),
        ("GT-2027-0002", "garments-textile", 410, False),
        ("GO-2026-0001", "gold", 5, True),
        ("GO-2026-0002", "gold", 6, False),
        ("GO-2026-0003", "gold", 7, False),
    ]
    with session_scope(engine) as session:
        for ref, covenant, days, _ in cases:
            _case(session, ref, covenant, days)
        session.flush()
        for i, (ref, covenant, _, published) in enumerate(cases):
            if published:
                at = FILED + timedelta(days=500 + i)
                rows.publish(
                    session=session,
                    reference=ref,
                    covenant=covenant,
                    summary=f"Summary {ref}",
                    named=False,
                    at=at,
                    by="chair",
                )
        rows.publish(  # published again: replaced, not doubled
            session=session,
            reference="GT-2026-0001",
            covenant="garments-textile",
            summary="Summary again",
            named=True,
            at=FILED + timedelta(days=600),
            by="chair",
        )
        rows.set_consent(session=session, reference="GT-2026-0001", agreed=True, at=FILED)
        rows.set_consent(session=session, reference="GT-2026-0002", agreed=False, at=FILED)
        rows.add_term(
            session=session, covenant="gold", reference=None, term="Kumasi", at=FILED, by="s"
        )
        rows.add_term(
            session=session,
            covenant="gold",
            reference="GO-2026-0001",
            term="Ama",
            at=FILED,
            by="s",
        )
    with session_scope(engine) as session:
        newest = [e.reference for e, _ in rows.published(session=session)]
        assert newest == ["GT-2026-0001", "GO-2026-0001", "GT-2027-0001", "GT-2026-0002"]
        second = rows.published(session=session, offset=1, limit=2)
        assert [e.reference for e, _ in second] == ["GO-2026-0001", "GT-2027-0001"]
        garments_2026 = rows.published(session=session, covenant="garments-textile", year=2026)
        assert [e.reference for e, _ in garments_2026] == ["GT-2026-0001", "GT-2026-0002"]
        assert garments_2026[0][0].summary == "Summary again" and garments_2026[0][0].named
        assert rows.published_count(session=session) == 4
        assert rows.published_count(session=session, covenant="garments-textile", year=2027) == 1
        assert rows.unpublished_counts(session=session) == [
            ("garments-textile", 2027, 1),
            ("gold", 2026, 2),
        ]
        agreed = rows.consents(session=session, references=["GT-2026-0001", "GT-2026-0002"])
        assert agreed == {"GT-2026-0001"}
        terms = rows.terms_for(
            session=session, cases=[("GO-2026-0001", "gold"), ("GO-2026-0002", "gold")]
        )
        assert terms == {"GO-2026-0001": ["Ama", "Kumasi"], "GO-2026-0002": ["Kumasi"]}
        listed = rows.terms_of(session=session, reference="GO-2026-0002", covenant="gold")
        assert [t.term for t in listed] == ["Kumasi"]
        kumasi = listed[0].id
        assert kumasi is not None
        assert (
            rows.remove_term(session=session, covenant="garments-textile", term_id=kumasi) is None
        )
        assert rows.remove_term(session=session, covenant="gold", term_id=kumasi) is not None
    with session_scope(engine) as session:
        assert rows.terms_for(session=session, cases=[("GO-2026-0002", "gold")]) == {
            "GO-2026-0002": []
        }
