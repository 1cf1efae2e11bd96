"""The public register's rows: published summaries, redaction terms and the complainants'
agreement to be named; counts of the cases not published."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import extract, func
from sqlmodel import Session, col, select

from store.tables import CaseRow, Complainant
from store.tables.register import NamingConsent, RedactionTerm, RegisterEntry


def publish(
    *,
    session: Session,
    reference: str,
    covenant: str,
    summary: str,
    named: bool,
    at: datetime,
    by: str,
) -> None:
    """Publish the case's summary, replacing one published before."""
    row = session.get(RegisterEntry, reference)
    if row is None:
        row = RegisterEntry(
            reference=reference,
            covenant=covenant,
            summary=summary,
            named=named,
            published_at=at,
            published_by=by,
        )
    row.summary, row.named, row.published_at, row.published_by = summary, named, at, by
    session.add(row)


def set_consent(*, session: Session, reference: str, agreed: bool, at: datetime) -> None:
    """Record the complainant's latest word on being named."""
    row = session.get(NamingConsent, reference) or NamingConsent(reference=reference, at=at)
    row.agreed, row.at = agreed, at
    session.add(row)


def consents(*, session: Session, references: Collection[str]) -> set[str]:
    """The cases among ``references`` whose complainant agreed to be named."""
    if not references:
        return set()
    statement = select(NamingConsent.reference).where(
        col(NamingConsent.reference).in_(list(references)), col(NamingConsent.agreed)
    )
    return set(session.exec(statement).all())


def _published_where(
    statement: Any, *, reference: str | None, covenant: str | None, year: int | None
) -> Any:
    statement = statement.where(col(RegisterEntry.reference) == col(CaseRow.reference))
    if reference is not None:
        statement = statement.where(col(RegisterEntry.reference) == reference)
    if covenant is not None:
        statement = statement.where(col(RegisterEntry.covenant) == covenant)
    if year is not None:
        statement = statement.where(extract("year", col(CaseRow.filed_at)) == year)
    return statement


def published(
    *,
    session: Session,
    reference: str | None = None,
    covenant: str | None = None,
    year: int | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[tuple[RegisterEntry, CaseRow]]:
    """The published entries with their cases (of a covenant, filed in a year, or the one of
    ``reference``), newest first; ``offset`` and ``limit`` page them."""
    statement = _published_where(
        select(RegisterEntry, CaseRow), reference=reference, covenant=covenant, year=year
    )
    statement = statement.order_by(
        col(RegisterEntry.published_at).desc(), col(RegisterEntry.reference)
    )
    statement = statement.offset(offset).limit(limit)
    return [(entry, case) for entry, case in session.exec(statement).all()]


def published_count(
    *, session: Session, covenant: str | None = None, year: int | None = None
) -> int:
    """How many entries ``published`` would list without paging."""
    statement = _published_where(
        select(func.count())
        .select_from(RegisterEntry)
        .join(CaseRow, col(RegisterEntry.reference) == col(CaseRow.reference)),
        reference=None,
        covenant=covenant,
        year=year,
    )
    return int(session.exec(statement).one())


def is_published(*, session: Session, reference: str) -> bool:
    """Whether the case has an entry in the register."""
    return session.get(RegisterEntry, reference) is not None


def terms_of(*, session: Session, reference: str, covenant: str) -> list[RedactionTerm]:
    """The case's own redaction terms and its covenant's, in the order they were added."""
    statement = select(RedactionTerm).where(
        col(RedactionTerm.covenant) == covenant,
        (col(RedactionTerm.reference) == reference) | col(RedactionTerm.reference).is_(None),
    )
    return list(session.exec(statement.order_by(col(RedactionTerm.id))).all())


def terms_for(*, session: Session, cases: Collection[tuple[str, str]]) -> dict[str, list[str]]:
    """The redaction terms of each (reference, covenant) given, keyed by reference."""
    covenants = {covenant for _, covenant in cases}
    if not covenants:
        return {}
    statement = select(RedactionTerm).where(col(RedactionTerm.covenant).in_(covenants))
    per_case: dict[str, list[str]] = defaultdict(list)
    per_covenant: dict[str, list[str]] = defaultdict(list)
    for term in session.exec(statement).all():
        if term.reference is None:
            per_covenant[term.covenant].append(term.term)
        else:
            per_case[term.reference].append(term.term)
    return {ref: [*per_case[ref], *per_covenant[cov]] for ref, cov in cases}


def add_term(
    *,
    session: Session,
    covenant: str,
    reference: str | None,
    term: str,
    at: datetime,
    by: str,
) -> RedactionTerm:
    """Add a term to a case's list (or, without ``reference``, to its covenant's)."""
    row = RedactionTerm(covenant=covenant, reference=reference, term=term, added_at=at, added_by=by)
    session.add(row)
    session.flush()
    return row


def remove_term(*, session: Session, covenant: str, term_id: int) -> RedactionTerm | None:
    """Remove a term of this covenant; the row removed, or None when there was none."""
    row = session.get(RedactionTerm, term_id)
    if row is None or row.covenant != covenant:
        return None
    session.delete(row)
    return row


def complainants_of(*, session: Session, references: Collection[str]) -> list[Complainant]:
    """The complainants' intake records of these cases (identity: for redaction only)."""
    if not references:
        return []
    statement = select(Complainant).where(col(Complainant.reference).in_(list(references)))
    return list(session.exec(statement).all())


def unpublished_counts(*, session: Session) -> list[tuple[str, int, int]]:
    """(covenant, year filed, number) of the cases without a register entry."""
    year = extract("year", col(CaseRow.filed_at))
    published_refs = select(RegisterEntry.reference)
    statement = (
        select(col(CaseRow.covenant), year, func.count())
        .where(col(CaseRow.reference).not_in(published_refs))
        .group_by(col(CaseRow.covenant), year)
        .order_by(col(CaseRow.covenant), year)
    )
    return [(covenant, int(y), int(n)) for covenant, y, n in session.exec(statement).all()]
