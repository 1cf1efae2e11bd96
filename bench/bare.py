"""The baseline workflow: starts and returns at once (sandbox-safe module)."""

from __future__ import annotations

from temporalio import workflow


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
    async def carry(self, text: str) -> None:
        """Take a text and keep nothing: what an update of that size costs in history."""
        return None
