"""Statistics of a covenant's cases over a period: ``compute`` reads them from the read model
(``store.statistics``) and the pure functions here aggregate them, for the API, the staff
page, the exports and the annual report.

The cases counted are those filed in the period (``from`` to ``to``, dates inclusive, UTC)
within the caller's scope. Figures are counts and durations only: no complainant's identity.
"""

from __future__ import annotations

import math
import statistics as stats
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import ColumnElement
from sqlmodel import Session

from domain.calendar import add_duration
from domain.enums import Finding, Stage
from domain.procedure import Procedure
from store import statistics as queries
from store.cases import ALL_CASES, CaseFilter
from store.covenants import list_covenants

# Stage → the procedure's deadline for it, whose period is the stage's target.
STAGE_TARGETS: dict[Stage, str] = {
    Stage.SIGNAL: "due_diligence",
    Stage.SCREENING: "register",
    Stage.ADMISSIBILITY: "admissibility",
    Stage.RESPONSE: "response",
    Stage.MEDIATION: "mediation",
    Stage.DIALOGUE: "dialogue",
    Stage.HEARING: "hearing",
    Stage.DECISION: "decision",
    Stage.REMEDIATION: "remediation_plan",
}
DURATION_STAGES = [stage for stage in Stage if stage is not Stage.CLOSED]
# Which stage a ``stage_changed`` event entered, by its summary (domain/transitions and
# domain/effects write them): the first rule that matches wins, so "… goes to a hearing"
# is a hearing before "Mediation" is mediation.
ENTERED: list[tuple[str, Stage]] = [
    ("Hearing held", Stage.DECISION),
    ("hearing", Stage.HEARING),
    ("Screening", Stage.SCREENING),
    ("Registered", Stage.ADMISSIBILITY),
    ("Declared admissible", Stage.RESPONSE),
    ("Mediation", Stage.MEDIATION),
    ("Direct dialogue", Stage.DIALOGUE),
    ("Remediation", Stage.REMEDIATION),
    ("Signal", Stage.SIGNAL),
]
# A stage_changed event entering a stage the summary does not name.
UNNAMED = ("Reopened", "Continues")
# Open cases by the days since they were filed: (label, up to and including so many days).
AGE_BUCKETS: list[tuple[str, float]] = [
    ("0-30", 30),
    ("31-90", 90),
    ("91-180", 180),
    ("181-365", 365),
    ("over 365", math.inf),
]


class StageDuration(BaseModel):
    """How long cases stayed in a stage, in days, against the procedure's target."""

    median_days: float | None = None
    p90_days: float | None = None
    target_days: float | None = None
    # The target in the procedure's own unit ("30 business_days"), and how many stays.
    target: str | None = None
    cases: int = 0


class DeadlineCount(BaseModel):
    """Deadlines met before they fell due, and missed."""

    met: int = 0
    missed: int = 0


class CompanyCount(BaseModel):
    """A respondent company and the number of cases against it."""

    id: str
    name: str
    cases: int


class Decisions(BaseModel):
    """Decisions issued, by finding, and findings of non-compliance with an order."""

    total: int = 0
    by_finding: dict[str, int] = Field(default_factory=dict)
    non_compliance_findings: int = 0
    non_compliance_cases: int = 0


class OrderCount(BaseModel):
    """Remediation orders: verified as complied with by their due date, after it, or not yet."""

    on_time: int = 0
    late: int = 0
    open: int = 0


class Reopened(BaseModel):
    """Cases reopened after closing, and their share of the cases ever closed."""

    cases: int = 0
    share: float | None = None


class TimeToClose(BaseModel):
    """Days from filing to closing of the closed cases."""

    cases: int = 0
    average_days: float | None = None
    median_days: float | None = None


