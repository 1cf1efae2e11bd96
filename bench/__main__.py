"""Filing and acting on cases, measured against bare Temporal workflows on the same server.

Prints medians and ratios to the baseline measured in the same run, so figures compare
across machines. Usage: ``python -m bench [--runs N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable

from bench.bare import BareWorkflow, bench_case
from bench.stack import bench_engine
from domain.actions import ActionRequest, Register
from domain.cases import Actor
from domain.enums import Role
from store.covenants import load_covenant_files
from workflows.case import CaseWorkflow

QUEUE = "bench"


async def measure(runs: int, step: Callable[[], Awaitable[None]]) -> float:
    """Median seconds of ``runs`` sequential calls, after two warm-up calls."""
    for _ in range(2):
        await step()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        await step()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


async def main(runs: int) -> None:
    """Run the benchmarks and print a table of medians and ratios."""
    covenant = next(c for c in load_covenant_files() if c.slug == "garments-textile")
    async with bench_engine(QUEUE) as client:

        async def bare_start() -> None:
            await client.execute_workflow(
                BareWorkflow.run, False, id=f"bare-{uuid.uuid4()}", task_queue=QUEUE
            )

        async def file_case() -> str:
            start = bench_case(covenant)
            handle = await client.start_workflow(
                CaseWorkflow.run, start, id=f"case-{start.reference}", task_queue=QUEUE
            )
            await handle.execute_update(CaseWorkflow.synced)
            return start.reference

        async def filing() -> None:
            await file_case()

        references = [await file_case() for _ in range(runs + 2)]
        secretariat = Actor(user="secretariat", role=Role.SECRETARIAT)

        async def action() -> None:
            handle = client.get_workflow_handle(f"case-{references.pop()}")
            request = ActionRequest(actor=secretariat, action=Register(action="register"))
            await handle.execute_update(CaseWorkflow.act, request)

        bare_handle = await client.start_workflow(
            BareWorkflow.run, True, id=f"bare-{uuid.uuid4()}", task_queue=QUEUE
        )

        async def bare_update() -> None:
            await bare_handle.execute_update(BareWorkflow.touch)

        baseline = await measure(runs, bare_start)
        update_baseline = await measure(runs, bare_update)
        filed = await measure(runs, filing)
        acted = await measure(runs, action)
    print(f"runs per figure: {runs} (medians; 2 cores)")
    print(f"{'what':45} {'median ms':>10} {'ratio':>7}")
    rows = [
        ("bare workflow start to completion (baseline)", baseline, baseline),
        ("file a case: start + deadlines + projection", filed, baseline),
        ("bare workflow update (baseline)", update_baseline, update_baseline),
        ("register a case: update + deadlines + projection", acted, update_baseline),
    ]
    for name, value, base in rows:
        print(f"{name:45} {value * 1000:10.1f} {value / base:7.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    asyncio.run(main(parser.parse_args().runs))
