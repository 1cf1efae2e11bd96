"""What the read benchmarks share: timing a call (median and p95), the machine, databases."""

from __future__ import annotations

import math
import os
import platform
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from store.db import make_engine, normalise_url

POSTGRES_ENVS = ("REDRESS_BENCH_POSTGRES_URL", "REDRESS_TEST_POSTGRES_URL")


@dataclass(frozen=True)
class Timing:
    """Milliseconds of repeated calls: the median and the 95th percentile."""

    median: float
    p95: float


def timed(runs: int, call: Callable[[int], object], warmup: int = 2) -> Timing:
    """``runs`` calls of ``call(i)`` after ``warmup`` calls; i numbers the call."""
    for number in range(warmup):
        call(-1 - number)
    times = []
    for number in range(runs):
        began = time.perf_counter()
        call(number)
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return Timing(statistics.median(times), times[max(math.ceil(0.95 * len(times)) - 1, 0)])


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (or what the platform says)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine(postgres_version: str | None = None) -> str:
    """One line naming the machine and the versions the figures depend on."""
    parts = [
        f"{os.cpu_count()} CPUs ({cpu_model()})",
        f"Python {platform.python_version()}",
        f"SQLite {sqlite3.sqlite_version}",
        f"PostgreSQL {postgres_version}" if postgres_version else "PostgreSQL not measured",
    ]
    return "; ".join(parts)


def postgres_url() -> str | None:
    """The PostgreSQL server to measure on, from the environment (None: SQLite only)."""
    for name in POSTGRES_ENVS:
        if os.environ.get(name):
            return os.environ[name]
    return None


def postgres_version(url: str) -> str:
    """The server's version string."""
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SHOW server_version")).scalar_one())
    finally:
        engine.dispose()


@contextmanager
def bench_database(backend: str) -> Iterator[Engine]:
    """An empty database: a SQLite file in a temporary folder, or a PostgreSQL schema of its
    own (dropped afterwards) on the server ``postgres_url`` names."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
            try:
                yield engine
            finally:
                engine.dispose()
        return
    url = postgres_url()
    assert url is not None
    base = make_url(normalise_url(url))
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = base.update_query_dict({"options": f"-csearch_path={schema}"})
    engine = make_engine(scoped.render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
