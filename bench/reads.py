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
import random
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, select

from bench.measure import Timing, bench_database, machine, postgres_url, postgres_version, timed
from bench.read_data import (
    BIG_BRAND,
    STAFF,
    Corpus,
    add_cases,
    add_locations,
    corpus,
)
from store.case_content import load_state
from store.cases import CaseFilter, list_cases
from store.db import create_schema
from store.locations import search_locations
from store.tables import (
    CaseRow,
    ProductionLocation,
)

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
