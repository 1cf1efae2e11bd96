"""(a) Filing through HTTP against bare Temporal workflow starts on the same server.

The stack runs as a deployment runs it (bench/processes.py): the API and the worker are
processes of their own. At each concurrency, clients file complaints through
``POST /api/v1/complaints`` and, in the same run, start bare workflows through the Temporal
client; rounds alternate between the two, and each figure is the median over the rounds.

Usage: ``python -m bench.filing [--clients 1,10,50] [--calls N] [--rounds N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
from temporalio.client import Client
from temporalio.worker import Worker

from bench.bare import BareWorkflow
from bench.processes import bench_stack, machine
from tests.faults.driver import complaint

BARE_QUEUE = "bench-bare"


@dataclass(frozen=True)
class Load:
    """What one round of ``calls`` calls by ``clients`` concurrent clients measured."""

    per_second: float
    latencies: list[float]

    def quantile(self, q: float) -> float:
        """The ``q`` quantile of the latencies, in milliseconds."""
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def load(clients: int, calls: int, call: Callable[[], Awaitable[None]]) -> Load:
    """Run ``calls`` calls spread over ``clients`` concurrent loops."""
    latencies: list[float] = []
    remaining = iter(range(calls))

    async def client() -> None:
        for _ in remaining:
            began = time.perf_counter()
            await call()
            latencies.append(time.perf_counter() - began)

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return Load(calls / (time.perf_counter() - began), latencies)


def median_load(rounds: list[Load]) -> tuple[float, float, float]:
    """Median throughput, p50 and p95 (ms) over the rounds."""
    return (
        statistics.median(r.per_second for r in rounds),
        statistics.median(r.quantile(0.5) for r in rounds),
        statistics.median(r.quantile(0.95) for r in rounds),
    )


async def main(levels: list[int], calls: int, rounds: int, api_processes: int) -> None:
    """Measure every concurrency level and print the table."""
    async with bench_stack(api_processes=api_processes) as stack:
        client: Client = await stack.client()
        async with (
            Worker(client, task_queue=BARE_QUEUE, workflows=[BareWorkflow]),
            httpx.AsyncClient(
                base_url=stack.settings.public_url,
                timeout=60,
                limits=httpx.Limits(max_connections=max(levels)),
            ) as http,
        ):

            async def bare() -> None:
                await client.start_workflow(
                    BareWorkflow.run, False, id=f"bare-{uuid.uuid4()}", task_queue=BARE_QUEUE
                )

            async def filing() -> None:
                response = await http.post(
                    "/api/v1/complaints",
                    json=complaint(),
                    headers={"Idempotency-Key": str(uuid.uuid4())},
                )
                if response.status_code != 201:
                    raise RuntimeError(f"filing answered {response.status_code}: {response.text}")

            await load(4, 20, bare)  # warm-up: connections, caches, the worker's first tasks
            await load(4, 20, filing)
            rows = []
            for clients in levels:
                count = max(calls, clients * 4)
                bares, filings = [], []
                for _ in range(rounds):
                    bares.append(await load(clients, count, bare))
                    filings.append(await load(clients, count, filing))
                rows.append((clients, count, median_load(bares), median_load(filings)))
    print(f"(a) filing: HTTP filing against bare workflow starts, on {machine()}")
    print(f"    API processes: {api_processes}; medians over {rounds} alternating rounds")
    header = (
        f"{'clients':>7} {'calls':>6} {'bare/s':>8} {'filing/s':>9} {'ratio':>6} "
        f"{'bare p50':>9} {'bare p95':>9} {'file p50':>9} {'file p95':>9}"
    )
    print(header)
    for clients, count, (b_rate, b50, b95), (f_rate, f50, f95) in rows:
        print(
            f"{clients:7d} {count:6d} {b_rate:8.1f} {f_rate:9.1f} {f_rate / b_rate:6.2f} "
            f"{b50:7.1f}ms {b95:7.1f}ms {f50:7.1f}ms {f95:7.1f}ms"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", default="1,10,50")
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--api-processes", type=int, default=1)
    args = parser.parse_args()
    levels = [int(n) for n in args.clients.split(",")]
    asyncio.run(main(levels, args.calls, args.rounds, args.api_processes))
