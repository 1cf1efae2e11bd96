"""Case reads, lists and searches at 10,000 and 100,000 cases, and the location registry's
search at 100,000 locations, on SQLite and on PostgreSQL.

Each figure is a median and a 95th percentile in milliseconds, through the store's own
functions (what the API calls), each call in a fresh session, against a primary-key lookup
measured in the same run on the same database. The cases are bulk-inserted: realistic
subjects (some Bengali and Chinese) naming real factories from the shared supplier lists,
one or two respondents, three events each. PostgreSQL is measured when
REDRESS_BENCH_POSTGRES_URL or REDRESS_TEST_POSTGRES_URL is set (``scripts/test-env run``
sets the latter), in a schema of its own dropped afterwards; it is vacuumed and analysed
after loading, as autovacuum would. Usage: ``python -m bench.reads [--sizes 10000 100000]
[--locations N] [--runs N] [--backends sqlite postgresql]``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, insert, text
from sqlmodel import Session, select

from bench.measure import Timing, bench_database, machine, postgres_url, postgres_version, timed
from bench.search import real_rows, synthetic_rows
from domain.cases import CaseState, Party
from domain.enums import CaseKind, CaseStatus, DecidingBody, Stage
from store.case_content import load_state
from store.cases import CaseFilter, list_cases
from store.covenants import load_covenant_files
from store.db import create_schema
from store.locations import search_locations
from store.supplier_lists import new_location
from store.tables import (
    CaseEvent,
    CaseRecusal,
    CaseRespondent,
    CaseRow,
    LocationSourcing,
    Organisation,
    ProductionLocation,
)

FIRST_FILED = datetime(2021, 1, 4, 8, 0, tzinfo=UTC)
COMPANIES = [f"company-{n:03d}" for n in range(300)]
UNIONS = [f"union-{n:02d}" for n in range(40)]
BIG_BRAND = "brand-large"
STAFF = CaseFilter(recused="chair", covenants=frozenset({"garments-textile", "natural-stone"}))
# What complaints are about; {f} is a factory from the shared supplier lists.
ENGLISH = [
    "Unpaid overtime at {f}",
    "Dismissal of union members at {f}",
    "Blocked fire exits at {f}",
    "Wages below the legal minimum at {f}",
    "Forced overtime before the export season at {f}",
    "Harassment of women workers on the night shift at {f}",
    "Withheld passports of migrant workers at {f}",
    "Cracks in the building and no inspection at {f}",
    "Maternity leave refused at {f}",
    "Reprisals against a worker who spoke to auditors at {f}",
    "Child labour in a granite quarry supplying {f}",
    "Toxic dye discharged into the river by {f}",
]
BENGALI = [
    "{f} কারখানায় তিন মাসের মজুরি বকেয়া",  # three months' wages owed at the factory
    "{f} কারখানায় ইউনিয়ন সদস্যদের ছাঁটাই",  # union members dismissed
    "{f} কারখানায় অগ্নি নির্গমন পথ বন্ধ",  # fire exits blocked
]
CHINESE = [
    "{f}拖欠工人三个月工资",  # owes the workers three months' wages
    "{f}强迫工人加班",  # forces workers to work overtime
    "{f}解雇工会成员",  # dismissed union members
]
DESCRIPTION = (
    "Workers report that the factory has not paid overtime for three months, that those "
    "who complained were moved to the night shift, and that two union members were dismissed."
)
STAGES = [  # roughly how cases spread over the stages of a busy mechanism
    (Stage.RECEIVED, 2),
    (Stage.SCREENING, 4),
    (Stage.ADMISSIBILITY, 6),
    (Stage.RESPONSE, 8),
    (Stage.MEDIATION, 6),
    (Stage.HEARING, 3),
    (Stage.DECISION, 2),
    (Stage.REMEDIATION, 9),
    (Stage.CLOSED, 60),
]
EVENTS = [
    ("filed", "Complaint received"),
    ("registered", "Registered by the secretariat"),
    ("message", "Message from the complainant"),
]
CHUNK = 5_000


@dataclass
class Corpus:
    """What the generator draws from, and what it made (for the queries to pick from)."""

    factories: list[str]
    templates: dict[tuple[str, Stage], str]
    references: list[str]


def corpus() -> Corpus:
    """Factory names from the shared lists and a snapshot template per covenant and stage."""
    names = sorted({row.name for row in real_rows()})
    templates = {}
    for covenant in load_covenant_files():
        for stage, _ in STAGES:
            state = CaseState(
                reference="@@REF@@",
                kind=CaseKind.COMPLAINT,
                covenant=covenant.slug,
                covenant_name=covenant.name,
                procedure=covenant.procedure,
                deciding_body=DecidingBody.COMMITTEE,
                stage=stage,
                status=CaseStatus.CLOSED if stage is Stage.CLOSED else CaseStatus.OPEN,
                confidential=False,
                pseudonym="Complainant B",
                respondents=[Party(organisation_id="company-000", name="Company")],
                subject="@@SUBJECT@@",
                description=DESCRIPTION,
                filed_at=FIRST_FILED,
            )
            templates[covenant.slug, stage] = state.model_dump_json(exclude={"events"})
    return Corpus(names, templates, [])


def subject(rng: random.Random, factories: Sequence[str]) -> str:
    """A complaint's subject: mostly English, some Bengali, some Chinese."""
    roll = rng.random()
    pool = ENGLISH if roll < 0.8 else BENGALI if roll < 0.9 else CHINESE
    return rng.choice(pool).format(f=rng.choice(factories))


