"""How long the statistics take at the project's read size: 2,000 generated cases (every
stage, kind and outcome; tests/store/test_stats.py) projected once, then copied in SQL under
new references up to the size asked (100,000 by default), and ``compute`` timed for all
cases and for one covenant and year.

Usage: ``python -m bench.stats [--cases 100000] [--runs 5] [--backends sqlite,postgresql]``.
"""

from __future__ import annotations

import argparse
import time
from datetime import date

from sqlalchemy import Engine, text
from sqlmodel import Session

from bench.measure import bench_database, machine, postgres_url, postgres_version, timed
from services.statistics import compute
from store.db import prepare
from tests.store.test_stats import NOW, generate, load

SEED_CASES = 2_000
# The tables a case's figures come from: each row is copied under the new reference.
COPIED = ("cases", "case_events", "case_deadlines", "case_orders", "case_respondents")


def _columns(engine: Engine, table: str) -> list[str]:
    with engine.connect() as connection:
        found = connection.execute(text(f"SELECT * FROM {table} WHERE 1 = 0"))
        return list(found.keys())


def fill(engine: Engine, size: int) -> float:
    """Project the seed cases, then copy them under new references to ``size`` cases; the
    seconds it took."""
    began = time.perf_counter()
    load(engine, generate(SEED_CASES))
    columns = {table: _columns(engine, table) for table in COPIED}
    with engine.begin() as connection:
        for copy in range(1, size // SEED_CASES):
            for table, names in columns.items():
                chosen = ", ".join(
                    f"reference || '-{copy}'" if name == "reference" else name for name in names
                )
                where = "WHERE reference NOT LIKE '%-%-%-%'"  # the seed cases only
                connection.execute(
                    text(
                        f"INSERT INTO {table} ({', '.join(names)}) "
                        f"SELECT {chosen} FROM {table} {where}"
                    )
                )
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    return time.perf_counter() - began


def bench_backend(backend: str, size: int, runs: int) -> None:
    """Load one database and time the statistics on it."""
    name = "SQLite" if backend == "sqlite" else "PostgreSQL"
    with bench_database(backend) as engine:
        prepare(engine)
        took = fill(engine, size)
        with Session(engine) as session:
            total = compute(session, now=NOW).total

            def everything(_: int) -> object:
                return compute(session, now=NOW)

            def one_year(_: int) -> object:
                return compute(
                    session, "garments-textile", date(2025, 1, 1), date(2025, 12, 31), now=NOW
                )

            whole = timed(runs, everything, warmup=1)
            year = timed(runs, one_year, warmup=1)
        print(f"\n{name}, {total:,} cases (loaded in {took:.0f} s; {runs} runs per figure)")
        print("| statistics of | median ms | p95 ms |\n|---|---:|---:|")
        print(f"| every case | {whole.median:.0f} | {whole.p95:.0f} |")
        print(f"| one covenant, one year | {year.median:.0f} | {year.p95:.0f} |")


def main() -> None:
    """Measure on each backend asked for (PostgreSQL when a server is configured)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    url = postgres_url()
    print(machine(postgres_version(url) if url else None))
    for backend in args.backends.split(","):
        if backend == "postgresql" and url is None:
            print("\nPostgreSQL: not measured (set REDRESS_BENCH_POSTGRES_URL)")
            continue
        bench_backend(backend, args.cases, args.runs)


if __name__ == "__main__":
    main()
