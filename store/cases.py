"""Reading cases: one case, its orders and parties, and the filtered, paged case list."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ColumnElement,
    and_,
    false,
    func,
    literal_column,
    or_,
    true,
    union_all,
)
from sqlmodel import Session, col, select

from domain.cases import CaseState
from domain.enums import CaseKind, CaseStatus, DecidingBody
from store.listing import (
    INDEXED_LENGTH,
    ByDialect,
    fts_match,
    fts_phrase,
    like_pattern,
    page_bounds,
)
from store.tables import CaseOrder, CaseRecusal, CaseRespondent, CaseRow, Complainant, User
from store.tables.search import CASE_SEARCH


@dataclass(frozen=True)
class CaseFilter:
    """Which cases a list (or statistics) keeps; every field left at its default keeps all.

    ``recused`` leaves out the cases that member is recused from, ``covenants`` keeps only
    those covenants' cases, ``steering_group`` only the disputes a steering group decides,
    ``organisation_id`` the cases that organisation is a visible respondent or complainant of.
    """

    covenant: str | None = None
    stage: str | None = None
    overdue: bool | None = None
    q: str | None = None
    organisation_id: str | None = None
    mediator: str | None = None
    due_before: datetime | None = None
    assigned_to: str | None = None
    recused: str | None = None
    covenants: frozenset[str] | None = None
    steering_group: bool = False


ALL_CASES = CaseFilter()
# Beyond this many cases found by a text search, a page is found faster by walking the cases
# newest first than by sorting all of them (SQLite; measured at 100,000 cases).
MANY_FOUND = 1_000


def get_case(*, session: Session, reference: str) -> CaseRow | None:
    """The projected case, or None."""
    return session.get(CaseRow, reference)


def case_status(*, session: Session, reference: str) -> CaseStatus | None:
    """The case's status as last projected, read from the database (not the session cache)."""
    statement = select(CaseRow.status).where(col(CaseRow.reference) == reference)
    status = session.exec(statement).first()
    return CaseStatus(status) if status is not None else None


def text_search(text: str, *, leads: bool = True) -> ColumnElement[bool]:
    """The case's reference or subject contains ``text`` (case-blind), found through the
    search index: FTS5 trigrams on SQLite, ``pg_trgm`` on PostgreSQL. Text under three
    characters is scanned for. Nothing else about a case is searched (not the complainant).

    With ``leads`` false, SQLite does not start from the cases the index found but tests
    each case it meets against them (the unary + keeps the rowid from choosing the plan):
    for a word in many cases, the newest page is met after a few hundred. PostgreSQL's
    planner knows how many there are and chooses itself."""
    text = text.replace("\x00", "").strip()  # no database takes a NUL in a query's text
    columns = [col(CaseRow.reference), col(CaseRow.subject)]
    if len(text) < INDEXED_LENGTH:
        # SQLite's LIKE ignores the case of ASCII letters: lower() on every row is not needed.
        lowered = text.lower()
        on_sqlite = or_(*(c.contains(lowered, autoescape=True) for c in columns))
    else:
        matching = select(CASE_SEARCH.c.rowid).where(fts_match(CASE_SEARCH, fts_phrase(text)))
        rowid: ColumnElement[int] = literal_column("cases.rowid" if leads else "+cases.rowid")
        on_sqlite = rowid.in_(matching)
    # lower() on both sides, as the trigram indexes are built (migration 0012).
    pattern = func.lower(like_pattern(text))
    return ByDialect(sqlite=on_sqlite, other=or_(*(func.lower(c).like(pattern) for c in columns)))


# Whether the complainants may know of the case, from its stored state (``CaseState``):
# not one split off against companies routed to through their confidential lists alone
# (``Party.disclosed`` false on every respondent). Tested only on an organisation's own cases.
# A case with no such company (almost every one) is told by a text search of the state
# (its compact JSON), before any of it is parsed.
UNDISCLOSED = '"disclosed":false'
COMPLAINANTS_SEE: ColumnElement[bool] = ByDialect(
    sqlite=literal_column(
        "(instr(cases.snapshot, '\"disclosed\":false') = 0 "
        "OR json_extract(cases.snapshot, '$.split_from') IS NULL OR EXISTS (SELECT 1 FROM "
        "json_each(cases.snapshot, '$.respondents') AS r "
        "WHERE json_extract(r.value, '$.disclosed')))",
        Boolean,
    ),
    other=literal_column(
        "(strpos(cases.snapshot, '\"disclosed\":false') = 0 "
        "OR (cases.snapshot::json ->> 'split_from') IS NULL OR EXISTS (SELECT 1 FROM "
        "json_array_elements(cases.snapshot::json -> 'respondents') AS r "
        "WHERE (r ->> 'disclosed')::boolean))",
        Boolean,
    ),
)


