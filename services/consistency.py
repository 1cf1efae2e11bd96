"""Whether the read model still agrees with the case workflows, and re-projecting it from them.

A case's workflow is the source of truth of its progress; the read model derives its case
row, deadlines, orders, respondents and recusals from the workflow's state. A check reads
both for every case (a page of references at a time, a bounded number of queries in
flight) and names each difference. A rebuild writes each workflow's state again through
the projection the worker uses, given to it by the caller (services do not load activities).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, NamedTuple

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session
from temporalio.client import Client, WorkflowHandle, WorkflowQueryFailedError
from temporalio.service import RPCError, RPCStatusCode

from domain.cases import CaseState, Projection
from domain.problems import NotFound, Unavailable
from services.consistency_compare import GONE, Difference, NoState, compare
from services.engine import workflow_id
from store import projected
from store.db import session_scope
from workflows.case import CaseWorkflow

CONCURRENCY = 8  # state queries in flight: each replays a closed case's history on a worker
PAGE = 500  # cases read from the read model at a time
WRITERS = 4  # rebuild transactions at a time (SQLite takes them one by one anyway)
QUERY_TIMEOUT = timedelta(seconds=15)
# How a query that ran out of time ends (the SDK cancels it: "Timeout expired").
NO_ANSWER = {RPCStatusCode.CANCELLED, RPCStatusCode.DEADLINE_EXCEEDED}
# A case caught between its workflow's step and that step's projection differs for a
# moment: cases that differ are read again after this pause, and only what stays is told.
SETTLE_SECONDS = 1.0

Projector = Callable[[Session, Projection], bool]

__all__ = ["Difference", "Report", "Rebuilt", "check_consistency", "rebuild_read_model"]


@dataclass
class Report:
    """What a check found: the cases compared and the differences that stayed."""

    cases: int
    differences: list[Difference]


@dataclass
class Rebuilt:
    """What a rebuild did (or, dry, would do): the cases written, the differences they had,
    and those still there afterwards (what the workflows cannot give back)."""

    cases: int
    written: int
    repaired: list[Difference] = field(default_factory=list)
    remaining: list[Difference] = field(default_factory=list)


class Compared(NamedTuple):
    """One case side by side: its workflow's state, its rows, and how they differ."""

    reference: str
    state: CaseState | NoState
    held: projected.ProjectedCase | None
    differences: list[Difference]


class _Cases:
    """The read model and the workflows of one deployment, read side by side."""

    def __init__(self, engine: Engine, client: Client, task_queue: str, concurrency: int) -> None:
        self.engine, self.client, self.task_queue = engine, client, task_queue
        self.gate = asyncio.Semaphore(concurrency)

    def read(self, references: list[str]) -> dict[str, projected.ProjectedCase]:
        try:
            with Session(self.engine) as session:
                return projected.projected_cases(session=session, references=references)
        except SQLAlchemyError as error:
            raise _database_down(self.engine, error) from None

    def _page(self, after: str | None) -> list[str]:
        try:
            with Session(self.engine) as session:
                return projected.case_references(session=session, after=after, limit=PAGE)
        except SQLAlchemyError as error:
            raise _database_down(self.engine, error) from None

    async def pages(self, only: str | None) -> AsyncIterator[list[str]]:
        """References of the read model's cases, a page at a time (or just ``only``)."""
        if only is not None:
            known = (await self.compared([only]))[0]
            if known.held is None and known.state == NoState(GONE):
                raise NotFound(f"no case {only}: neither the read model nor Temporal has it")
            yield [only]
            return
        after: str | None = None
        while page := await asyncio.to_thread(self._page, after):
            yield page
            after = page[-1]

    async def running(self) -> set[str]:
        """References of the running case workflows on this deployment's task queue."""
        query = (
            f"WorkflowType = 'CaseWorkflow' AND ExecutionStatus = 'Running' "
            f"AND TaskQueue = '{self.task_queue}'"
        )
        try:
            return {
                execution.id.removeprefix("case-")
                async for execution in self.client.list_workflows(query)
                if execution.id.startswith("case-")
            }
        except RPCError as error:
            raise _temporal_down(self.client, error) from None

    async def state(self, reference: str) -> CaseState | NoState:
        """The workflow's live state, or why there is none."""
        handle = self.client.get_workflow_handle_for(CaseWorkflow.run, workflow_id(reference))
        async with self.gate:
            try:
                return await handle.query(CaseWorkflow.state, rpc_timeout=QUERY_TIMEOUT)
            except WorkflowQueryFailedError as error:
                return NoState(f"its state query failed: {error.message}")
            except RPCError as error:
                if error.status is RPCStatusCode.NOT_FOUND:
                    return NoState(GONE)
                if error.status in NO_ANSWER:
                    queue = await self._queue_of(handle)
                    raise Unavailable(
                        f"the workflow of case {reference} did not answer its state query "
                        f"within {QUERY_TIMEOUT.seconds} s: no worker polls task queue "
                        f"'{queue}', or the worker is stuck on that case"
                    ) from None
                raise _temporal_down(self.client, error) from None

    async def _queue_of(self, handle: WorkflowHandle[Any, Any]) -> str:
        """The task queue the workflow runs on (this deployment's, if it cannot be told)."""
        try:
            return (await handle.describe(rpc_timeout=QUERY_TIMEOUT)).task_queue
        except RPCError:
            return self.task_queue

    async def compared(self, references: list[str]) -> list[Compared]:
        """Each case's workflow state and its differences (queried first, then read: the
        read model can only lag behind a state, never run ahead of it)."""
        states = await asyncio.gather(*(self.state(r) for r in references))
        rows = await asyncio.to_thread(self.read, references)
        return [
            Compared(ref, state, rows.get(ref), compare(ref, rows.get(ref), state))
            for ref, state in zip(references, states, strict=True)
        ]

    async def differing(self, only: str | None) -> tuple[int, list[str]]:
        """One pass over every case (and every running workflow the read model lacks): the
        number of cases and the references of those that differ."""
        running = await self.running() if only is None else set()
        cases, suspects = 0, []
        async for page in self.pages(only):
            running.difference_update(page)
            cases += len(page)
            suspects += [c.reference for c in await self.compared(page) if c.differences]
        lacking = sorted(running)
        for start in range(0, len(lacking), PAGE):
            page = lacking[start : start + PAGE]
            cases += len(page)
            suspects += [c.reference for c in await self.compared(page) if c.differences]
        return cases, suspects


