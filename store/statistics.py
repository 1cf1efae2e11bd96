"""The read model's figures for statistics: counts grouped in SQL, and the few rows the
figures need case by case (stage entries, closing times, orders), for the cases of a scope.

Every query takes the scope as WHERE clauses on ``CaseRow`` (``scope_clauses``), so that
the counts and the rows are of the same cases. Nothing here reads a complainant's identity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import JSON, ColumnElement, Select, and_, case, cast, func, select
from sqlmodel import Session, col

from store.cases import CaseFilter, case_filters
from store.tables import (
    CaseDeadline,
    CaseEvent,
    CaseOrder,
    CaseRespondent,
    CaseRow,
    Organisation,
    ProductionLocation,
)

# The events that mark a case entering a stage (``stage_changed``), leaving it for good
# (``closed``), or starting (``filed``); and those counted as such.
STAGE_EVENTS = ("filed", "stage_changed", "closed")
COUNTED_EVENTS = ("reopened", "non_compliance_found")


@dataclass(frozen=True)
class Period:
    """The cases filed from ``start`` to ``end`` (dates, inclusive, UTC); None: unbounded."""

    start: date | None = None
    end: date | None = None

    @property
    def after(self) -> datetime | None:
        """The first moment of the period."""
        return datetime.combine(self.start, time(), tzinfo=UTC) if self.start else None

    @property
    def before(self) -> datetime | None:
        """The first moment after the period."""
        if self.end is None:
            return None
        return datetime.combine(self.end + timedelta(days=1), time(), tzinfo=UTC)


def scope_clauses(where: CaseFilter, period: Period) -> list[ColumnElement[bool]]:
    """WHERE clauses on ``CaseRow``: the filter (covenant, the caller's scope) and filing date."""
    clauses = case_filters(where)
    if period.after is not None:
        clauses.append(col(CaseRow.filed_at) >= period.after)
    if period.before is not None:
        clauses.append(col(CaseRow.filed_at) < period.before)
    return clauses


def _in_scope(clauses: Sequence[ColumnElement[bool]]) -> Select[Any]:
    return select(col(CaseRow.reference)).where(*clauses)


def count_by(
    *, session: Session, clauses: Sequence[ColumnElement[bool]], column: str
) -> dict[str, int]:
    """Cases of the scope counted by a column of ``cases`` (``kind``, ``stage`` …); cases
    whose value is null (the outcome of an open case) are not counted."""
    field = getattr(CaseRow, column)
    statement = select(field, func.count()).where(*clauses).group_by(field)
    return {str(value): n for value, n in session.execute(statement).all() if value is not None}


def closed_between(*, session: Session, where: CaseFilter, period: Period) -> int:
    """Cases of the filter (whenever filed) closed within the period."""
    statement = select(func.count()).select_from(CaseRow).where(*case_filters(where))
    statement = statement.where(col(CaseRow.closed_at).is_not(None))
    if period.after is not None:
        statement = statement.where(col(CaseRow.closed_at) >= period.after)
    if period.before is not None:
        statement = statement.where(col(CaseRow.closed_at) < period.before)
    return int(session.execute(statement).scalar_one())


def _json_text(session: Session, *path: str) -> ColumnElement[Any]:
    """The snapshot's text value at ``path`` (SQLite's json_extract, PostgreSQL's json)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.json_extract_path_text(cast(col(CaseRow.snapshot), JSON), *path)
    return func.json_extract(col(CaseRow.snapshot), "$." + ".".join(path))


def count_issues(*, session: Session, clauses: Sequence[ColumnElement[bool]]) -> dict[str, int]:
    """Cases of the scope counted by each issue they raise (a case counts once per issue)."""
    if session.get_bind().dialect.name == "postgresql":
        items = func.json_array_elements_text(
            func.json_extract_path(cast(col(CaseRow.snapshot), JSON), "issues")
        ).table_valued("value")
    else:
        items = func.json_each(col(CaseRow.snapshot), "$.issues").table_valued("value")
    issue = items.c.value
    statement = select(issue, func.count()).select_from(CaseRow).join(items, issue.is_not(None))
    statement = statement.where(*clauses).group_by(issue)
    return {str(value): n for value, n in session.execute(statement).all()}


def count_findings(*, session: Session, clauses: Sequence[ColumnElement[bool]]) -> dict[str, int]:
    """Cases of the scope with a decision, counted by its finding."""
    # Each snapshot parsed once (PostgreSQL parses a json value at every mention of it).
    findings = (
        select(_json_text(session, "decision", "finding").label("finding"))
        .where(*clauses)
        .cte("findings")
        .prefix_with("MATERIALIZED")
    )
    finding = findings.c.finding
    statement = select(finding, func.count()).where(finding.is_not(None)).group_by(finding)
    return {str(value): n for value, n in session.execute(statement).all()}


def count_companies(
    *, session: Session, clauses: Sequence[ColumnElement[bool]]
) -> list[tuple[str, str, int]]:
    """(organisation id, name, cases) of each respondent of the scope's cases, most first."""
    statement = (
        select(col(Organisation.id), col(Organisation.name), func.count())
        .select_from(CaseRespondent)
        .join(Organisation, col(Organisation.id) == col(CaseRespondent.organisation_id))
        .where(col(CaseRespondent.reference).in_(_in_scope(clauses)))
        .group_by(col(Organisation.id), col(Organisation.name))
    )
    rows = [(str(i), str(name), int(n)) for i, name, n in session.execute(statement).all()]
    return sorted(rows, key=lambda row: (-row[2], row[1], row[0]))


def count_countries(*, session: Session, clauses: Sequence[ColumnElement[bool]]) -> dict[str, int]:
    """Cases of the scope by country: the production location's, else the respondent
    company's; a case counts once in each country it concerns (and nowhere when none is
    known)."""
    country = func.coalesce(col(ProductionLocation.country), col(Organisation.country))
    pairs = (
        select(col(CaseRespondent.reference).label("reference"), country.label("country"))
        .select_from(CaseRespondent)
        .outerjoin(
            ProductionLocation,
            col(ProductionLocation.id) == col(CaseRespondent.production_location_id),
        )
        .outerjoin(Organisation, col(Organisation.id) == col(CaseRespondent.organisation_id))
        .where(col(CaseRespondent.reference).in_(_in_scope(clauses)))
        .distinct()
        .subquery()
    )
    statement = select(pairs.c.country, func.count()).group_by(pairs.c.country)
    found = session.execute(statement.where(pairs.c.country.is_not(None))).all()
    return {str(value).upper(): n for value, n in found}


def deadline_counts(
    *, session: Session, clauses: Sequence[ColumnElement[bool]]
) -> dict[str, tuple[int, int]]:
    """Per owner, the deadlines of the scope's cases (met, missed): met is met before it fell
    due (never escalated); missed is escalated, met late or not. Open deadlines not yet due
    and those cancelled before they fell due count as neither."""
    deadlines = col(CaseDeadline.state)
    escalated = col(CaseDeadline.escalated)
    met = func.sum(case((and_(deadlines == "met", escalated.is_(False)), 1), else_=0))
    missed = func.sum(case((escalated.is_(True), 1), else_=0))
    statement = (
        select(col(CaseDeadline.owner), met, missed)
        .where(col(CaseDeadline.reference).in_(_in_scope(clauses)))
        .group_by(col(CaseDeadline.owner))
    )
    return {
        str(owner): (int(m or 0), int(x or 0)) for owner, m, x in session.execute(statement).all()
    }


def days_between(session: Session, later: Any, earlier: Any) -> ColumnElement[Any]:
    """The days from ``earlier`` to ``later`` as a fraction, in SQL (either dialect)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", later - earlier) / 86_400.0
    return func.julianday(later) - func.julianday(earlier)


def _contains(session: Session, column: Any, words: str) -> ColumnElement[bool]:
    """Whether the column holds the words, case and all (SQLite's LIKE ignores case)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.strpos(column, words) > 0
    return func.instr(column, words) > 0


def stage_stays(
    *,
    session: Session,
    clauses: Sequence[ColumnElement[bool]],
    rules: Sequence[tuple[str, str]],
    unnamed: Sequence[str],
) -> list[tuple[str, float]]:
    """(stage, days) of each stay of the scope's cases in a stage they left: from the
    event entering it (filed: received; closed: closed; stage_changed: the stage of the first
    of ``rules`` (words, stage) whose words its summary holds, none when it starts with one
    of ``unnamed``) to the next such event."""
    summary, type_ = col(CaseEvent.summary), col(CaseEvent.type)
    named = [(_contains(session, summary, words), stage) for words, stage in rules]
    stage = case(
        (type_ == "filed", "received"),
        (type_ == "closed", "closed"),
        *[(summary.startswith(words), None) for words in unnamed],
        *named,
        else_=None,
    )
    entries = (
        select(
            stage.label("stage"),
            col(CaseEvent.at).label("at"),
            func.lead(col(CaseEvent.at))
            .over(partition_by=col(CaseEvent.reference), order_by=col(CaseEvent.seq))
            .label("left_at"),
        )
        .where(type_.in_(STAGE_EVENTS))
        .where(col(CaseEvent.reference).in_(_in_scope(clauses)))
        .subquery()
    )
    statement = select(
        entries.c.stage, days_between(session, entries.c.left_at, entries.c.at)
    ).where(
        entries.c.stage.is_not(None), entries.c.stage != "closed", entries.c.left_at.is_not(None)
    )
    return [(str(s), float(d)) for s, d in session.execute(statement).all()]


def open_by_age(
    *,
    session: Session,
    clauses: Sequence[ColumnElement[bool]],
    since: Sequence[tuple[str, datetime]],
) -> dict[str, int]:
    """Open (or suspended) cases counted by the first (label, moment) they were filed at or
    after; those filed before every moment under ``""``."""
    bucket = case(*[(col(CaseRow.filed_at) >= moment, label) for label, moment in since], else_="")
    statement = (
        select(bucket, func.count())
        .where(*clauses, col(CaseRow.status) != "closed")
        .group_by(bucket)
    )
    return {str(label): int(n) for label, n in session.execute(statement).all()}


def closing_days(*, session: Session, clauses: Sequence[ColumnElement[bool]]) -> list[float]:
    """The days from filing to closing of each of the scope's closed cases."""
    days = days_between(session, col(CaseRow.closed_at), col(CaseRow.filed_at))
    statement = select(days).where(
        *clauses, col(CaseRow.status) == "closed", col(CaseRow.closed_at).is_not(None)
    )
    return [float(d) for d in session.execute(statement).scalars()]


def closed_references(*, session: Session, clauses: Sequence[ColumnElement[bool]]) -> set[str]:
    """The references of the scope's closed cases."""
    statement = select(col(CaseRow.reference)).where(*clauses, col(CaseRow.status) == "closed")
    return set(session.execute(statement).scalars())


def event_references(
    *, session: Session, clauses: Sequence[ColumnElement[bool]], type_: str
) -> set[str]:
    """The references of the scope's cases with an event of that type."""
    statement = (
        select(col(CaseEvent.reference))
        .where(col(CaseEvent.type) == type_)
        .where(col(CaseEvent.reference).in_(_in_scope(clauses)))
        .distinct()
    )
    return set(session.execute(statement).scalars())


def event_cases(
    *, session: Session, clauses: Sequence[ColumnElement[bool]], type_: str
) -> tuple[int, int]:
    """(events, distinct cases) of that type among the scope's cases."""
    statement = (
        select(func.count(), func.count(func.distinct(col(CaseEvent.reference))))
        .where(col(CaseEvent.type) == type_)
        .where(col(CaseEvent.reference).in_(_in_scope(clauses)))
    )
    events, cases = session.execute(statement).one()
    return int(events), int(cases)


def count_channels(
    *, session: Session, clauses: Sequence[ColumnElement[bool]], type_: str | None = None
) -> dict[str, int]:
    """The scope's events (of that type; None: all) by the channel they came through: web,
    api, email, sms. The system's own events, and those recorded before channels, have none."""
    statement = (
        select(col(CaseEvent.channel), func.count())
        .where(col(CaseEvent.channel).is_not(None))
        .where(col(CaseEvent.reference).in_(_in_scope(clauses)))
        .group_by(col(CaseEvent.channel))
    )
    if type_ is not None:
        statement = statement.where(col(CaseEvent.type) == type_)
    return {str(channel): int(n) for channel, n in session.execute(statement).all()}


@dataclass(frozen=True)
class OrderRow:
    """A remediation order of a case of the scope, and when it was verified (if it was)."""

    reference: str
    covenant: str
    number: int
    due: date
    status: str
    verified_at: datetime | None


def orders(*, session: Session, clauses: Sequence[ColumnElement[bool]]) -> list[OrderRow]:
    """The scope's remediation orders with the time of their ``order_verified`` event."""
    statement = (
        select(
            col(CaseOrder.reference),
            col(CaseRow.covenant),
            col(CaseOrder.number),
            col(CaseOrder.due),
            col(CaseOrder.status),
        )
        .join(CaseRow, col(CaseRow.reference) == col(CaseOrder.reference))
        .where(*clauses)
    )
    found = session.execute(statement).all()
    verified: dict[tuple[str, int], datetime] = {}
    events = (
        select(col(CaseEvent.reference), col(CaseEvent.at), col(CaseEvent.summary))
        .where(col(CaseEvent.type) == "order_verified")
        .where(col(CaseEvent.reference).in_(_in_scope(clauses)))
    )
    for reference, at, summary in session.execute(events).all():
        number = _order_number(summary)
        if number is not None:
            verified[reference, number] = at
    return [
        OrderRow(r, cov, n, due, status, verified.get((r, n)) if status == "verified" else None)
        for r, cov, n, due, status in found
    ]


def _order_number(summary: str) -> int | None:
    """The order's number in "Order {n} verified as complied with"."""
    words = summary.split()
    if len(words) > 1 and words[0] == "Order" and words[1].isdigit():
        return int(words[1])
    return None
