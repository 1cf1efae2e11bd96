"""The composition root: wires activities with their dependencies into a Temporal worker."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Engine
from temporalio.client import Client
from temporalio.worker import Worker

from activities.calendar import compute_schedule
from activities.notify import NotifyActivities
from activities.records import RecordActivities
from core.claims import ClaimChecker, claim_key
from core.settings import Settings
from core.temporal_client import connect
from notifications.mailer import Mailer, SmtpMailer
from store.db import engine_from_settings
from workflows.case import CaseWorkflow
from workflows.notice_retry import NoticeRetryWorkflow


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
        interceptors=[ClaimChecker(claim_key(settings.secret_key))],
    )


async def run_worker(settings: Settings) -> None:
    """Connect and run the worker until cancelled (never on the default key outside local
    mode)."""
    settings.refuse_unsafe()
    client = await connect(settings)
    engine = engine_from_settings(settings)
    worker = build_worker(client, settings, engine, SmtpMailer.from_settings(settings))
    await worker.run()
