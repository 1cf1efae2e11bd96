"""A fresh database per test, on every backend that is available."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.factories import BACKENDS, Database, open_database


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database (SQLite file, or a PostgreSQL schema of its own)."""
    yield from open_database(request.param, tmp_path)