class Statistics(BaseModel):
    """The figures of ``GET /api/v1/stats`` (API.md's keys first, then this project's)."""

    model_config = ConfigDict(populate_by_name=True)

    total: int
    by_stage: dict[str, int]
    by_outcome: dict[str, int]
    by_issue: dict[str, int]
    by_country: dict[str, int]
    durations: dict[str, StageDuration]
    deadlines: DeadlineCount
    covenant: str | None = None
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None
    by_kind: dict[str, int] = Field(default_factory=dict)
    by_company: list[CompanyCount] = Field(default_factory=list)
    deadlines_by_party: dict[str, DeadlineCount] = Field(default_factory=dict)
    open_by_age: dict[str, int] = Field(default_factory=dict)
    decisions: Decisions = Field(default_factory=Decisions)
    orders: OrderCount = Field(default_factory=OrderCount)
    reopened: Reopened = Field(default_factory=Reopened)
    time_to_close: TimeToClose = Field(default_factory=TimeToClose)
    closed_in_period: int = 0
    # What the parties did, by the channel it came through (web, api, email, sms): all their
    # events, and the filings alone.
    by_channel: dict[str, int] = Field(default_factory=dict)
    filed_by_channel: dict[str, int] = Field(default_factory=dict)


def median(values: Sequence[float]) -> float | None:
    """The median (the mean of the middle two of an even count, to two decimals), or None
    when empty."""
    return round(stats.median(values), 2) if values else None


def p90(values: Sequence[float]) -> float | None:
    """The 90th percentile by the nearest-rank method, or None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def stage_stays(
    session: Session, clauses: Sequence[ColumnElement[bool]]
) -> dict[Stage, list[float]]:
    """The days (to one decimal) each case of the scope stayed in each stage it left, from
    entering it to entering the next; stays still running, and those whose event does not
    name the stage (a case reopened or split off into the stage it had reached), not."""
    rules = [(words, stage.value) for words, stage in ENTERED]
    found = queries.stage_stays(session=session, clauses=clauses, rules=rules, unnamed=UNNAMED)
    stays: dict[Stage, list[float]] = defaultdict(list)
    for stage, span in found:
        stays[Stage(stage)].append(round(span, 1))
    return stays


def target_of(procedures: Sequence[Procedure], stage: Stage, start: date) -> tuple[float, str]:
    """The stage's target in days (its period from ``start``, on the seat's calendar) and
    in the procedure's unit; raises KeyError when the procedures differ or lack it."""
    name = STAGE_TARGETS[stage]
    periods = {p.deadline(name) for p in procedures}
    if len(periods) != 1:
        raise KeyError(name)
    period = periods.pop()
    p = procedures[0]
    begin = datetime.combine(start, time(9), tzinfo=ZoneInfo(p.timezone))
    ends = add_duration(begin, period, p.seat_country, p.timezone)
    return float((ends.date() - begin.date()).days), f"{period.amount} {period.unit.value}"


def durations(
    stays: dict[Stage, list[float]], procedures: Sequence[Procedure], start: date
) -> dict[str, StageDuration]:
    """Median and 90th percentile of each stage's stays, with its target."""
    found = {}
    for stage in DURATION_STAGES:
        values = stays.get(stage, [])
        figure = StageDuration(median_days=median(values), p90_days=p90(values), cases=len(values))
        if stage in STAGE_TARGETS and procedures:
            try:
                figure.target_days, figure.target = target_of(procedures, stage, start)
            except KeyError:
                pass  # the covenants in scope set different targets, or none
        found[stage.value] = figure
    return found


def open_by_age(
    session: Session, clauses: Sequence[ColumnElement[bool]], now: datetime
) -> dict[str, int]:
    """Open (or suspended) cases counted by their age in days (``AGE_BUCKETS``)."""
    since = [(label, now - timedelta(days=limit)) for label, limit in AGE_BUCKETS[:-1]]
    found = queries.open_by_age(session=session, clauses=clauses, since=since)
    return {label: found.get(label if limit != math.inf else "", 0) for label, limit in AGE_BUCKETS}


def time_to_close(spans: Sequence[float]) -> TimeToClose:
    """Average and median days from filing to closing of the closed cases."""
    if not spans:
        return TimeToClose()
    return TimeToClose(
        cases=len(spans),
        average_days=round(stats.fmean(spans), 1),
        median_days=round(stats.median(spans), 1),
    )


