"""Registry search on 100,000 locations, against a primary-key lookup on the same database.

The locations go in through the registry's own import (``import_list``); each figure is a
median and a 95th percentile in milliseconds, each call in a fresh session. SQLite only:
``python -m bench.reads`` measures the same searches on PostgreSQL too.
Usage: ``python -m bench.search [--locations N] [--runs N]``.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from bench.measure import bench_database, machine, timed
from domain.supplier_lists import LocationRow
from store.db import create_schema
from store.locations import search_locations
from store.supplier_lists import import_list, read_lists
from store.tables import Organisation, ProductionLocation

LISTS = Path(__file__).resolve().parents[1] / "tests" / "data" / "production-locations"
WORDS = "golden star apex royal prime unity lotus ocean metro eagle delta crown".split()


@cache
def real_rows() -> list[LocationRow]:
    """The rows of the shared supplier lists (real names and addresses)."""
    real, _ = read_lists(sorted(LISTS.glob("*.csv")))
    return real


def synthetic_rows(count: int, seed: int = 7) -> list[LocationRow]:
    """Realistic rows: the shared lists' names and addresses, varied to ``count`` locations."""
    real = real_rows()
    rng = random.Random(seed)
    rows = []
    for number in range(count):
        base = real[number % len(real)]
        name = f"{rng.choice(WORDS).title()} {base.name} {number}"
        rows.append(LocationRow(number + 2, name, f"Unit {number}, {base.address}", base.country))
    return rows


QUERIES: dict[str, dict[str, Any]] = {
    "fragment of a name ('xinxing')": {"q": "xinxing"},
    "two words with a legal form ('royal footwear co., ltd')": {"q": "royal footwear co., ltd"},
    "fragment + country ('apparel', BD)": {"q": "apparel", "country": "BD"},
    "two characters ('ha')": {"q": "ha"},
    "country only (BD)": {"country": "BD"},
}


def main(locations: int, runs: int) -> None:
    """Import the synthetic registry and time the searches."""
    with bench_database("sqlite") as engine:
        create_schema(engine)
        with Session(engine) as session:
            session.add(Organisation(id="bench-co", name="Bench Co", kind="company"))
            session.commit()
            rows = synthetic_rows(locations)
            began = time.perf_counter()
            import_list(
                session=session,
                covenant="garments-textile",
                company_id="bench-co",
                rows=rows,
                now=datetime.now(UTC),
            )
            session.commit()
            imported = time.perf_counter() - began
            ids = list(session.exec(select(ProductionLocation.id)).all())
        picks = random.Random(7).choices(ids, k=runs + 10)

        def lookup(number: int) -> object:
            with Session(engine) as session:
                return session.get(ProductionLocation, picks[number])

        def searching(kwargs: dict[str, Any]) -> Any:
            def search(_: int) -> object:
                with Session(engine) as session:
                    return search_locations(session=session, **kwargs)

            return search

        baseline = timed(runs, lookup)
        results = {label: timed(runs, searching(kw)) for label, kw in QUERIES.items()}
    print(machine())
    print(f"{locations} locations imported in {imported:.1f} s; {runs} runs per figure")
    print(f"{'query':55} {'median ms':>10} {'p95 ms':>8} {'ratio':>7}")
    print(f"{'primary-key lookup (baseline)':55} {baseline.median:10.2f} {baseline.p95:8.2f}")
    for label, value in results.items():
        ratio = value.median / baseline.median
        print(f"{label:55} {value.median:10.2f} {value.p95:8.2f} {ratio:7.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--locations", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    main(args.locations, args.runs)
