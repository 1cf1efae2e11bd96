"""Statistics over 1,200 generated cases in varied stages, kinds and outcomes, written into the
read model by the projection (not through Temporal), equal an independent computation over
the generated data: plain Python here, which calls nothing of the statistics' code."""

from __future__ import annotations

import ast
import math
import random
import statistics as stats
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from activities.records import project
from core.security import pseudonym
from domain.cases import CaseState, Decision, Event, Order, Party
from domain.deadlines import Deadline
from domain.enums import (
    Audience,
    CaseKind,
    CaseStatus,
    DeadlineState,
    DecidingBody,
    Finding,
    IssueKind,
    OrderStatus,
    Outcome,
    Stage,
    Visibility,
)
from services.statistics import compute, stage_stays
from store.cases import CaseFilter
from store.db import session_scope
from store.statistics import Period, scope_clauses
from store.supplier_lists import new_location
from store.tables import Organisation
from tests.factories import Database, covenant, migrated, projection

FIRST = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
COUNTRIES = ["BD", "IN", "CN", "TR", "PK", "VN", "KH", "MM"]
COMPANIES = {f"company-{n:02d}": (f"Company {n:02d} B.V.", COUNTRIES[n % 5]) for n in range(20)}
LOCATIONS = [new_location(f"Factory {n}", f"Road {n}", COUNTRIES[(n + 3) % 8]) for n in range(10)]
# What the domain writes when a case enters each stage (domain/transitions, domain/effects).
ENTERED = {
    Stage.SCREENING: ["Screening by the secretariat"],
    Stage.ADMISSIBILITY: ["Registered; the committee examines admissibility"],
    Stage.RESPONSE: ["Declared admissible; the company is to respond"],
    Stage.MEDIATION: ["Mediation proposed; both parties are asked to consent"],
    Stage.DIALOGUE: ["Direct dialogue between the parties"],
    Stage.HEARING: [
        "Mediation declined; the case goes to a hearing",
        "Mediation failed; the case goes to a hearing",
        "Sent to a hearing by the secretariat",
        "Referred to the committee for a hearing",
        "Referred to the steering group for a hearing",
    ],
    Stage.DECISION: ["Hearing held; the decision is being prepared"],
    Stage.REMEDIATION: [
        "Remediation: the company is to submit a plan",
        "Remediation: each company is to submit its plan",
    ],
    Stage.SIGNAL: ["Signal: the secretariat passes it on to the companies"],
}
PATHS = {
    CaseKind.COMPLAINT: [
        Stage.SCREENING,
        Stage.ADMISSIBILITY,
        Stage.RESPONSE,
        Stage.MEDIATION,
        Stage.HEARING,
        Stage.DECISION,
        Stage.REMEDIATION,
    ],
    CaseKind.DISPUTE: [Stage.DIALOGUE, Stage.HEARING, Stage.DECISION, Stage.REMEDIATION],
    CaseKind.SIGNAL: [Stage.SIGNAL],
}
OWNERS = [Audience.COMPLAINANT, Audience.RESPONDENTS, Audience.SECRETARIAT, Audience.CHAIR]


@dataclass
class Generated:
    """One generated case: what the test knows of it, independently of the read model."""

    state: CaseState
    # (entered at, the stage entered as the generator knows it, whether its event names it)
    stays: list[tuple[datetime, Stage, bool]] = field(default_factory=list)
    countries: set[str] = field(default_factory=set)
    reopened: bool = False
    non_compliance: int = 0
    verified: dict[int, datetime] = field(default_factory=dict)


def _later(rng: random.Random, at: datetime, most: float = 120) -> datetime:
    return at + timedelta(seconds=rng.randint(3_600, int(most * 86_400)))


def generate(count: int, seed: int = 19) -> list[Generated]:
    """``count`` cases of two covenants and three kinds, spread over the stages."""
    rng = random.Random(seed)
    made = []
    for number in range(count):
        kind = (
            CaseKind.SIGNAL
            if number % 13 == 0
            else CaseKind.DISPUTE
            if number % 7 == 0
            else CaseKind.COMPLAINT
        )
        slug = "gold" if number % 4 == 0 else "garments-textile"
        filed = FIRST + timedelta(hours=17 * number + rng.randint(0, 16))
        made.append(_case(rng, number, kind, slug, filed))
    return made


