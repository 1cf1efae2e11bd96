"""Registry search on 100,000 locations, against a primary-key lookup on the same database.

Usage: ``python -m bench.search [--locations N] [--runs N]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, select

from domain.supplier_lists import LocationRow
from store.db import create_schema, make_engine
from store.locations import search_locations
from store.supplier_lists import import_list, read_lists
from store.tables import Organisation, ProductionLocation

LISTS = Path(__file__).resolve().parents[1] / "tests" / "data" / "production-locations"
WORDS = "golden star apex royal prime unity lotus ocean metro eagle delta crown".split()


def synthetic_rows(count: int, seed: int = 7) -> list[LocationRow]:
    """Realistic rows: the shared lists' names and addresses, varied to ``count`` locations."""
    real, _ = read_lists(sorted(LISTS.glob("*.csv")))
    rng = random.Random(seed)
    rows = []
    for number in range(count):
        base = real[number % len(real)]
        name = f"{rng.choice(WORDS).title()} {base.name} {number}"
        rows.append(LocationRow(number + 2, name, f"Unit {number}, {base.address}", base.country))
    return rows


def median_ms(runs: int, call: Callable[[], object]) -> float:
    """Median milliseconds of ``runs`` calls after one warm-up."""
    call()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def main(locations: int, runs: int) -> None:
    """Import the synthetic registry and time the searches."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
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
            some_id = session.exec(select(ProductionLocation.id).limit(1)).one()
            lookup = median_ms(runs, lambda: session.get(ProductionLocation, some_id))
            session.expire_all()
            queries = {
                "fragment of a name ('xinxing')": dict(q="xinxing"),
                "two words with a legal form ('royal footwear co., ltd')": dict(
                    q="royal footwear co., ltd"
                ),
                "fragment + country ('apparel', BD)": dict(q="apparel", country="BD"),
                "country only (BD)": dict(country="BD"),
            }
            results = {
                label: median_ms(runs, lambda kw=kw: search_locations(session=session, **kw))
                for label, kw in queries.items()
            }
    print(f"{locations} locations imported in {imported:.1f} s; {runs} runs per figure (medians)")
    print(f"{'query':55} {'median ms':>10} {'ratio':>8}")
    print(f"{'primary-key lookup (baseline)':55} {lookup:10.2f} {1:8.1f}")
    for label, value in results.items():
        print(f"{label:55} {value:10.2f} {value / lookup:8.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--locations", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    main(args.locations, args.runs)
