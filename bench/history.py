"""History bytes one action adds, against the length of the case: the figure must stay flat.

A case takes messages of 2,000 Bengali characters (6 kB in UTF-8) through the real worker
(SQLite read model, recording mailer) on a Temporal dev server. At 10, 100 and 1,000 events
it measures what the next actions add to the current run's history, and how long each takes;
the baseline is a bare workflow update carrying the same text, in the same run.
Usage: ``python -m bench.history [--samples N] [--lengths 10 100 1000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from typing import Any

from temporalio.client import Client, WorkflowHandle

from bench.bare import BareWorkflow, bench_case
from bench.stack import bench_engine
from domain.actions import ActionRequest, AddMessage, Register
from domain.cases import Actor
from domain.enums import Role
from services.engine import execute_act
from store.covenants import load_covenant_files
from workflows.case import CaseWorkflow

QUEUE = "bench-history"
BENGALI = "শ্রমিকদের মজুরি তিন মাস ধরে বকেয়া রয়েছে। "
TEXT = (BENGALI * (2_000 // len(BENGALI) + 1))[:2_000]
SECRETARIAT = Actor(user="secretariat", role=Role.SECRETARIAT)


async def run_size(client: Client, workflow_id: str) -> tuple[str, int, int]:
    """The current run's id, history events and bytes."""
    history = await client.get_workflow_handle(workflow_id).fetch_history()
    run = history.events[0].workflow_execution_started_event_attributes.original_execution_run_id
    return run, len(history.events), sum(e.ByteSize() for e in history.events)


async def message(handle: WorkflowHandle[Any, Any]) -> None:
    action = AddMessage(action="add_message", text=TEXT)
    await execute_act(handle, ActionRequest(actor=SECRETARIAT, action=action), str(uuid.uuid4()))


async def sample_case(
    client: Client, workflow_id: str, samples: int
) -> tuple[list[int], list[float], int]:
    """Bytes and seconds of ``samples`` messages (those crossing into a new run left out)."""
    handle = client.get_workflow_handle(workflow_id)
    added, took = [], []
    for _ in range(samples):
        run, _, before = await run_size(client, workflow_id)
        began = time.perf_counter()
        await message(handle)
        took.append(time.perf_counter() - began)
        now_run, _, after = await run_size(client, workflow_id)
        if now_run == run:
            added.append(after - before)
    _, events, _ = await run_size(client, workflow_id)
    return added, took, events


async def main(samples: int, lengths: list[int]) -> None:
    """Grow one case to each length, measuring as it goes; print the table."""
    covenant = next(c for c in load_covenant_files() if c.slug == "garments-textile")
    async with bench_engine(QUEUE) as client:
        bare = await client.start_workflow(
            BareWorkflow.run, True, id=f"bare-{uuid.uuid4()}", task_queue=QUEUE
        )
        base_bytes, base_time = [], []
        for _ in range(samples):
            _, _, before = await run_size(client, bare.id)
            began = time.perf_counter()
            await bare.execute_update(BareWorkflow.carry, TEXT)
            base_time.append(time.perf_counter() - began)
            base_bytes.append((await run_size(client, bare.id))[2] - before)
        start = bench_case(covenant)
        handle = await client.start_workflow(
            CaseWorkflow.run, start, id=f"case-{start.reference}", task_queue=QUEUE
        )
        await handle.execute_update(CaseWorkflow.synced)
        register = ActionRequest(actor=SECRETARIAT, action=Register(action="register"))
        await execute_act(handle, register, str(uuid.uuid4()))
        rows = []
        events = 4
        for length in lengths:
            while events < length:
                await message(handle)
                events += 1  # a message is one event
            added, took, run_events = await sample_case(client, handle.id, samples)
            events += samples
            rows.append((length, run_events, added, took))
    base = statistics.median(base_bytes)
    base_ms = statistics.median(base_time) * 1000
    print(f"message text: {len(TEXT)} Bengali characters ({len(TEXT.encode())} bytes UTF-8)")
    print(f"baseline, a bare update carrying it: {base:.0f} bytes, {base_ms:.1f} ms (medians)")
    print(
        f"{'events in case':>14} {'run events':>10} {'bytes/action':>12} {'ratio':>6}"
        f" {'ms/action':>9} {'ratio':>6}"
    )
    for length, run_events, added, took in rows:
        size = statistics.median(added)
        ms = statistics.median(took) * 1000
        print(
            f"{length:>14} {run_events:>10} {size:>12.0f} {size / base:>6.2f}"
            f" {ms:>9.1f} {ms / base_ms:>6.2f}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=15)
    parser.add_argument("--lengths", type=int, nargs="+", default=[10, 100, 1000])
    args = parser.parse_args()
    asyncio.run(main(args.samples, args.lengths))
