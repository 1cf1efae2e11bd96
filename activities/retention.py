"""The retention sweep as an activity: one batch of ``store.retention.sweep``."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import Engine
from temporalio import activity

from store import retention
from workflows.retention import SweepRequest, SweepResult


class RetentionActivities:
    """The sweep, with the read model's engine, the documents' data directory, and what
    bakes the redaction of the register's summaries in before names are erased."""

    def __init__(
        self, engine: Engine, data_dir: Path, scrub: retention.Scrub | None = None
    ) -> None:
        self.engine = engine
        self.data_dir = data_dir
        self.scrub = scrub  # the worker's: services.retention.scrub_register

    def sweep_sync(self, request: SweepRequest) -> SweepResult:
        """One batch: erase and delete what is due at ``request.now`` (idempotent)."""
        swept = retention.sweep(
            self.engine,
            now=request.now,
            data_dir=self.data_dir,
            limit=request.limit,
            scrub=self.scrub,
        )
        return SweepResult(
            contacts=swept.contacts,
            documents=swept.documents,
            notes=swept.notes,
            raced=swept.raced,
            more=swept.more,
            drafts=swept.drafts,
        )

    @activity.defn(name="sweep_retention")
    async def sweep_retention(self, request: SweepRequest) -> SweepResult:
        """One batch of the retention sweep; the counts, logged without any case's content."""
        result = await asyncio.to_thread(self.sweep_sync, request)
        if result.contacts or result.documents or result.raced or result.drafts:
            activity.logger.info(
                "retention: %d complainants' contact details erased, %d documents deleted, "
                "%d e-mailed drafts erased, %d cases left for the next sweep",
                result.contacts,
                result.documents,
                result.drafts,
                result.raced,
            )
        return result