def case_batch(
    data: Corpus, first: int, count: int, rng: random.Random
) -> dict[str, list[dict[str, Any]]]:
    """Rows of ``count`` cases numbered from ``first``: cases, respondents, recusals, events."""
    stages = [stage for stage, _ in STAGES]
    weights = [weight for _, weight in STAGES]
    rows: dict[str, list[dict[str, Any]]] = {"cases": [], "respondents": [], "recusals": []}
    rows["events"] = []
    for number in range(first, first + count):
        covenant = "natural-stone" if number % 10 == 0 else "garments-textile"
        filed = FIRST_FILED + timedelta(minutes=20 * number)
        reference = f"{'NS' if number % 10 == 0 else 'GT'}-{filed.year}-{number:06d}"
        stage = rng.choices(stages, weights)[0]
        text_ = subject(rng, data.factories)
        snapshot = data.templates[covenant, stage].replace("@@REF@@", reference)
        snapshot = snapshot.replace("@@SUBJECT@@", json.dumps(text_, ensure_ascii=False)[1:-1])
        open_ = stage is not Stage.CLOSED
        overdue = open_ and rng.random() < 0.1
        rows["cases"].append(
            {
                "reference": reference,
                "kind": "complaint",
                "covenant": covenant,
                "stage": stage.value,
                "status": "open" if open_ else "closed",
                "outcome": None if open_ else "resolved",
                "subject": text_,
                "confidential": rng.random() < 0.3,
                "pseudonym": "Complainant B",
                "complainant_organisation_id": rng.choice(UNIONS),
                "deciding_body": "committee",
                "overdue": overdue,
                "next_deadline_name": "response" if open_ else None,
                "next_due": filed + timedelta(days=30) if open_ else None,
                "filed_at": filed,
                "closed_at": filed + timedelta(days=200) if not open_ else None,
                "last_seq": 3,
                "officer": "secretariat",
                "mediator": "mediator" if stage is Stage.MEDIATION else None,
                "respondents_see": stage not in (Stage.RECEIVED, Stage.SCREENING),
                "snapshot": snapshot,
            }
        )
        for company in rng.sample(COMPANIES, 2 if rng.random() < 0.1 else 1):
            rows["respondents"].append(
                {"reference": reference, "organisation_id": company, "production_location_id": None}
            )
        if rng.random() < 0.01:
            rows["recusals"].append({"reference": reference, "member": "chair"})
        for seq, (type_, summary) in enumerate(EVENTS, start=1):
            rows["events"].append(
                {
                    "reference": reference,
                    "seq": seq,
                    "at": filed + timedelta(days=seq),
                    "type": type_,
                    "summary": summary,
                    "text": DESCRIPTION if type_ == "message" else None,
                    "visibility": "parties",
                    "actor_role": "secretariat",
                    "party": None,
                }
            )
        data.references.append(reference)
    return rows


