"""The sliding window counters every API process shares, on SQLite and PostgreSQL: the last
place under a limit goes to exactly one of many at once; a window's count weighs into the
next one, and is purged only once it no longer weighs."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import time_machine

from store.rate_counters import SqlStorage
from tests.factories import Database, migrated


def test_of_many_hits_at_once_exactly_the_limit_count(database: Database) -> None:
    storage = SqlStorage(engine=migrated(database))
    limit, tries = 20, 64

    def hit(_: int) -> bool:
        return storage.acquire_sliding_window_entry("many", limit, 60)

    with ThreadPoolExecutor(max_workers=8) as pool:
        taken = list(pool.map(hit, range(tries)))
    assert taken.count(True) == limit
    assert storage.get_sliding_window("many", 60)[2] == limit


def test_a_window_weighs_into_the_next_and_is_purged_once_it_no_longer_does(
    database: Database,
) -> None:
    storage = SqlStorage(engine=migrated(database))
    with time_machine.travel("2026-12-02 10:00:00 +0000", tick=False) as clock:
        assert all(storage.acquire_sliding_window_entry("k", 10, 60) for _ in range(10))
        assert not storage.acquire_sliding_window_entry("k", 10, 60)
        assert not storage.acquire_sliding_window_entry("k", 10, 60, amount=11)
        clock.shift(timedelta(seconds=30))
        assert storage.get_sliding_window("k", 60) == (0, 0.0, 10, 90.0)
        clock.shift(timedelta(seconds=45))  # 15 seconds into the next window
        assert storage.get_sliding_window("k", 60) == (10, 45.0, 0, 105.0)
        # 10 * 45 / 60 = 7.5 still weighs (rounded down, as ``limits`` does): room for three.
        taken = [storage.acquire_sliding_window_entry("k", 10, 60) for _ in range(4)]
        assert taken == [True, True, True, False]
        assert storage.purge() == 0  # it weighs until the next window ends
        clock.shift(timedelta(seconds=45 + 60))  # both windows over
        assert storage.get_sliding_window("k", 60) == (0, 0.0, 0, 0.0)
        assert storage.purge() == 1
        assert storage.acquire_sliding_window_entry("k", 10, 60)  # a new first window
        assert storage.get_sliding_window("k", 60) == (0, 0.0, 1, 120.0)
        storage.clear_sliding_window("k", 60)
        assert storage.get_sliding_window("k", 60) == (0, 0.0, 0, 0.0)
