"""(c) Deadline storm: thousands of open cases whose deadlines fall in the same minute.

Cases are filed through the API on the stack of separate processes (bench/processes.py) with
the Temporal dev server's time skipping on. Each case's clock is moved (per workflow, as the
fault tests do) to an hour before its registration deadline, so that its reminder goes out
first, and then, once the stack is quiet again, to ``--lead`` seconds before it: the
deadlines of every case then fall due within the same minute of real time. The figure is the
time from the first deadline falling due until every escalation is recorded in the read
model and every e-mail it sends is in the mail sink, with the worker's peak memory meanwhile.

Usage: ``python -m bench.storm [--cases N] [--lead SECONDS]``.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import httpx
from sqlalchemy import create_engine, func, select
from sqlmodel import col
from temporalio.client import Client
from temporalio.testing import TimeSkipper

from bench.processes import BenchStack, bench_stack, machine
from store.tables import CaseDeadline, CaseEvent
from tests.faults.driver import complaint

T = TypeVar("T")
CONCURRENCY = 50


async def gather_bounded(calls: Iterable[Callable[[], Awaitable[T]]]) -> list[T]:
    """Run the calls, at most CONCURRENCY at a time."""
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(call: Callable[[], Awaitable[T]]) -> T:
        async with gate:
            return await call()

    return await asyncio.gather(*(one(call) for call in calls))


def mail_count(stack: BenchStack) -> int:
    """The messages in the mail sink's store."""
    return sum(1 for _ in (Path(stack.settings.data_dir) / "mail").glob("*.eml"))


def memory_mib(pid: int, field: str = "VmRSS") -> float:
    """A process's resident memory (or its peak, ``VmHWM``), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def quiet(stack: BenchStack, seconds: float = 5) -> None:
    """Wait until no mail has arrived for ``seconds``."""
    last, since = -1, time.monotonic()
    while time.monotonic() - since < seconds:
        count = mail_count(stack)
        if count != last:
            last, since = count, time.monotonic()
        await asyncio.sleep(0.5)


async def file_cases(stack: BenchStack, count: int) -> list[str]:
    """File ``count`` complaints through the API; their references."""
    async with httpx.AsyncClient(base_url=stack.settings.public_url, timeout=120) as http:

        async def one() -> str:
            headers = {"Idempotency-Key": str(uuid.uuid4())}
            answer = await http.post("/api/v1/complaints", json=complaint(), headers=headers)
            assert answer.status_code == 201, answer.text
            reference: str = answer.json()["reference"]
            return reference

        return await gather_bounded(one for _ in range(count))


async def move_clocks(client: Client, dues: dict[str, datetime], before: timedelta) -> None:
    """Move every case's virtual clock to ``before`` its due moment."""
    skipper = TimeSkipper(client)

    def mover(reference: str, due: datetime) -> Callable[[], Awaitable[None]]:
        async def move() -> None:
            handle = client.get_workflow_handle(f"case-{reference}")
            now = await skipper.get_current_time(handle)
            if due - before > now:
                await skipper.fast_forward(handle, due - before - now)

        return move

    await gather_bounded(mover(r, due) for r, due in dues.items())


async def main(cases: int, lead: float) -> None:
    """File the cases, line their deadlines up, and time the storm."""
    async with bench_stack(time_skipping=True) as stack:
        worker = next(s for s in stack.services if s.name.startswith("worker"))
        assert worker.pid is not None
        engine = create_engine(stack.settings.database_url)
        began = time.perf_counter()
        references = await file_cases(stack, cases)
        filed_in = time.perf_counter() - began
        await quiet(stack)
        with engine.connect() as db:
            rows = db.execute(
                select(col(CaseDeadline.reference), col(CaseDeadline.due)).where(
                    col(CaseDeadline.name) == "register"
                )
            ).all()
        dues = {r: due.replace(tzinfo=due.tzinfo or UTC) for r, due in rows}
        assert set(references) <= set(dues), "a filed case has no registration deadline"
        client = await stack.client()
        await move_clocks(client, dues, timedelta(hours=1))  # the reminders go out
        await quiet(stack)
        mail_before = mail_count(stack)
        moved = time.monotonic()
        await move_clocks(client, dues, timedelta(seconds=lead))
        spread = time.monotonic() - moved
        first_due = moved + lead
        peak, mails = 0.0, mail_before
        last_mail = first_due  # when the last e-mail arrived (a moment, not a count)
        recorded_at: float | None = None
        while True:
            await asyncio.sleep(0.5)
            peak = max(peak, memory_mib(worker.pid))
            count = mail_count(stack)
            if count != mails:
                mails, last_mail = count, time.monotonic()
            if recorded_at is None:
                with engine.connect() as db:
                    missed = db.execute(
                        select(func.count()).where(col(CaseEvent.type) == "deadline_missed")
                    ).scalar_one()
                if missed >= cases:
                    recorded_at = time.monotonic()
            elif time.monotonic() - max(last_mail, recorded_at) > 10:
                break
        engine.dispose()
    sent = mails - mail_before
    print(f"(c) deadline storm, on {machine()}")
    print(f"    {cases} cases filed through the API in {filed_in:.0f} s; their deadlines fell")
    print(f"    due over {spread:.0f} s of real time (clocks moved {lead:.0f} s before them)")
    print(f"{'what':58} {'seconds':>8}")
    print(
        f"{'every escalation recorded, from the first deadline due':58} "
        f"{recorded_at - first_due:8.1f}"
    )
    print(f"{f'every escalation e-mail ({sent}) in the mail sink':58} {last_mail - first_due:8.1f}")
    print(f"    worker memory during the storm: peak {peak:.0f} MiB resident")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=5_000)
    parser.add_argument("--lead", type=float, default=60)
    args = parser.parse_args()
    asyncio.run(main(args.cases, args.lead))
