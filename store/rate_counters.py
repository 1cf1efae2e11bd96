"""Rate-limit counters in the read model's database: a storage for the ``limits`` library
that every API process shares (SQLite or PostgreSQL), registered as ``redress+sql``."""

from __future__ import annotations

import time
from typing import Any

from limits.storage import Storage
from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import Session, col

from store.security_tables import RateCounter


class SqlStorage(Storage):
    """Fixed-window counters, one row per key, updated under a row lock."""

    STORAGE_SCHEME = ["redress+sql"]

    def __init__(self, uri: str | None = None, *, engine: Engine, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=False)
        self.engine = engine

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        """What the database may raise."""
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add to the key's count, starting a new window when the last one is over."""
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
        """Delete counters whose window is over; how many."""
        with Session(self.engine) as session, session.begin():
            result = session.execute(
                delete(RateCounter).where(col(RateCounter.expires_at) <= time.time())
            )
        return int(getattr(result, "rowcount", 0) or 0)
