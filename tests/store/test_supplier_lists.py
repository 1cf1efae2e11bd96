"""Importing the real, messy supplier lists in tests/data into the registry."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from domain.supplier_lists import Rejection
from store.locations import search_locations
from store.supplier_lists import (
    UnreadableList,
    company_for_import,
    import_list,
    parse_tables,
    read_lists,
    read_table,
)
from store.tables import LocationSourcing, ProductionLocation
from tests.factories import Database, migrated

LISTS = Path(__file__).resolve().parents[1] / "data" / "production-locations"
FILES = sorted(LISTS.glob("*.csv"))
NOW = datetime(2026, 11, 1, tzinfo=UTC)
GT = "garments-textile"


@pytest.fixture
def engine(database: Database) -> Engine:
    return migrated(database)


def _import(session: Session, company: str, paths: list[Path]):  # type: ignore[no-untyped-def]
    org, _ = company_for_import(session=session, covenant=GT, key=company)
    rows, rejected = read_lists(paths)
    report = import_list(session=session, covenant=GT, company_id=org.id, rows=rows, now=NOW)
    report.rejected = rejected
    session.commit()
    return org, report


def test_every_row_of_every_list_is_imported_or_reported(engine: Engine):
    assert len(FILES) >= 9, LISTS
    with Session(engine) as session:
        for number, path in enumerate(FILES):
            data_rows = sum(
                1
                for _, cells in list(read_table(path.name, path.read_bytes()))[1:]
                if any(c.strip() for c in cells)
            )
            _, report = _import(session, f"Brand {number}", [path])
            accounted = report.imported + report.merged + report.unchanged + report.updated
            assert accounted + len(report.rejected) == data_rows, path.name
            for rejected in report.rejected:
                assert rejected.line > 1 and rejected.reason in Rejection
        countries = set(session.exec(select(ProductionLocation.country)).all())
    assert {"CN", "BD", "VN", "IN", "US", "TW"} <= countries
    assert all(len(c) == 2 and c.isupper() for c in countries)


def test_duplicates_are_reported_with_the_earlier_line(engine: Engine):
    rows, rejected = read_lists([LISTS / "list-2.csv"])
    duplicate = next(r for r in rejected if r.line == 83)
    assert duplicate.reason is Rejection.DUPLICATE
    assert duplicate.detail == "same location as list-2.csv line 3"  # a stray '□' apart


def test_shared_locations_link_both_companies_and_reimport_changes_nothing(engine: Engine):
    with Session(engine) as session:
        for number, path in enumerate(FILES):
            _import(session, f"Brand {number}", [path])
        shared = session.exec(
            select(LocationSourcing.location_id)
            .group_by(col(LocationSourcing.location_id))
            .having(func.count() > 1)
        ).all()
        assert shared, "the shared lists name some factories in more than one list"
        before = (
            session.exec(select(func.count()).select_from(ProductionLocation)).one(),
            session.exec(select(func.count()).select_from(LocationSourcing)).one(),
        )
        for number, path in enumerate(FILES):
            _, again = _import(session, f"Brand {number}", [path])
            assert (again.imported, again.merged, again.updated, again.delisted) == (0, 0, 0, 0)
        after = (
            session.exec(select(func.count()).select_from(ProductionLocation)).one(),
            session.exec(select(func.count()).select_from(LocationSourcing)).one(),
        )
    assert after == before


def test_a_shorter_list_marks_locations_no_longer_listed(engine: Engine, tmp_path: Path):
    short = tmp_path / "short.csv"
    lines = (LISTS / "list-3.csv").read_text(encoding="utf-8").splitlines()
    short.write_text("\n".join(lines[:6]) + "\n", encoding="utf-8")
    with Session(engine) as session:
        org, first = _import(session, "Shrinking Brand", [LISTS / "list-3.csv"])
        _, second = _import(session, "Shrinking Brand", [short])
        assert second.delisted == first.imported - 5 and second.unchanged == 5
        listed = session.exec(
            select(func.count())
            .select_from(LocationSourcing)
            .where(col(LocationSourcing.company_id) == org.id, col(LocationSourcing.listed))
        ).one()
        assert listed == 5
        _, third = _import(session, "Shrinking Brand", [LISTS / "list-3.csv"])
        assert third.updated == first.imported - 5


def test_encodings_bom_crlf_and_xlsx_are_read(tmp_path: Path):
    text = "Country;Factory name;Address\r\nTürkiye;Çağlar Tekstil A.Ş.;Denizli OSB\r\n"
    for encoding, prefix in (("utf-8", b"\xef\xbb\xbf"), ("utf-8", b""), ("utf-16", b"")):
        data = prefix + text.encode(encoding)
        rows, rejected = parse_tables([("x.csv", read_table("x.csv", data))])
        assert rejected == [], encoding
        assert rows[0].country == "TR" and rows[0].name == "Çağlar Tekstil A.Ş.", encoding
    # A single-byte code page is guessed among those spreadsheets export, or named.
    western = "country,name,address\r\nFrance,Société Générale Bonneterie,Troyes\r\n"
    rows, _ = parse_tables([("x.csv", read_table("x.csv", western.encode("cp1252")))])
    assert rows[0].name == "Société Générale Bonneterie"
    turkish = read_table("x.csv", text.encode("cp1254"), encoding="cp1254")
    assert parse_tables([("x.csv", turkish)])[0][0].name == "Çağlar Tekstil A.Ş."
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["COUNTRY", "Supplier name", "Factory address"])
    sheet.append(["Viet Nam", "Saigon Stitch Co., Ltd", "Binh Duong"])
    sheet.append(["Atlantis", "Nowhere Mill", "Sea"])
    buffer = io.BytesIO()
    book.save(buffer)
    rows, rejected = parse_tables([("list.xlsx", read_table("list.xlsx", buffer.getvalue()))])
    assert [r.country for r in rows] == ["VN"]
    assert rejected[0].line == 3 and rejected[0].reason is Rejection.UNKNOWN_COUNTRY


def test_a_file_without_the_needed_columns_is_refused_whole():
    with pytest.raises(UnreadableList, match="address"):
        parse_tables([("x.csv", read_table("x.csv", b"country,name\nBD,X\n"))])


def test_search_finds_a_factory_by_fragment_ignoring_legal_forms(engine: Engine):
    with Session(engine) as session:
        _import(session, "Brand A", [LISTS / "list-2.csv"])
        items, total = search_locations(session=session, q="xinxing footwear company limited")
        assert total >= 1 and any("XINXING" in i.name for i in items)
        items, _ = search_locations(session=session, q="wenzhou jietu")
        assert any("JIETU" in i.name for i in items)
        _, in_vn = search_locations(session=session, q="xinxing", country="VN")
        assert in_vn == 0
