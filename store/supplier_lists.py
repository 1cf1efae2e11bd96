"""The production-location registry: import published supplier lists, idempotently."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from charset_normalizer import from_bytes
from openpyxl import load_workbook
from sqlmodel import Session, col, select

from domain.supplier_lists import (
    LocationRow,
    RejectedRow,
    Rejection,
    clean,
    map_headers,
    match_key,
    name_key,
    parse_row,
    search_text,
)
from domain.supplier_lists import location_id as key_id
from store import organisations
from store.tables import CovenantMembership, LocationSourcing, Organisation, ProductionLocation

Progress = Callable[[int], None]


class UnreadableList(ValueError):
    """A file that is not a supplier list this importer can read."""


@dataclass
class ImportReport:
    """What an import did; every row is counted once."""

    rows: int = 0
    imported: int = 0
    merged: int = 0
    updated: int = 0
    unchanged: int = 0
    delisted: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)

    def rejected_by_reason(self) -> Counter[Rejection]:
        """How many rows were rejected for each reason."""
        return Counter(r.reason for r in self.rejected)


def new_location(
    name: str, address: str, country: str, *, location_id: str | None = None
) -> ProductionLocation:
    """A location row with its stable id (derived from its key) and match and search keys."""
    key = match_key(name, address, country)
    return ProductionLocation(
        id=location_id or key_id(key),
        name=name,
        address=address,
        country=country,
        match_key=key,
        search_text=search_text(name, address),
    )


# Code pages that spreadsheet programs in Europe and Turkey export CSV in; tried before any
# other guess, since a short list is easily mistaken for a CJK encoding.
EXPORT_CODEPAGES = ["cp1252", "cp1254", "cp1250", "cp1257", "cp1251", "cp1253", "latin_1"]
BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _decode(data: bytes, encoding: str | None) -> str:
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise UnreadableList(f"not readable as {encoding}: {exc}") from None
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = from_bytes(data, cp_isolation=EXPORT_CODEPAGES).best() or from_bytes(data).best()
    if guess is None:
        raise UnreadableList("cannot tell the text encoding of this file")
    return str(guess)


def read_table(
    name: str, data: bytes, encoding: str | None = None
) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of a CSV (any common encoding, BOM, CRLF) or XLSX file."""
    if name.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise UnreadableList(f"not a readable XLSX workbook ({type(exc).__name__})") from None
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, ["" if v is None else str(v) for v in values]
        workbook.close()
        return
    text = _decode(data, encoding)
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    for cells in reader:
        yield reader.line_num, cells


def parse_tables(
    tables: Iterable[tuple[str, Iterable[tuple[int, list[str]]]]],
) -> tuple[list[LocationRow], list[RejectedRow]]:
    """Check every row of one company's lists (name, rows): clean rows and rejected ones.

    The lists together are the company's list: a location named twice, in one file or in
    two, is imported once and the repeat reported as a duplicate. Nothing is dropped.
    """
    clean: list[LocationRow] = []
    rejected: list[RejectedRow] = []
    first: dict[str, LocationRow] = {}
    for source, rows in tables:
        iterator = iter(rows)
        header = next((r for r in iterator if any(c.strip() for c in r[1])), None)
        if header is None:
            raise UnreadableList(f"{source}: the file is empty")
        mapping = map_headers(header[1])
        if isinstance(mapping, str):
            raise UnreadableList(f"{source}: {mapping}")
        for line, cells in iterator:
            if not any(c.strip() for c in cells):
                continue  # blank lines are layout, not rows
            parsed = parse_row(line, cells, mapping)
            if isinstance(parsed, RejectedRow):
                rejected.append(replace(parsed, source=source))
            elif parsed.key in first:
                earlier = first[parsed.key]
                detail = f"same location as {earlier.source} line {earlier.line}"
                rejected.append(RejectedRow(line, Rejection.DUPLICATE, detail, source))
            else:
                first[parsed.key] = replace(parsed, source=source)
                clean.append(first[parsed.key])
    return clean, rejected


