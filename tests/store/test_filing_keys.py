"""The filing keys' claims on SQLite and PostgreSQL: one claim per key, taken over only from
the claim that lapsed, a reference kept only by the claim that holds the filing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TypedDict

from sqlmodel import Session

from store import filing_keys
from store.tables import FilingKey
from tests.factories import Database, migrated

NOW = datetime(2026, 12, 5, 4, 0, 0, 123456, tzinfo=UTC)


class Who(TypedDict):
    caller: str
    key_hash: str


WHO: Who = {"caller": "anonymous", "key_hash": "a" * 64}


def claim(at: datetime) -> FilingKey:
    return FilingKey(
        caller=WHO["caller"],
        key_hash=WHO["key_hash"],
        digest="d" * 64,
        claimed_at=at,
        created_at=at,
    )


def test_a_key_is_claimed_once_and_taken_over_once(database: Database) -> None:
    engine = migrated(database)
    with Session(engine, expire_on_commit=False) as session:
        assert filing_keys.add_filing_key(session=session, filing_key=claim(NOW))
    with Session(engine) as session:
        assert not filing_keys.add_filing_key(session=session, filing_key=claim(NOW))
        found = filing_keys.get_filing_key(session=session, **WHO)
        assert found is not None and found.claimed_at == NOW
        later = NOW + timedelta(minutes=5)
        # Only the request that saw the claim as it is now takes it over.
        assert filing_keys.take_over(session=session, **WHO, was=NOW, now=later)
        assert not filing_keys.take_over(session=session, **WHO, was=NOW, now=later)
        # The old claim no longer holds the filing: it may not take a reference.
        assert not filing_keys.set_reference(
            session=session, **WHO, claimed_at=NOW, reference="GT-2026-AAAAA", code_cipher="x"
        )
        assert filing_keys.set_reference(
            session=session, **WHO, claimed_at=later, reference="GT-2026-BBBBB", code_cipher="y"
        )
        session.commit()
        assert not filing_keys.set_reference(
            session=session, **WHO, claimed_at=later, reference="GT-2026-CCCCC", code_cipher="z"
        )
        session.rollback()
        filing_keys.set_answer(
            session=session, **WHO, reference="GT-2026-BBBBB", stage="screening", status_code=201
        )
        found = filing_keys.get_filing_key(session=session, **WHO)
        assert found is not None
        assert (found.reference, found.code_cipher, found.stage, found.status_code) == (
            "GT-2026-BBBBB",
            "y",
            "screening",
            201,
        )


def test_release_removal_and_purge(database: Database) -> None:
    engine = migrated(database)
    lapsed = datetime(2000, 1, 1, tzinfo=UTC)
    with Session(engine) as session:
        assert filing_keys.add_filing_key(session=session, filing_key=claim(NOW))
        filing_keys.release(session=session, **WHO, claimed_at=NOW, lapsed=lapsed)
        found = filing_keys.get_filing_key(session=session, **WHO)
        assert found is not None and found.claimed_at == lapsed
        # A request that lost its claim does not forget the key of the request that holds it.
        gone = filing_keys.remove_filing_key(session=session, **WHO, claimed_at=NOW)
        assert not gone
        session.commit()
        # A key renewed after the cut-off is not removed as expired.
        filing_keys.remove_filing_key(session=session, **WHO, created_before=NOW - timedelta(1))
        session.commit()
        assert filing_keys.get_filing_key(session=session, **WHO) is not None
        assert filing_keys.purge_filing_keys(session=session, before=NOW) == 0
        assert filing_keys.purge_filing_keys(session=session, before=NOW + timedelta(1)) == 1
        session.commit()
        assert filing_keys.get_filing_key(session=session, **WHO) is None
