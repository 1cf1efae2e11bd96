"""The engine the benchmarks measure: a dev server and the real worker on a scratch database."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from bench.bare import BareWorkflow
from core.settings import Settings
from notifications.mailer import RecordingMailer
from redress.worker import activities
from store.db import create_schema, make_engine
from tests.temporal_env import temporal_cli
from workflows.case import CaseWorkflow
from workflows.notice_retry import NoticeRetryWorkflow


@asynccontextmanager
async def bench_engine(queue: str) -> AsyncIterator[Client]:
    """A client of a running dev server with the case and baseline workflows on ``queue``."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        create_schema(engine)
        settings = Settings(data_dir=Path(tmp), task_queue=queue)
        env = await WorkflowEnvironment.start_local(
            dev_server_existing_path=temporal_cli(), data_converter=pydantic_data_converter
        )
        async with env:
            worker = Worker(
                env.client,
                task_queue=queue,
                workflows=[CaseWorkflow, NoticeRetryWorkflow, BareWorkflow],
                activities=activities(engine, RecordingMailer(), settings),
            )
            async with worker:
                yield env.client
