"""The suite's today (``--today``) reaches the workflows: their clock and Python's agree."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from temporalio.testing import WorkflowEnvironment

from tests import clock
from tests.workflows.conftest import Start, state_of


async def test_a_workflow_starts_at_the_suites_today(env: WorkflowEnvironment, start_case: Start):
    handle = await start_case()
    state = await state_of(handle)
    started = state.events[0].at  # stamped with workflow.now() in the first step
    assert abs(started - datetime.now(UTC)) < timedelta(minutes=5)
    assert started.date() == clock.today()
    assert abs(await env.get_current_time(handle) - datetime.now(UTC)) < timedelta(minutes=5)
