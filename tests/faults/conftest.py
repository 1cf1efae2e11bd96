"""One stack of separate processes for the whole fault run; each test finds it all running."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.faults.stack import FaultStack, fault_stack

# Each process's log (and Temporal's SQLite file, the mail received) stays here after the
# run, for whoever reads a failure; the next run starts it afresh.
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "faults"


@pytest.fixture(scope="session")
async def running() -> AsyncIterator[FaultStack]:
    """Temporal, the mail sink, the worker and the API on a fresh PostgreSQL database."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    async with fault_stack(ARTIFACTS) as stack:
        yield stack


@pytest.fixture
async def stack(running: FaultStack) -> FaultStack:
    """The stack with every process up and the database reachable, as a test starts."""
    await running.ensure_up()
    return running