def bulk_insert(engine: Engine, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert the rows in chunks, in one transaction."""
    target = table.__table__
    assert isinstance(target, Table)
    with engine.begin() as connection:
        for start in range(0, len(rows), CHUNK):
            connection.execute(insert(target), rows[start : start + CHUNK])


def add_cases(engine: Engine, data: Corpus, count: int, rng: random.Random) -> float:
    """Insert ``count`` more cases; the seconds it took."""
    began = time.perf_counter()
    first = len(data.references)
    for start in range(first, first + count, 20_000):
        rows = case_batch(data, start, min(20_000, first + count - start), rng)
        bulk_insert(engine, CaseRow, rows["cases"])
        bulk_insert(engine, CaseRespondent, rows["respondents"])
        bulk_insert(engine, CaseRecusal, rows["recusals"])
        bulk_insert(engine, CaseEvent, rows["events"])
    analyse(engine)
    return time.perf_counter() - began


def add_locations(engine: Engine, count: int) -> float:
    """Insert ``count`` locations, each listed by one of 200 companies (about 500 each, as
    a brand's published list), and 2,000 of them by a large brand too; the seconds it took."""
    began = time.perf_counter()
    companies = [f"brand-{n:03d}" for n in range(200)]
    with Session(engine) as session:
        for company in [*companies, BIG_BRAND]:
            session.add(Organisation(id=company, name=company.title(), kind="company"))
        session.commit()
    rng = random.Random(count)
    seen: set[str] = set()
    locations, links = [], []
    listed = {"covenant": "garments-textile", "listed": True, "listed_at": FIRST_FILED}
    for row in synthetic_rows(count):
        location = new_location(row.name, row.address, row.country)
        if location.id in seen:
            continue
        seen.add(location.id)
        locations.append(location.model_dump())
        links.append({"location_id": location.id, "company_id": rng.choice(companies), **listed})
    for location_id in rng.sample(sorted(seen), min(2_000, len(seen))):
        links.append({"location_id": location_id, "company_id": BIG_BRAND, **listed})
    bulk_insert(engine, ProductionLocation, locations)
    bulk_insert(engine, LocationSourcing, links)
    analyse(engine)
    return time.perf_counter() - began


def analyse(engine: Engine) -> None:
    """PostgreSQL's planner statistics and visibility map, as autovacuum makes them after a
    bulk load (index-only scans need the map). SQLite is left as a deployment has it (the
    application runs no ANALYZE there)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


Figures = list[tuple[str, Timing]]


def in_session(engine: Engine, call: Callable[[Session, int], object]) -> Callable[[int], object]:
    """``call`` made in a fresh session each time, as one request would."""

    def run(number: int) -> object:
        with Session(engine) as session:
            return call(session, number)

    return run


def rare_fragment(factories: Sequence[str]) -> str:
    """The inside of a word few factory names hold (as one types part of a name)."""
    counts = Counter(word for name in factories for word in set(name.lower().split()))
    word = min(
        (w for w, n in counts.items() if 2 <= n <= 3 and len(w) >= 7 and w.isalpha()),
        key=lambda w: (len(w), w),
    )
    return word[1:-1]


def case_figures(engine: Engine, data: Corpus, runs: int, seed: int) -> Figures:
    """Read, list and search timings on the cases loaded so far."""
    rng = random.Random(seed)
    picks = [rng.choice(data.references) for _ in range(runs + 10)]
    fragment = rare_fragment(data.factories)

    def listing(**kwargs: Any) -> Callable[[Session, int], object]:
        return lambda session, _: list_cases(session=session, where=CaseFilter(**kwargs))

    def staff(**kwargs: Any) -> Callable[[Session, int], object]:
        return lambda session, _: list_cases(
            session=session, where=CaseFilter(**{**STAFF.__dict__, **kwargs})
        )

    measured: list[tuple[str, Callable[[Session, int], object]]] = [
        (
            "primary-key lookup (baseline)",
            lambda session, n: session.get(CaseRow, picks[n]),
        ),
        (
            "read a case (row, latest events, documents)",
            lambda session, n: load_state(session=session, reference=picks[n]),
        ),
        ("list: first page, all cases (staff)", staff()),
        ("list: first page, stage filter (staff)", staff(stage="response")),
        ("list: first page, overdue (staff)", staff(overdue=True)),
        ("list: a company's cases, first page", listing(organisation_id="company-007")),
        (
            "list: a company's cases, stage filter",
            listing(organisation_id="company-007", stage="remediation"),
        ),
        ("search: a common word ('overtime')", staff(q="overtime")),
        ("search: a rarer word ('passports')", staff(q="passports")),
        (f"search: a factory's name fragment ('{fragment}')", staff(q=fragment)),
        ("search: a reference", staff(q=data.references[len(data.references) // 2])),
        ("search: a Bengali word (wages)", staff(q="মজুরি")),
        ("search: Chinese, five characters (three months' wages)", staff(q="三个月工资")),
        ("search: Chinese, two characters (wages)", staff(q="工资")),
        (
            "search: a company's cases ('overtime')",
            listing(organisation_id="company-007", q="overtime"),
        ),
    ]
    return [(label, timed(runs, in_session(engine, call))) for label, call in measured]


def location_figures(engine: Engine, runs: int, seed: int) -> Figures:
    """Registry search timings against a primary-key lookup on the same database."""
    with Session(engine) as session:
        ids = list(session.exec(select(ProductionLocation.id)).all())
    rng = random.Random(seed)
    picks = [rng.choice(ids) for _ in range(runs + 10)]
    queries: list[tuple[str, dict[str, Any]]] = [
        ("fragment of a name ('xinxing')", {"q": "xinxing"}),
        ("words with a legal form ('royal footwear co., ltd')", {"q": "royal footwear co., ltd"}),
        ("a common word + country ('apparel', BD)", {"q": "apparel", "country": "BD"}),
        ("an address word ('dhaka')", {"q": "dhaka"}),
        ("two characters ('ha')", {"q": "ha"}),
        ("country only (BD)", {"country": "BD"}),
        ("a large brand's locations (2,000)", {"company": BIG_BRAND}),
        ("a large brand's locations + a word ('golden')", {"company": BIG_BRAND, "q": "golden"}),
    ]
    figures = [
        (
            "primary-key lookup (baseline)",
            timed(runs, in_session(engine, lambda s, n: s.get(ProductionLocation, picks[n]))),
        )
    ]

    def searching(kwargs: dict[str, Any]) -> Callable[[Session, int], object]:
        return lambda session, _: search_locations(session=session, **kwargs)

    for label, kwargs in queries:
        figures.append((label, timed(runs, in_session(engine, searching(kwargs)))))
    return figures


def print_table(title: str, figures: Figures) -> None:
    """One table: each figure's median, p95 and the medians' ratio to the baseline."""
    base = figures[0][1].median
    print(f"\n{title}")
    print(f"{'what':58} {'median ms':>10} {'p95 ms':>8} {'ratio':>7}")
    for label, timing in figures:
        print(f"{label:58} {timing.median:10.2f} {timing.p95:8.2f} {timing.median / base:7.1f}")


def bench_backend(backend: str, sizes: list[int], locations: int, runs: int) -> None:
    """Load and measure one database at each size, then the registry search."""
    name = "SQLite" if backend == "sqlite" else "PostgreSQL"
    with bench_database(backend) as engine:
        create_schema(engine)
        data = corpus()
        rng = random.Random(17)
        for size in sorted(sizes):
            took = add_cases(engine, data, size - len(data.references), rng)
            figures = case_figures(engine, data, runs, seed=size)
            print_table(
                f"{name}, {size:,} cases (loaded in {took:.0f} s; {runs} runs per figure)",
                figures,
            )
        if locations:
            took = add_locations(engine, locations)
            figures = location_figures(engine, runs, seed=locations)
            print_table(
                f"{name}, location search at {locations:,} locations (loaded in {took:.0f} s)",
                figures,
            )


def main(backends: list[str], sizes: list[int], locations: int, runs: int) -> None:
    """Measure each backend; PostgreSQL only when a server is named in the environment."""
    url = postgres_url()
    print(machine(postgres_version(url) if url and "postgresql" in backends else None))
    for backend in backends:
        if backend == "postgresql" and url is None:
            print(
                "\nPostgreSQL skipped: set REDRESS_BENCH_POSTGRES_URL or REDRESS_TEST_POSTGRES_URL"
                " (scripts/test-env run python -m bench.reads sets the latter)"
            )
            continue
        bench_backend(backend, sizes, locations, runs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--locations", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument(
        "--backends", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"]
    )
    args = parser.parse_args()
    main(args.backends, args.sizes, args.locations, args.runs)
