"""The baseline workflow: starts and returns at once (sandbox-safe module); and the start
input of the cases the benchmarks measure against it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from temporalio import activity, workflow

with workflow.unsafe.imports_passed_through():
    from domain.cases import CaseStart, Party
    from domain.enums import CaseKind, IssueKind
    from domain.procedure import Covenant


def bench_case(covenant: Covenant) -> CaseStart:
    """A new benchmark complaint with a fresh reference."""
    return CaseStart(
        reference=f"B-{uuid.uuid4().hex[:10].upper()}",
        kind=CaseKind.COMPLAINT,
        covenant=covenant.slug,
        covenant_name=covenant.name,
        procedure=covenant.procedure,
        confidential=True,
        pseudonym="Complainant B",
        respondents=[Party(organisation_id="acme", name="Acme")],
        subject="Benchmark",
        description="A benchmark complaint.",
        issues=[IssueKind.OTHER],
        filed_at=datetime.now(UTC),
    )


@activity.defn
async def noop() -> None:
    """An activity that does nothing: the cost of an activity round trip."""


@workflow.defn
class BareWorkflow:
    """A workflow that does nothing, to measure the server's own cost."""

    @workflow.run
    async def run(self, wait: bool = False) -> None:
        """Return at once, or wait for ``finish`` when started for update measurements."""
        await workflow.wait_condition(lambda: self._done)

    @workflow.init
    def __init__(self, wait: bool = False) -> None:
        self._done = not wait

    @workflow.update
    async def touch(self) -> None:
        """Do nothing: the cost of an update round trip."""
        return None

    @workflow.update
    async def step(self) -> None:
        """Run one no-op activity: what a case's step costs besides its own work."""
        await workflow.execute_activity(noop, start_to_close_timeout=timedelta(seconds=30))

    @workflow.update
    async def finish(self) -> None:
        """Let the run end."""
        self._done = True

    @workflow.update
    async def carry(self, text: str) -> None:
        """Take a text and keep nothing: what an update of that size costs in history."""
        return None