def order_counts(rows: Iterable[queries.OrderRow], zones: dict[str, str]) -> OrderCount:
    """Orders verified on or before their due date (in the seat's time zone), after, or open."""
    counts = OrderCount()
    for row in rows:
        if row.status != "verified" or row.verified_at is None:
            counts.open += 1
            continue
        zone = ZoneInfo(zones.get(row.covenant, "Europe/Amsterdam"))
        if row.verified_at.astimezone(zone).date() <= row.due:
            counts.on_time += 1
        else:
            counts.late += 1
    return counts


def compute(
    session: Session,
    covenant: str | None = None,
    start: date | None = None,
    end: date | None = None,
    *,
    scope: CaseFilter = ALL_CASES,
    now: datetime | None = None,
) -> Statistics:
    """The statistics of the cases filed from ``start`` to ``end`` (inclusive; None:
    unbounded) of one covenant (None: all) within ``scope`` (the caller's cases)."""
    now = now or datetime.now(UTC)
    where = replace(scope, covenant=covenant) if covenant else scope
    period = queries.Period(start, end)
    clauses = queries.scope_clauses(where, period)
    by_stage = queries.count_by(session=session, clauses=clauses, column="stage")
    covenants = [c for c in list_covenants(session=session) if c.slug in _slugs(where, session)]
    procedures = [c.procedure for c in covenants]
    findings = queries.count_findings(session=session, clauses=clauses)
    nc_events, nc_cases = queries.event_cases(
        session=session, clauses=clauses, type_="non_compliance_found"
    )
    reopened = queries.event_references(session=session, clauses=clauses, type_="reopened")
    # Cases closed at least once: closed now, or reopened since.
    ever_closed = len(reopened | queries.closed_references(session=session, clauses=clauses))
    per_party = queries.deadline_counts(session=session, clauses=clauses)
    zones = {c.slug: c.procedure.timezone for c in covenants}
    return Statistics(
        covenant=covenant,
        **{"from": start},
        to=end,
        total=sum(by_stage.values()),
        by_stage=by_stage,
        by_outcome=queries.count_by(session=session, clauses=clauses, column="outcome"),
        by_issue=queries.count_issues(session=session, clauses=clauses),
        by_country=queries.count_countries(session=session, clauses=clauses),
        durations=durations(stage_stays(session, clauses), procedures, start or now.date()),
        deadlines=DeadlineCount(
            met=sum(m for m, _ in per_party.values()),
            missed=sum(x for _, x in per_party.values()),
        ),
        by_kind=queries.count_by(session=session, clauses=clauses, column="kind"),
        by_company=[
            CompanyCount(id=i, name=name, cases=n)
            for i, name, n in queries.count_companies(session=session, clauses=clauses)
        ],
        deadlines_by_party={
            owner: DeadlineCount(met=m, missed=x) for owner, (m, x) in sorted(per_party.items())
        },
        open_by_age=open_by_age(session, clauses, now),
        decisions=Decisions(
            total=sum(findings.values()),
            by_finding={f.value: findings.get(f.value, 0) for f in Finding},
            non_compliance_findings=nc_events,
            non_compliance_cases=nc_cases,
        ),
        orders=order_counts(queries.orders(session=session, clauses=clauses), zones),
        reopened=Reopened(
            cases=len(reopened),
            share=round(len(reopened) / ever_closed, 3) if ever_closed else None,
        ),
        time_to_close=time_to_close(queries.closing_days(session=session, clauses=clauses)),
        closed_in_period=queries.closed_between(session=session, where=where, period=period),
        by_channel=queries.count_channels(session=session, clauses=clauses),
        filed_by_channel=queries.count_channels(session=session, clauses=clauses, type_="filed"),
    )


def _slugs(where: CaseFilter, session: Session) -> set[str]:
    """The covenants the filter keeps (all stored ones when it names none)."""
    if where.covenant:
        return {where.covenant}
    if where.covenants is not None:
        return set(where.covenants)
    return {c.slug for c in list_covenants(session=session)}