def _case(rng: random.Random, number: int, kind: CaseKind, slug: str, filed: datetime) -> Generated:
    cov = covenant(slug)
    reference = f"{slug[:2].upper()}-{filed.year}-{number:05d}"
    events: list[tuple[datetime, str, str]] = [(filed, "filed", "Complaint received")]
    gen = Generated(state=_blank(reference, kind, cov.slug, filed))
    gen.stays.append((filed, Stage.RECEIVED, True))
    path = PATHS[kind]
    reached = rng.randint(1, len(path))
    at = filed
    for i, stage in enumerate(path[:reached]):
        at = filed if i == 0 and kind is CaseKind.COMPLAINT else _later(rng, at)
        events.append((at, "stage_changed", rng.choice(ENTERED[stage])))
        gen.stays.append((at, stage, True))
    stage = path[reached - 1]
    s = gen.state
    s.stage = stage
    if stage is Stage.REMEDIATION or (stage is Stage.DECISION and rng.random() < 0.4):
        finding = rng.choice(list(Finding))
        s.decision = Decision(
            finding=finding, reasons="Reasons", issued_at=at, body=DecidingBody.COMMITTEE
        )
    if stage is Stage.REMEDIATION:
        _orders(rng, gen, events, at)
    closes = rng.random() < 0.5
    if closes:
        at = _close(rng, gen, events, at, stage)
        if rng.random() < 0.12:
            gen.reopened = True
            at = _later(rng, at, 30)
            events.append((at, "reopened", "Reopened by the chair"))
            events.append((at, "stage_changed", "Reopened: the case continues in this stage"))
            gen.stays.append((at, Stage.REMEDIATION, False))
            s.stage, s.status, s.outcome, s.closed_at = (
                Stage.REMEDIATION,
                CaseStatus.OPEN,
                None,
                None,
            )
            if rng.random() < 0.5:
                _close(rng, gen, events, at, Stage.REMEDIATION)
    s.issues = rng.sample(list(IssueKind), rng.randint(0, 3))
    s.respondents = _respondents(rng, gen)
    s.deadlines = _deadlines(rng, filed)
    events.sort(key=lambda e: e[0])
    s.events = [
        Event(seq=seq, at=at_, type=type_, summary=summary, visibility=Visibility.PARTIES)
        for seq, (at_, type_, summary) in enumerate(events, start=1)
    ]
    return gen


def _blank(reference: str, kind: CaseKind, slug: str, filed: datetime) -> CaseState:
    cov = covenant(slug)
    return CaseState(
        reference=reference,
        kind=kind,
        covenant=cov.slug,
        covenant_name=cov.name,
        procedure=cov.procedure,
        deciding_body=DecidingBody.COMMITTEE,
        stage=Stage.RECEIVED,
        confidential=True,
        pseudonym=pseudonym(reference),
        respondents=[Party(organisation_id="company-00", name="Company 00 B.V.")],
        subject="Unpaid overtime",
        description="Workers report unpaid overtime.",
        filed_at=filed,
    )


def _close(
    rng: random.Random,
    gen: Generated,
    events: list[tuple[datetime, str, str]],
    at: datetime,
    stage: Stage,
) -> datetime:
    at = _later(rng, at)
    late = stage in (Stage.DECISION, Stage.REMEDIATION)
    outcomes = (
        [Outcome.RESOLVED, Outcome.PARTLY_RESOLVED, Outcome.UNRESOLVED]
        if late
        else [Outcome.INADMISSIBLE, Outcome.WITHDRAWN, Outcome.REFERRED, Outcome.SETTLED]
    )
    s = gen.state
    s.stage, s.status, s.outcome, s.closed_at = (
        Stage.CLOSED,
        CaseStatus.CLOSED,
        rng.choice(outcomes),
        at,
    )
    events.append((at, "closed", "Case closed"))
    gen.stays.append((at, Stage.CLOSED, True))
    return at


