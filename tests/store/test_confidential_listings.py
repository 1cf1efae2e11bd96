"""Confidential supplier lists: in the registry for matching, never in public reads."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from store.locations import (
    confidential_listings,
    covenant_sourcing,
    get_location,
    location_companies,
    most_listed_covenant,
    search_locations,
)
from store.supplier_lists import company_for_import, import_list, parse_tables, read_lists
from store.tables import ProductionLocation
from tests.factories import Database, migrated

LISTS = Path(__file__).resolve().parents[1] / "data" / "production-locations"
NOW = datetime(2026, 11, 1, tzinfo=UTC)
GT = "garments-textile"
SHARED = 'Bangladesh,"Shared Knit Ltd","Plot 4, BSCIC, Narayanganj"'
SECRET = 'Bangladesh,"Hidden Stitch Ltd","Plot 9, Tongi Road, Gazipur"'


@pytest.fixture
def engine(database: Database) -> Engine:
    return migrated(database)


def _import(session: Session, company: str, lines: list[str], *, confidential: bool = False) -> str:
    org, _ = company_for_import(session=session, covenant=GT, key=company)
    table = list(enumerate(csv.reader(["country,name,address", *lines]), start=1))
    rows, rejected = parse_tables([(f"{company}.csv", table)])
    assert not rejected
    import_list(
        session=session,
        covenant=GT,
        company_id=org.id,
        rows=rows,
        now=NOW,
        confidential=confidential,
    )
    session.commit()
    return org.id


def _ids(found: tuple[list[ProductionLocation], int]) -> set[str]:
    return {loc.id for loc in found[0]}


def test_a_confidential_list_is_never_found_in_public_reads(engine: Engine) -> None:
    with Session(engine) as session:
        public = _import(session, "Open Brand", [SHARED])
        secret = _import(session, "Associate GmbH", [SHARED, SECRET], confidential=True)
        shared = search_locations(session=session, q="shared knit")[0][0]
        hidden = search_locations(session=session, q="hidden stitch", include_confidential=True)
        (hidden_location,) = hidden[0]

        # Text search (FTS5 on SQLite, pg_trgm on PostgreSQL), country and company filters.
        assert search_locations(session=session, q="hidden stitch") == ([], 0)
        assert search_locations(session=session, q="tongi road gazipur") == ([], 0)
        assert _ids(search_locations(session=session, country="BD")) == {shared.id}
        assert search_locations(session=session, company=secret) == ([], 0)
        assert _ids(search_locations(session=session, company=public)) == {shared.id}
        # Looked up by its id (derived from public words), it is not there either.
        assert get_location(session=session, location_id=hidden_location.id) is None
        # The shared factory stays public, but only its public lister is named.
        assert [c.id for c in location_companies(session=session, location_id=shared.id)] == [
            public
        ]
        pairs = covenant_sourcing(
            session=session, covenant=GT, location_ids=[shared.id, hidden_location.id]
        )
        assert {(c.id, loc.id) for c, loc in pairs} == {(public, shared.id)}
        assert covenant_sourcing(session=session, covenant=GT, company_ids=[secret]) == []
        # The secretariat's matching sees both of its listings.
        matched = confidential_listings(session=session, covenant=GT)
        assert {(c.id, loc.name) for c, loc in matched} == {
            (secret, "Hidden Stitch Ltd"),
            (secret, "Shared Knit Ltd"),
        }
        assert get_location(
            session=session, location_id=hidden_location.id, include_confidential=True
        )


def test_listings_follow_the_latest_import(engine: Engine) -> None:
    with Session(engine) as session:
        secret = _import(session, "Associate GmbH", [SECRET], confidential=True)
        assert search_locations(session=session, q="hidden stitch") == ([], 0)
        # Imported again as public, the list shows.
        _import(session, "Associate GmbH", [SECRET])
        assert search_locations(session=session, q="hidden stitch")[1] == 1
        assert confidential_listings(session=session, covenant=GT) == []
        # Confidential again, then dropped from its list: known only confidentially, it
        # stays hidden.
        _import(session, "Associate GmbH", [SECRET], confidential=True)
        _import(session, "Associate GmbH", [SHARED], confidential=True)
        assert search_locations(session=session, q="hidden stitch") == ([], 0)
        assert search_locations(session=session, company=secret) == ([], 0)
        # A public list naming it makes it public (its public lister only is shown).
        public = _import(session, "Open Brand", [SECRET])
        (found,) = search_locations(session=session, q="hidden stitch")[0]
        assert [c.id for c in location_companies(session=session, location_id=found.id)] == [public]


def test_a_real_list_imported_confidentially_is_not_searchable(engine: Engine) -> None:
    rows, _ = read_lists([LISTS / "list-3.csv"])
    with Session(engine) as session:
        org, _ = company_for_import(session=session, covenant=GT, key="Associate GmbH")
        import_list(
            session=session, covenant=GT, company_id=org.id, rows=rows, now=NOW, confidential=True
        )
        session.commit()
        assert search_locations(session=session, q="dalian sportech") == ([], 0)
        assert search_locations(session=session, q="dongguan")[1] == 0
        everything = search_locations(session=session, include_confidential=True)[1]
        assert everything == len(rows) and search_locations(session=session) == ([], 0)


def test_the_import_command_imports_a_list_as_confidential(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from core.settings import Settings, get_settings
    from redress.cli import main
    from store.db import make_engine, prepare

    url = f"sqlite:///{tmp_path / 'registry.db'}"
    monkeypatch.setenv("REDRESS_DATABASE_URL", url)
    monkeypatch.setenv("REDRESS_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    prepare(Settings(database_url=url))
    listed = tmp_path / "associate.csv"
    listed.write_text("\n".join(["country,name,address", SECRET]) + "\n")
    args = ["import-locations", "--covenant", GT, "--company", "Associate GmbH"]
    try:
        assert main([*args, "--confidential", str(listed)]) == 0
        assert "imported as a confidential list" in capsys.readouterr().out
        with Session(make_engine(url)) as session:
            assert search_locations(session=session, q="hidden stitch") == ([], 0)
            assert len(confidential_listings(session=session, covenant=GT)) == 1
        assert main([*args, str(listed)]) == 0  # the same list, public now
        with Session(make_engine(url)) as session:
            assert search_locations(session=session, q="hidden stitch")[1] == 1
    finally:
        get_settings.cache_clear()


def test_only_public_listings_make_the_forms_default_covenant(engine: Engine) -> None:
    with Session(engine) as session:
        assert most_listed_covenant(session=session) is None
        _import(session, "Associate GmbH", [SHARED, SECRET], confidential=True)
        assert most_listed_covenant(session=session) is None  # a secret list is no hint
        _import(session, "Open Brand", [SHARED])
        assert most_listed_covenant(session=session) == GT
