"""Checking and rebuilding the read model of many cases: cases per second, against a dev
server and the real worker on a scratch SQLite database.

A tenth of the cases are terminated first: a closed workflow answers its state query by
replaying its history on the worker, the costly kind of query.
Usage: ``python -m bench.consistency [--cases N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.records import project
from bench.bare import bench_case
from core.settings import Settings
from notifications.mailer import RecordingMailer
from redress.worker import activities
from services.consistency import check_consistency, rebuild_read_model
from store.covenants import load_covenant_files
from store.db import create_schema, make_engine
from tests.temporal_env import temporal_cli
from workflows.case import CaseWorkflow
from workflows.notice_retry import NoticeRetryWorkflow

QUEUE = "bench-consistency"
FILING_AT_ONCE = 50


@dataclass
class Engines:
    """The read model and the client of the running dev server."""

    engine: Engine
    client: Client


@asynccontextmanager
async def running(tmp: Path) -> AsyncIterator[Engines]:
    """A dev server and a worker of the case workflows on a scratch database."""
    engine = make_engine(f"sqlite:///{tmp / 'bench.db'}")
    create_schema(engine)
    settings = Settings(data_dir=tmp, task_queue=QUEUE)
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_cli(), data_converter=pydantic_data_converter, ui=False
    )
    async with env:
        worker = Worker(
            env.client,
            task_queue=QUEUE,
            workflows=[CaseWorkflow, NoticeRetryWorkflow],
            activities=activities(engine, RecordingMailer(), settings),
        )
        async with worker:
            yield Engines(engine, env.client)


async def file_cases(client: Client, count: int) -> list[str]:
    """Start ``count`` cases, ``FILING_AT_ONCE`` at a time, each projected before it counts."""
    covenant = next(c for c in load_covenant_files() if c.slug == "garments-textile")
    references: list[str] = []

    async def file() -> str:
        start = bench_case(covenant)
        handle = await client.start_workflow(
            CaseWorkflow.run, start, id=f"case-{start.reference}", task_queue=QUEUE
        )
        await handle.execute_update(CaseWorkflow.synced)
        return start.reference

    while len(references) < count:
        batch = min(FILING_AT_ONCE, count - len(references))
        references += await asyncio.gather(*(file() for _ in range(batch)))
    return references


async def main(count: int) -> None:
    """File the cases, close a tenth, then time a check, a dry rebuild and a rebuild."""
    with tempfile.TemporaryDirectory() as tmp:
        async with running(Path(tmp)) as parts:
            began = time.perf_counter()
            references = await file_cases(parts.client, count)
            filed = time.perf_counter() - began
            for reference in references[: count // 10]:
                await parts.client.get_workflow_handle(f"case-{reference}").terminate()
            engine, client = parts.engine, parts.client
            figures = []
            began = time.perf_counter()
            report = await check_consistency(
                engine=engine, client=client, task_queue=QUEUE, settle=0
            )
            figures.append(("check-consistency", time.perf_counter() - began))
            assert report.cases == count, report.cases
            began = time.perf_counter()
            await rebuild_read_model(
                engine=engine, client=client, task_queue=QUEUE, project=project, dry_run=True
            )
            figures.append(("rebuild-read-model --dry-run", time.perf_counter() - began))
            began = time.perf_counter()
            rebuilt = await rebuild_read_model(
                engine=engine, client=client, task_queue=QUEUE, project=project
            )
            figures.append(("rebuild-read-model", time.perf_counter() - began))
            assert rebuilt.written == count, rebuilt.written
    print(f"{count} cases ({count // 10} closed), filed in {filed:.1f} s; 2 cores")
    print(
        f"differences found: {len(report.differences)}, left after the rebuild: "
        f"{len(rebuilt.remaining)}"
    )
    print(f"{'what':30} {'seconds':>8} {'cases/s':>8}")
    for name, seconds in figures:
        print(f"{name:30} {seconds:8.1f} {count / seconds:8.0f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=2000)
    asyncio.run(main(parser.parse_args().cases))