async def check_consistency(
    *,
    engine: Engine,
    client: Client,
    task_queue: str,
    reference: str | None = None,
    concurrency: int = CONCURRENCY,
    settle: float = SETTLE_SECONDS,
) -> Report:
    """Compare every case in the read model (or one) with its workflow's state; the
    differences that remain after a second look. ``Unavailable`` when a part is down,
    ``NotFound`` for a reference neither has."""
    cases = _Cases(engine, client, task_queue, concurrency)
    count, suspects = await cases.differing(reference)
    differences: list[Difference] = []
    if suspects:
        await asyncio.sleep(settle)
        for start in range(0, len(suspects), PAGE):
            for again in await cases.compared(suspects[start : start + PAGE]):
                differences += again.differences
    return Report(cases=count, differences=differences)


async def rebuild_read_model(
    *,
    engine: Engine,
    client: Client,
    task_queue: str,
    project: Projector,
    reference: str | None = None,
    dry_run: bool = False,
    concurrency: int = CONCURRENCY,
) -> Rebuilt:
    """Write each workflow's current state into the read model through ``project`` (the
    worker's projection), idempotently; with ``dry_run`` only say what would change."""
    cases = _Cases(engine, client, task_queue, concurrency)
    running = await cases.running() if reference is None else set()
    done = Rebuilt(cases=0, written=0)
    async for page in cases.pages(reference):
        running.difference_update(page)
        await _rebuild_page(cases, page, project, dry_run, done)
    lacking = sorted(running)
    for start in range(0, len(lacking), PAGE):
        await _rebuild_page(cases, lacking[start : start + PAGE], project, dry_run, done)
    return done


async def _rebuild_page(
    cases: _Cases, page: list[str], project: Projector, dry_run: bool, done: Rebuilt
) -> None:
    """Write the page's cases again, then compare them again: what stays was not rebuilt."""
    done.cases += len(page)
    before = await cases.compared(page)
    if dry_run:
        for c in before:
            (done.remaining if isinstance(c.state, NoState) else done.repaired).extend(
                c.differences
            )
        return
    writers = asyncio.Semaphore(WRITERS)

    async def rewrite(c: Compared) -> bool:
        async with writers:
            return await _rewrite(cases, c, project)

    done.written += sum(await asyncio.gather(*(rewrite(c) for c in before)))
    after = {c.reference: c.differences for c in await cases.compared(page)}
    for c in before:
        done.repaired += [d for d in c.differences if d not in after[c.reference]]
        done.remaining += after[c.reference]


async def _rewrite(cases: _Cases, compared: Compared, project: Projector) -> bool:
    """Project the workflow's state; a row whose sequence ran ahead of it is set back first.

    The workflow adopts a state before projecting it, and the row was read after the state
    was queried: a row ahead of a state queried again is wrong, not merely newer.
    """
    state, reference = compared.state, compared.reference
    if isinstance(state, NoState):
        return False
    held = compared.held.row.last_seq if compared.held is not None else 0
    if held > state.last_seq:
        fresh = await cases.state(reference)
        if isinstance(fresh, NoState):
            return False
        state = fresh  # if the workflow moved on meanwhile, its newer state is written

    def write() -> bool:
        try:
            with session_scope(cases.engine) as session:
                if held > state.last_seq:
                    projected.rewind_case(
                        session=session, reference=reference, seen_seq=held, to_seq=state.last_seq
                    )
                return project(session, Projection(state=state))
        except SQLAlchemyError as error:
            raise _database_down(cases.engine, error) from None

    return await asyncio.to_thread(write)


def _database_down(engine: Engine, error: SQLAlchemyError) -> Unavailable:
    where = engine.url.render_as_string(hide_password=True)
    cause = getattr(error, "orig", None) or error
    return Unavailable(f"the read model at {where} cannot be used: {cause}")


def _temporal_down(client: Client, error: RPCError) -> Unavailable:
    target = client.service_client.config.target_host
    return Unavailable(f"Temporal at {target} is not reachable: {error.status.name}: {error}")