def import_list(
    *,
    session: Session,
    covenant: str,
    company_id: str,
    rows: list[LocationRow],
    now: datetime,
    progress: Progress | None = None,
    confidential: bool = False,
) -> ImportReport:
    """Link the company to every listed location; unlisted ones are marked, not deleted.

    A ``confidential`` list is shared with the secretariat only: its listings (and the
    locations no public list names) never show in public search nor to other companies.
    Importing the company's list again sets every one of its listings to the new flag."""
    report = ImportReport(rows=len(rows))
    keys = [r.key for r in rows]
    existing = {
        loc.match_key: loc
        for chunk in _chunks(keys, 500)
        for loc in session.exec(
            select(ProductionLocation).where(col(ProductionLocation.match_key).in_(chunk))
        ).all()
    }
    links = {
        link.location_id: link
        for link in session.exec(
            select(LocationSourcing).where(
                col(LocationSourcing.company_id) == company_id,
                col(LocationSourcing.covenant) == covenant,
            )
        ).all()
    }
    created: set[str] = set()
    for row in rows:
        if row.key not in existing:
            existing[row.key] = new_location(row.name, row.address, row.country)
            existing[row.key].confidential = confidential
            session.add(existing[row.key])
            created.add(row.key)
    session.flush()  # locations before the links that point at them
    report.imported = len(created)
    seen: set[str] = set()
    for done, row in enumerate(rows, start=1):
        location = existing[row.key]
        if row.key not in created and location.id not in links:
            report.merged += 1  # listed already by another company or covenant
        seen.add(location.id)
        link = links.get(location.id)
        if link is None:
            link = links[location.id] = LocationSourcing(
                location_id=location.id,
                company_id=company_id,
                covenant=covenant,
                listed=True,
                listed_at=now,
                confidential=confidential,
            )
            session.add(link)
        elif not link.listed:
            link.listed, link.listed_at, link.delisted_at = True, now, None
            link.confidential = confidential
            session.add(link)
            report.updated += 1
        elif link.confidential != confidential:
            link.confidential = confidential
            session.add(link)
            report.updated += 1
        else:
            report.unchanged += 1
        if progress is not None and done % 100 == 0:
            progress(100)
    dropped: list[str] = []
    for link in links.values():
        if link.location_id not in seen and link.listed:
            link.listed, link.delisted_at = False, now
            session.add(link)
            report.delisted += 1
            dropped.append(link.location_id)
    session.flush()
    if confidential:
        changed = list(links)
    else:
        # A public list can only make public what was hidden, or hide what it dropped.
        changed = [loc.id for loc in existing.values() if loc.confidential] + dropped
    mark_confidential(session=session, location_ids=changed)
    if progress is not None:
        progress(len(rows) % 100)
    return report


def mark_confidential(*, session: Session, location_ids: list[str]) -> None:
    """Set each location's ``confidential``: true while a confidential listing names it and
    no current public listing does. A location known only from a confidential list stays
    hidden once that list drops it; one a public list names is public whoever else lists it."""
    for chunk in _chunks(sorted(set(location_ids)), 500):
        kinds: dict[str, set[str]] = {}
        statement = select(
            LocationSourcing.location_id, LocationSourcing.confidential, LocationSourcing.listed
        ).where(col(LocationSourcing.location_id).in_(chunk))
        for location_id, secret, listed in session.exec(statement).all():
            kinds.setdefault(location_id, set()).add(
                "confidential" if secret else "public" if listed else "delisted"
            )
        for location in session.exec(
            select(ProductionLocation).where(col(ProductionLocation.id).in_(chunk))
        ).all():
            found = kinds.get(location.id, set())
            hidden = "confidential" in found and "public" not in found
            if location.confidential != hidden:
                location.confidential = hidden
                session.add(location)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def read_lists(
    paths: list[Path], encoding: str | None = None
) -> tuple[list[LocationRow], list[RejectedRow]]:
    """Read and check a company's supplier list files together (encoding guessed if None)."""
    return parse_tables((p.name, read_table(p.name, p.read_bytes(), encoding)) for p in paths)


def company_for_import(*, session: Session, covenant: str, key: str) -> tuple[Organisation, bool]:
    """The covenant's company named ``key`` (id or name), created as a party if new."""
    found = organisations.covenant_party(
        session=session, covenant=covenant, key=key, kind="company"
    )
    if found is not None:
        return found, False
    slug = "-".join(name_key(key).split())[:64] or "company"
    company = session.get(Organisation, slug)
    if company is None:
        company = Organisation(id=slug, name=clean(key), kind="company")
        session.add(company)
        session.flush()  # the organisation before its membership
    session.add(CovenantMembership(covenant=covenant, organisation_id=company.id))
    session.flush()
    return company, True
