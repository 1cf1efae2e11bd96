"""An in-memory sliding-window rate limit per client address (one process, no storage)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 3600.0
MAX_TRACKED_KEYS = 100_000


class RateLimiter:
    """At most ``limit`` hits per key in any window of ``window`` seconds."""

    def __init__(
        self,
        limit: int,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> int | None:
        """Count a hit; None when allowed, else the seconds to wait before the next one."""
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                oldest = hits[0] if hits else now
                return max(1, math.ceil(oldest + self.window - now))
            hits.append(now)
            if len(self._hits) > MAX_TRACKED_KEYS:
                self._forget_idle(now)
            return None

    def _forget_idle(self, now: float) -> None:
        idle = [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window]
        for key in idle:
            del self._hits[key]
