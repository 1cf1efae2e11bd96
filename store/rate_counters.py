"""Rate-limit counters in the read model's database: a storage for the ``limits`` library
that every API process shares (SQLite or PostgreSQL), registered as ``redress+sql``.

Sliding window counters (``limits``' ``SlidingWindowCounterRateLimiter``): one row per key
holds the count of the current window and of the window before, and the previous count
weighs as much as the previous window still overlaps the last ``expiry`` seconds. A burst
at the end of a window therefore still counts at the start of the next one, where fixed
windows would allow twice the rate. A key's first window starts at its first hit."""

from __future__ import annotations

import time
from typing import Any

from limits.storage import SlidingWindowCounterSupport, Storage
from sqlalchemy import ColumnElement, Engine, Float, case, delete, literal, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, col

from store.security_tables import RateCounter


class SqlStorage(Storage, SlidingWindowCounterSupport):
    """Counters, one row per key, each changed by one conditional statement."""

    STORAGE_SCHEME = ["redress+sql"]

    def __init__(self, uri: str | None = None, *, engine: Engine, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=False)
        self.engine = engine

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        """What the database may raise."""
        return SQLAlchemyError

    def acquire_sliding_window_entry(
        self, key: str, limit: int, expiry: int, amount: int = 1
    ) -> bool:
        """Count ``amount`` hits if the weighted count stays within ``limit``; whether it did.

        Rolling the window over, weighing and counting are one UPDATE whose condition is the
        limit: the database applies it to the row as it is when it writes, so two processes
        can never both take the last place."""
        if amount > limit:
            return False
        now = time.time()
        with self.engine.begin() as connection:
            fresh = {"key": key, "count": 0, "previous": 0, "expires_at": now + expiry}
            insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
            connection.execute(
                insert(RateCounter)
                .values(**fresh, window_seconds=float(expiry))
                .on_conflict_do_nothing(index_elements=["key"])
            )
            previous, current, ends = _rolled(now, expiry)
            weighted = previous * (ends - literal(now, Float)) / float(expiry) + current
            taken = connection.execute(
                update(RateCounter)
                .where(col(RateCounter.key) == key, weighted < limit - amount + 1)
                .values(
                    previous=previous,
                    count=current + amount,
                    expires_at=ends,
                    window_seconds=float(expiry),
                )
            )
        return int(getattr(taken, "rowcount", 0) or 0) == 1

    def get_sliding_window(self, key: str, expiry: int) -> tuple[int, float, int, float]:
        """(previous count, seconds it still weighs, current count, seconds it still counts
        plus one window), as ``limits`` expects."""
        now = time.time()
        with Session(self.engine) as session:
            row = session.get(RateCounter, key)
            if row is None:
                return 0, 0.0, 0, 0.0
            if row.expires_at > now:
                previous, current, ends = row.previous, row.count, row.expires_at
            elif row.expires_at + expiry > now:
                previous, current, ends = row.count, 0, row.expires_at + expiry
            else:
                return 0, 0.0, 0, 0.0
        left = ends - now
        return previous, left if previous else 0.0, current, left + expiry

    def clear_sliding_window(self, key: str, expiry: int) -> None:
        """Forget one key's counts."""
        self.clear(key)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add to the key's count in a fixed window, starting a new one when the last is over
        (the base API of ``limits``; the throttle counts in sliding windows)."""
        for _ in range(3):  # two processes may create the same key at once: one retries
            try:
                return self._incr(key, expiry, amount)
            except IntegrityError:
                continue
        return self._incr(key, expiry, amount)

    def _incr(self, key: str, expiry: int, amount: int) -> int:
        now = time.time()
        with Session(self.engine) as session, session.begin():
            row = session.get(RateCounter, key, with_for_update=True)
            if row is None:
                row = RateCounter(key=key, count=amount, expires_at=now + expiry)
                session.add(row)
            elif row.expires_at <= now:
                row.count, row.expires_at = amount, now + expiry
            else:
                row.count += amount
            count = row.count
        return count

    def get(self, key: str) -> int:
        """The key's count in its current window (0 when none)."""
        with Session(self.engine) as session:
            row = session.get(RateCounter, key)
            return row.count if row is not None and row.expires_at > time.time() else 0

    def get_expiry(self, key: str) -> float:
        """When the key's current window ends (now when none)."""
        with Session(self.engine) as session:
            row = session.get(RateCounter, key)
            return row.expires_at if row is not None else time.time()

    def check(self) -> bool:
        """Whether the database answers."""
        try:
            with Session(self.engine) as session:
                session.get(RateCounter, "")
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        """Forget every counter; how many there were."""
        with Session(self.engine) as session, session.begin():
            result = session.execute(delete(RateCounter))
        return int(getattr(result, "rowcount", 0) or 0)

    def clear(self, key: str) -> None:
        """Forget one key's counter."""
        with Session(self.engine) as session, session.begin():
            session.execute(delete(RateCounter).where(col(RateCounter.key) == key))

    def purge(self) -> int:
        """Delete counters that no longer count: their window is over, and so is the one
        after it, in which they would still weigh; how many."""
        over = col(RateCounter.expires_at) + col(RateCounter.window_seconds) <= time.time()
        with Session(self.engine) as session, session.begin():
            result = session.execute(delete(RateCounter).where(over))
        return int(getattr(result, "rowcount", 0) or 0)


def _rolled(
    now: float, expiry: int
) -> tuple[ColumnElement[Any], ColumnElement[Any], ColumnElement[Any]]:
    """The row's previous count, current count and current window's end as of ``now``, in
    SQL: the stored window is still current; or the one after it is, and the stored count
    became the previous one; or both are over, and a new first window starts now."""
    ends, count = col(RateCounter.expires_at), col(RateCounter.count)
    at = literal(now, Float)
    live, next_one = ends > at, ends + float(expiry) > at
    previous = case((live, col(RateCounter.previous)), (next_one, count), else_=0)
    current = case((live, count), else_=0)
    new_end = case((live, ends), (next_one, ends + float(expiry)), else_=at + float(expiry))
    return previous, current, new_end
