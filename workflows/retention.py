"""The retention schedule: one long-running workflow that sweeps the read model once a day.

Sandbox-safe: imports only temporalio and the standard library. The worker starts it under
a fixed id at every start, joining the run already going (so a restart neither stops it nor
starts a second); its timer lives in Temporal, so a sweep missed while no worker ran
happens as soon as one does. Each sweep asks ``sweep_retention`` (activities/retention.py)
for batches until one comes back short; the activity is idempotent, so a retry or a sweep
the operator ran meanwhile (``redress retention --now``) changes nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

RETENTION_WORKFLOW_ID = "retention"
SWEEP_TIMEOUT = timedelta(minutes=10)
SWEEP_RETRY = RetryPolicy(
    initial_interval=timedelta(minutes=1), maximum_interval=timedelta(hours=1)
)
# Batches one sweep asks for at most (a backlog is worked off over the following days), and
# sweeps per run before it continues as new, so the history stays small.
MAX_BATCHES = 50
SWEEPS_PER_RUN = 30


@dataclass(frozen=True)
class RetentionPlan:
    """How often to sweep, and how many items of each kind per covenant one batch takes."""

    every_hours: int = 24
    batch: int = 200


@dataclass(frozen=True)
class SweepRequest:
    """One batch: the time the periods are counted back from, and the batch size."""

    now: datetime
    limit: int


@dataclass(frozen=True)
class SweepResult:
    """What one batch did; ``more`` when a batch was full and another should follow."""

    contacts: int = 0
    documents: int = 0
    notes: int = 0
    raced: int = 0
    more: bool = False
    drafts: int = 0  # e-mailed complaints whose sender was erased (0 from sweeps before)


@workflow.defn
class RetentionWorkflow:
    """Sweeps for retention every ``every_hours``, for ever (continuing as new now and then)."""

    def __init__(self) -> None:
        self.sweeps = 0
        self.erased = 0
        self.deleted = 0

    @workflow.run
    async def run(self, plan: RetentionPlan) -> None:
        """Sweep, sleep, and again; after ``SWEEPS_PER_RUN`` sweeps, continue as new."""
        for _ in range(SWEEPS_PER_RUN):
            await self._sweep(plan)
            await workflow.sleep(timedelta(hours=plan.every_hours))
        workflow.continue_as_new(plan)

    async def _sweep(self, plan: RetentionPlan) -> None:
        for _ in range(MAX_BATCHES):
            result = await workflow.execute_activity(
                "sweep_retention",
                SweepRequest(now=workflow.now(), limit=plan.batch),
                result_type=SweepResult,
                start_to_close_timeout=SWEEP_TIMEOUT,
                retry_policy=SWEEP_RETRY,
            )
            self.erased += result.contacts
            self.deleted += result.documents
            if not result.more:
                break
        self.sweeps += 1

    @workflow.query
    def progress(self) -> dict[str, int]:
        """Sweeps done in this run, and the contacts erased and documents deleted by them."""
        return {"sweeps": self.sweeps, "contacts": self.erased, "documents": self.deleted}