def _orders(
    rng: random.Random, gen: Generated, events: list[tuple[datetime, str, str]], at: datetime
) -> None:
    for number in range(1, rng.randint(1, 3) + 1):
        due = (at + timedelta(days=rng.randint(30, 120))).date()
        status = rng.choice(list(OrderStatus))
        gen.state.orders.append(Order(number=number, text="Pay", due=due, status=status))
        if status is OrderStatus.VERIFIED:
            # Late evenings UTC: past midnight in Amsterdam, i.e. the next day there.
            day = due + timedelta(days=rng.randint(-5, 3))
            verified = datetime(day.year, day.month, day.day, rng.choice([10, 22, 23]), 30)
            verified = verified.replace(tzinfo=UTC)
            gen.verified[number] = verified
            events.append((verified, "order_verified", f"Order {number} verified as complied with"))
    for _ in range(rng.choice([0, 0, 0, 1, 2])):
        gen.non_compliance += 1
        events.append((_later(rng, at), "non_compliance_found", "Finding of non-compliance"))


def _respondents(rng: random.Random, gen: Generated) -> list[Party]:
    parties = []
    for org in rng.sample(sorted(COMPANIES), rng.choice([1, 1, 1, 2])):
        location = rng.choice(LOCATIONS) if rng.random() < 0.3 else None
        gen.countries.add(location.country if location else COMPANIES[org][1])
        parties.append(
            Party(
                organisation_id=org,
                name=COMPANIES[org][0],
                production_location_id=location.id if location else None,
            )
        )
    return parties


def _deadlines(rng: random.Random, filed: datetime) -> list[Deadline]:
    made = []
    for n in range(rng.randint(0, 3)):
        due = filed + timedelta(days=30 * (n + 1))
        made.append(
            Deadline(
                id=f"d{n}",
                name="response",
                label="Response",
                owner=rng.choice(OWNERS),
                opened_at=filed,
                due=due,
                remind_at=due - timedelta(days=7),
                second_escalation_at=due + timedelta(days=14),
                state=rng.choice(list(DeadlineState)),
                escalated=rng.random() < 0.3,
            )
        )
    return made


def load(engine: Engine, cases: list[Generated]) -> None:
    """The companies, locations and cases, written as the workflow's activities write them."""
    with session_scope(engine) as session:
        for org, (name, country) in COMPANIES.items():
            session.add(Organisation(id=org, name=name, kind="company", country=country))
        for location in LOCATIONS:  # rows of their own: the session takes them over
            session.add(new_location(location.name, location.address, location.country))
        session.flush()
        for gen in cases:
            assert project(session, projection(gen.state))


# The independent computation: plain Python over the generated cases.