def organisation_cases(organisation_id: str) -> list[ColumnElement[bool]]:
    """Clauses keeping the cases the organisation is a respondent of (once the respondents
    may know of it) or the complainant of: first the references either way (two indexed
    look-ups), so that the list does not read every case to test the condition."""
    respondent_of = select(CaseRespondent.reference).where(
        col(CaseRespondent.organisation_id) == organisation_id
    )
    complainant_of = (
        select(CaseRow.reference)
        .where(col(CaseRow.complainant_organisation_id) == organisation_id)
        .correlate(None)
    )
    # A case another of its complaints was merged into: a complainant there too.
    joined = (
        select(Complainant.reference)
        .join(User, col(User.id) == col(Complainant.filer_user_id))
        .where(
            col(User.organisation_id) == organisation_id, col(Complainant.merged_from).is_not(None)
        )
    )
    # As ``services.access.standing``: a complainant sees its case unless it was split off
    # against companies routed to through their confidential lists alone; a company once
    # the respondents may know of it.
    complainant = or_(
        col(CaseRow.complainant_organisation_id) == organisation_id,
        col(CaseRow.reference).in_(joined),
    )
    return [
        col(CaseRow.reference).in_(union_all(respondent_of, complainant_of, joined)),
        or_(
            and_(complainant, COMPLAINANTS_SEE),
            and_(~func.coalesce(complainant, false()), col(CaseRow.respondents_see)),
        ),
    ]


def case_filters(where: CaseFilter, *, search_leads: bool = True) -> list[ColumnElement[bool]]:
    """WHERE clauses on ``CaseRow`` for the case filter (shared with statistics);
    ``search_leads`` as ``text_search``'s ``leads``."""
    clauses: list[ColumnElement[bool]] = []
    if where.covenants is not None:
        clauses.append(col(CaseRow.covenant).in_(sorted(where.covenants)))
    if where.steering_group:
        clauses.append(col(CaseRow.kind) == CaseKind.DISPUTE.value)
        clauses.append(col(CaseRow.deciding_body) == DecidingBody.STEERING_GROUP.value)
    if where.recused is not None:
        closed_to = select(CaseRecusal.reference).where(col(CaseRecusal.member) == where.recused)
        clauses.append(col(CaseRow.reference).not_in(closed_to))
    if where.covenant:
        clauses.append(col(CaseRow.covenant) == where.covenant)
    if where.stage:
        clauses.append(col(CaseRow.stage) == where.stage)
    if where.overdue is not None:
        clauses.append(col(CaseRow.overdue) == (true() if where.overdue else false()))
    if where.q and where.q.strip():
        clauses.append(text_search(where.q, leads=search_leads))
    if where.organisation_id is not None:
        clauses.extend(organisation_cases(where.organisation_id))
    if where.mediator is not None:
        clauses.append(col(CaseRow.mediator) == where.mediator)
    if where.due_before is not None:
        clauses.append(col(CaseRow.next_due) < where.due_before)
    if where.assigned_to is not None:
        clauses.append(
            or_(
                col(CaseRow.officer) == where.assigned_to,
                col(CaseRow.mediator) == where.assigned_to,
            )
        )
    return clauses


def seen_by(row: CaseRow, organisation_id: str) -> CaseRow:
    """The list line as the organisation may see it: its next due date and overdue flag
    leave out the deadlines of a company routed to through its confidential list
    (``Party.disclosed`` false) unless that company is the organisation itself. A new,
    detached row when they differ (the stored one is never changed), else the row."""
    if UNDISCLOSED not in row.snapshot:
        return row  # no such company: nothing to leave out, nothing to parse
    state = CaseState.model_validate_json(row.snapshot)
    hidden = {
        p.organisation_id
        for p in state.respondents
        if not p.disclosed and p.organisation_id != organisation_id
    }
    if not hidden:
        return row
    shown = [d for d in state.open_deadlines() if d.party not in hidden]
    first = shown[0] if shown else None
    return CaseRow.model_validate(
        row.model_dump()
        | {
            "overdue": any(d.overdue for d in shown),
            "next_deadline_name": first.name if first else None,
            "next_due": first.due if first else None,
        }
    )


