"""The composition root: wires activities with their dependencies into a Temporal worker."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine
from temporalio.client import Client
from temporalio.worker import Worker

from activities.calendar import compute_schedule
from activities.notify import NotifyActivities
from activities.records import RecordActivities
from activities.retry_log import RetryLog
from core.claims import ClaimChecker, claim_key
from core.settings import Settings
from core.temporal_client import connect
from notifications.mailer import Mailer, SmtpMailer
from store.db import engine_from_settings
from workflows.case import CaseWorkflow
from workflows.notice_retry import NoticeRetryWorkflow

# Asked to stop, the worker takes no new tasks and gives its running activities this long
# to finish (a send holds an SMTP conversation); under core.lifecycle.STOP_TIMEOUT, after
# which the process is cancelled. An activity cut short is retried by another worker.
GRACEFUL_SHUTDOWN = timedelta(seconds=10)


def activities(engine: Engine, mailer: Mailer, settings: Settings) -> Sequence[Any]:
    """Every activity of the case workflow, bound to its dependencies."""
    records = RecordActivities(engine)
    return [
        compute_schedule,
        records.project_case,
        records.copy_intake,
        records.park_notice,
        NotifyActivities(engine, mailer, settings).send_notice,
    ]


def build_worker(client: Client, settings: Settings, engine: Engine, mailer: Mailer) -> Worker:
    """A worker for the case task queue."""
    return Worker(
        client,
        task_queue=settings.task_queue,
        workflows=[CaseWorkflow, NoticeRetryWorkflow],
        activities=activities(engine, mailer, settings),
        activity_executor=ThreadPoolExecutor(max_workers=8),
        interceptors=[ClaimChecker(claim_key(settings.secret_key)), RetryLog()],
        graceful_shutdown_timeout=GRACEFUL_SHUTDOWN,
    )


async def run_worker(settings: Settings) -> None:
    """Connect and run the worker until cancelled (never on the default key outside local
    mode)."""
    settings.refuse_unsafe()
    client = await connect(settings)
    engine = engine_from_settings(settings)
    worker = build_worker(client, settings, engine, SmtpMailer.from_settings(settings))
    running = asyncio.create_task(worker.run())
    try:
        await asyncio.shield(running)
    except asyncio.CancelledError:
        # Cancelled (SIGTERM): an explicit shutdown lets running activities finish within
        # GRACEFUL_SHUTDOWN instead of cancelling them along with the poll loops.
        await worker.shutdown()
        raise
    finally:
        engine.dispose()