def expected(cases: list[Generated], now: datetime) -> dict[str, Any]:
    """The figures as the test computes them from what it generated."""
    states = [g.state for g in cases]
    stays: dict[str, list[float]] = defaultdict(list)
    for g in cases:
        for (at, stage, named), (left, _s, _n) in zip(g.stays, g.stays[1:], strict=False):
            if named and stage is not Stage.CLOSED:
                stays[stage.value].append(round((left - at).total_seconds() / 86_400, 1))
    per_party: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for s in states:
        for d in s.deadlines:
            if d.escalated:
                per_party[d.owner.value][1] += 1
            elif d.state is DeadlineState.MET:
                per_party[d.owner.value][0] += 1
    ages: Counter[str] = Counter()
    for s in states:
        if s.status is not CaseStatus.CLOSED:
            age = (now - s.filed_at).days + (now - s.filed_at).seconds / 86_400
            label = (
                "0-30"
                if age <= 30
                else "31-90"
                if age <= 90
                else "91-180"
                if age <= 180
                else "181-365"
                if age <= 365
                else "over 365"
            )
            ages[label] += 1
    orders: Counter[str] = Counter()
    for g in cases:
        for o in g.state.orders:
            if o.status is not OrderStatus.VERIFIED:
                orders["open"] += 1
            elif g.verified[o.number].astimezone(AMSTERDAM).date() <= o.due:
                orders["on_time"] += 1
            else:
                orders["late"] += 1
    spans = [
        (s.closed_at - s.filed_at).total_seconds() / 86_400
        for s in states
        if s.closed_at is not None
    ]
    ever_closed = sum(1 for g in cases if g.reopened or g.state.status is CaseStatus.CLOSED)
    reopened = sum(1 for g in cases if g.reopened)
    return {
        "total": len(states),
        "by_kind": dict(Counter(s.kind.value for s in states)),
        "by_stage": dict(Counter(s.stage.value for s in states)),
        "by_outcome": dict(Counter(s.outcome.value for s in states if s.outcome)),
        "by_issue": dict(Counter(i.value for s in states for i in s.issues)),
        "by_country": dict(Counter(c for g in cases for c in g.countries)),
        "by_company": Counter(p.organisation_id for s in states for p in s.respondents),
        "stays": stays,
        "deadlines_by_party": {k: {"met": v[0], "missed": v[1]} for k, v in per_party.items()},
        "open_by_age": ages,
        "findings": Counter(s.decision.finding.value for s in states if s.decision),
        "non_compliance": (
            sum(g.non_compliance for g in cases),
            sum(1 for g in cases if g.non_compliance),
        ),
        "orders": orders,
        "reopened": (reopened, round(reopened / ever_closed, 3) if ever_closed else None),
        "time_to_close": (
            len(spans),
            round(sum(spans) / len(spans), 1),
            round(sorted(spans)[len(spans) // 2], 1)
            if len(spans) % 2
            else round(
                (sorted(spans)[len(spans) // 2 - 1] + sorted(spans)[len(spans) // 2]) / 2, 1
            ),
        ),
    }


def nearest_rank(values: list[float], share: float) -> float:
    """The percentile by nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def assert_equal(found: dict[str, Any], want: dict[str, Any]) -> None:
    """The service's figures (JSON) against the independent ones."""
    for key in ("total", "by_kind", "by_stage", "by_outcome", "by_issue", "by_country"):
        assert found[key] == want[key], key
    assert {c["id"]: c["cases"] for c in found["by_company"]} == dict(want["by_company"])
    for stage, values in want["stays"].items():
        figure = found["durations"][stage]
        assert figure["cases"] == len(values), stage
        assert figure["median_days"] == pytest.approx(stats.median(values)), stage
        assert figure["p90_days"] == pytest.approx(nearest_rank(values, 0.9)), stage
    assert {s for s, f in found["durations"].items() if f["cases"]} == set(want["stays"])
    assert found["deadlines_by_party"] == want["deadlines_by_party"]
    assert found["deadlines"] == {
        "met": sum(v["met"] for v in want["deadlines_by_party"].values()),
        "missed": sum(v["missed"] for v in want["deadlines_by_party"].values()),
    }
    assert {k: v for k, v in found["open_by_age"].items() if v} == dict(want["open_by_age"])
    decisions = found["decisions"]
    assert {k: v for k, v in decisions["by_finding"].items() if v} == dict(want["findings"])
    assert decisions["total"] == sum(want["findings"].values())
    assert (
        decisions["non_compliance_findings"],
        decisions["non_compliance_cases"],
    ) == want["non_compliance"]
    assert {k: v for k, v in found["orders"].items() if v} == dict(want["orders"])
    assert (found["reopened"]["cases"], found["reopened"]["share"]) == want["reopened"]
    ttc = found["time_to_close"]
    assert (ttc["cases"], ttc["average_days"], ttc["median_days"]) == want["time_to_close"]


@pytest.fixture(scope="module")
def generated() -> list[Generated]:
    return generate(1_200)


def test_statistics_equal_an_independent_count_of_1200_generated_cases(
    database: Database, generated: list[Generated]
) -> None:
    engine = migrated(database)
    load(engine, generated)
    varied = Counter(g.state.stage for g in generated)
    assert len(varied) >= 9 and min(varied.values()) >= 10  # every stage has cases
    with Session(engine) as session:
        found = compute(session, now=NOW).model_dump(mode="json", by_alias=True)
    assert_equal(found, expected(generated, NOW))
    assert found["orders"]["late"] and found["orders"]["on_time"] and found["reopened"]["cases"]


def test_statistics_of_one_covenant_and_period_count_only_its_cases(
    database: Database, generated: list[Generated]
) -> None:
    engine = migrated(database)
    load(engine, generated)
    start, end = date(2024, 6, 1), date(2025, 5, 31)
    kept = [
        g
        for g in generated
        if g.state.covenant == "garments-textile" and start <= g.state.filed_at.date() <= end
    ]
    closed_in = [
        g
        for g in generated
        if g.state.covenant == "garments-textile"
        and g.state.closed_at is not None
        and start <= g.state.closed_at.date() <= end
    ]
    with Session(engine) as session:
        figures = compute(session, "garments-textile", start, end, now=NOW)
        gold_only = compute(session, scope=CaseFilter(covenants=frozenset({"gold"})), now=NOW)
    found = figures.model_dump(mode="json", by_alias=True)
    assert 300 < len(kept) < len(generated)
    assert_equal(found, expected(kept, NOW))
    assert found["from"] == "2024-06-01" and found["to"] == "2025-05-31"
    assert figures.closed_in_period == len(closed_in)
    assert gold_only.total == sum(1 for g in generated if g.state.covenant == "gold")


def _working_days_after(start: date, n: int) -> date:
    """The n-th Dutch working day after ``start`` (the independent calendar)."""
    nl = holidays.country_holidays("NL")
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in nl:
            counted += 1
    return day


def test_stage_targets_are_the_procedures_periods_in_days_on_the_seat_calendar(
    database: Database,
) -> None:
    engine = migrated(database)
    start = date(2026, 4, 20)  # a Monday; King's Day (27 April) falls in the period
    with Session(engine) as session:
        durations = compute(session, "garments-textile", start, None, now=NOW).durations
    admissibility = durations["admissibility"]
    assert admissibility.target == "30 business_days"
    assert admissibility.target_days == (_working_days_after(start, 30) - start).days
    assert durations["screening"].target == "5 business_days"
    assert durations["response"].target == "30 calendar_days"
    assert durations["response"].target_days == 30
    assert durations["received"].target_days is None


def _text(node: ast.expr, scope: ast.AST) -> str | None:
    """A summary argument's text: a literal, an f-string (its fields as "committee"), or a
    name assigned a literal in the same function."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "committee" for v in node.values)
    if isinstance(node, ast.Name):
        for assign in ast.walk(scope):
            if (
                isinstance(assign, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == node.id for t in assign.targets)
                and isinstance(assign.value, ast.Constant)
            ):
                return str(assign.value.value)
    return None


def domain_stage_summaries() -> set[tuple[str, Stage | None]]:
    """(summary, stage entered) of every ``enter(Stage.X, summary)`` and ``hearing(summary)``
    in the domain's code; the stage None where the code does not name it."""
    found: set[tuple[str, Stage | None]] = set()
    for path in (Path(__file__).resolve().parents[2] / "domain").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for call in ast.walk(function):
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
                    continue
                name, args = call.func.attr, call.args
                if name == "enter" and len(args) >= 2 and function.name != "hearing":
                    first = args[0]
                    stage = (
                        Stage[first.attr]
                        if isinstance(first, ast.Attribute)
                        and isinstance(first.value, ast.Name)
                        and first.value.id == "Stage"
                        else None
                    )
                    text = _text(args[1], function)
                elif name == "hearing" and len(args) == 1:
                    stage, text = Stage.HEARING, _text(args[0], function)
                else:
                    continue
                assert text is not None, f"{path.name}: a summary the test cannot read"
                found.add((text, stage))
    return found


def test_every_stage_the_domain_enters_is_named_from_its_events_summary(
    database: Database,
) -> None:
    """The stage a stay is counted in comes from the stage_changed event's summary: every
    summary the domain's code writes when a case enters a stage names that stage, except
    where the code does not name it either (reopened, or split off into the stage reached)."""
    entered = domain_stage_summaries()
    assert {stage for _, stage in entered} >= set(Stage) - {Stage.RECEIVED, Stage.CLOSED}
    assert len(entered) >= 15
    engine = migrated(database)
    want: dict[float, str] = {}
    with session_scope(engine) as session:
        for n, (summary, stage) in enumerate(sorted(entered)):
            state = _blank(f"GT-2026-{n:05d}", CaseKind.COMPLAINT, "garments-textile", FIRST)
            state.stage = stage or Stage.REMEDIATION
            steps = [("filed", "Filed"), ("stage_changed", summary), ("closed", "Closed")]
            at = [FIRST, FIRST + timedelta(days=1), FIRST + timedelta(days=n + 2)]
            state.events = [
                Event(seq=i, at=at[i - 1], type=t, summary=s, visibility=Visibility.PARTIES)
                for i, (t, s) in enumerate(steps, start=1)
            ]
            assert project(session, projection(state))
            if stage is not None:
                want[float(n + 1)] = stage.value
    found: dict[float, str] = {}
    with Session(engine) as session:
        stays = stage_stays(session, scope_clauses(CaseFilter(), Period()))
    for stage, spans in stays.items():
        for span in spans:
            if stage is not Stage.RECEIVED:  # each case's stay received lasts one day
                assert span not in found, "each case stayed its own number of days"
                found[span] = stage.value
    assert found == want