def _seen_matches(row: CaseRow, where: CaseFilter) -> bool:
    if where.overdue is not None and row.overdue != where.overdue:
        return False
    if where.due_before is not None:
        return row.next_due is not None and row.next_due < where.due_before
    return True


def list_cases(
    *, session: Session, where: CaseFilter = ALL_CASES, page: int = 1, page_size: int = 20
) -> tuple[list[CaseRow], int]:
    """One page of cases matching the filter, newest first, and the total count.

    The page's references are chosen first, from the indexes where the filters allow, and
    only those rows are read: a row holds the case's state, and sorting every matching row
    to keep twenty would read them all. A text search found in many cases walks the list's
    order instead of sorting them all (``text_search``).

    An organisation's list shows each case's deadlines as it may see them (``seen_by``); its
    filters on them (overdue, due before) test those, among its own cases read in full."""
    organisation = where.organisation_id
    if organisation is not None:
        if where.overdue is None and where.due_before is None:
            rows, total = _list_page(session=session, where=where, page=page, page_size=page_size)
            return [seen_by(row, organisation) for row in rows], total
        # What the stored fields find is a superset of what they find as seen (a hidden
        # deadline only makes a case look due sooner, or overdue): test each as seen.
        wider = replace(where, overdue=True if where.overdue else None)
        found = session.exec(
            select(CaseRow)
            .where(*case_filters(wider))
            .order_by(col(CaseRow.filed_at).desc(), col(CaseRow.reference).desc())
        ).all()
        kept = [seen for row in found if _seen_matches(seen := seen_by(row, organisation), where)]
        offset, limit = page_bounds(page, page_size)
        return kept[offset : offset + limit], len(kept)
    return _list_page(session=session, where=where, page=page, page_size=page_size)


def _list_page(
    *, session: Session, where: CaseFilter, page: int, page_size: int
) -> tuple[list[CaseRow], int]:
    offset, limit = page_bounds(page, page_size)
    total = count_cases(session=session, where=where)
    clauses = case_filters(where, search_leads=total <= MANY_FOUND)
    newest_first = (col(CaseRow.filed_at).desc(), col(CaseRow.reference).desc())
    page_refs = (
        select(CaseRow.reference)
        .where(*clauses)
        .order_by(*newest_first)
        .offset(offset)
        .limit(limit)
        .correlate(None)
    )
    rows = session.exec(
        select(CaseRow).where(col(CaseRow.reference).in_(page_refs)).order_by(*newest_first)
    ).all()
    return list(rows), int(total)


def count_cases(*, session: Session, where: CaseFilter = ALL_CASES) -> int:
    """How many cases match the filter.

    A member is recused from few cases: without a text search (which finds few cases, each
    quickly tested), those are counted and taken off the count without the recusal, rather
    than every case tested against the member's recusals."""

    def count(clauses: list[ColumnElement[bool]]) -> int:
        return session.exec(select(func.count()).select_from(CaseRow).where(*clauses)).one()

    if where.recused is None or (where.q and where.q.strip()):
        return count(case_filters(where))
    unrecused = case_filters(replace(where, recused=None))
    closed_to = select(CaseRecusal.reference).where(col(CaseRecusal.member) == where.recused)
    return count(unrecused) - count([*unrecused, col(CaseRow.reference).in_(closed_to)])


def case_orders(*, session: Session, reference: str) -> list[CaseOrder]:
    """The case's remediation orders by number."""
    statement = select(CaseOrder).where(col(CaseOrder.reference) == reference)
    return list(session.exec(statement.order_by(col(CaseOrder.number))).all())


def case_respondent_ids(*, session: Session, reference: str) -> list[str]:
    """Organisation ids of the case's respondents."""
    statement = select(CaseRespondent.organisation_id).where(
        col(CaseRespondent.reference) == reference
    )
    return list(session.exec(statement).all())


def get_complainant(*, session: Session, reference: str, number: int = 1) -> Complainant | None:
    """The intake record of one complainant of the case (by default the one who filed)."""
    return session.get(Complainant, (reference, number))


def case_complainants(*, session: Session, reference: str) -> list[Complainant]:
    """Every complainant of the case, the filer first, then those merged in."""
    statement = select(Complainant).where(col(Complainant.reference) == reference)
    return list(session.exec(statement.order_by(col(Complainant.number))).all())
