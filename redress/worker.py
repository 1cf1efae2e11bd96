"""The composition root: wires activities with their dependencies into a Temporal worker."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any
from wsgiref.simple_server import WSGIServer

from prometheus_client import start_http_server
from sqlalchemy import Engine
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.worker import Worker

from activities.calendar import compute_schedule
from activities.draft_receipts import DraftReceiptActivities
from activities.notify import NotifyActivities
from activities.records import RecordActivities
from activities.retention import RetentionActivities
from activities.retry_log import RetryLog
from core.claims import ClaimChecker, claim_key
from core.log_context import CaseActivityContext
from core.settings import Settings
from core.temporal_client import connect
from core.tracing import tracing_from_settings
from notifications.mailer import Mailer, SmtpMailer
from services.retention import scrub_register
from store.db import engine_from_settings
from workflows.case import CaseWorkflow
from workflows.draft_receipt import DraftReceiptWorkflow
from workflows.notice_retry import NoticeRetryWorkflow
from workflows.retention import RETENTION_WORKFLOW_ID, RetentionPlan, RetentionWorkflow

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
        DraftReceiptActivities(engine, mailer, settings).send_draft_receipt,
        RetentionActivities(engine, settings.data_dir, scrub_register).sweep_retention,
    ]


def build_worker(client: Client, settings: Settings, engine: Engine, mailer: Mailer) -> Worker:
    """A worker for the case task queue. Each activity logs with its case's reference;
    tracing, when on, comes with the client (``core.temporal_client.interceptors``)."""
    return Worker(
        client,
        task_queue=settings.task_queue,
        workflows=[CaseWorkflow, NoticeRetryWorkflow, RetentionWorkflow, DraftReceiptWorkflow],
        activities=activities(engine, mailer, settings),
        activity_executor=ThreadPoolExecutor(max_workers=8),
        interceptors=[
            CaseActivityContext(),  # outermost: the retry log's lines carry the case too
            ClaimChecker(claim_key(settings.secret_key)),
            RetryLog(),
        ],
        graceful_shutdown_timeout=GRACEFUL_SHUTDOWN,
    )


def metrics_runtime(settings: Settings) -> Runtime | None:
    """A Temporal runtime exporting the SDK's metrics in Prometheus format at
    ``REDRESS_WORKER_METRICS_ADDRESS`` ("host:port"), or None (the SDK's default) when unset."""
    if not settings.worker_metrics_address:
        return None
    return Runtime(
        telemetry=TelemetryConfig(
            metrics=PrometheusConfig(
                bind_address=settings.worker_metrics_address,
                counters_total_suffix=True,
                durations_as_seconds=True,
            )
        )
    )


def serve_app_metrics(address: str) -> WSGIServer:
    """Serve prometheus-client's default registry (the activity counters of
    ``activities.retry_log``) at ``address`` ("host:port") from a daemon thread; the server,
    to shut down."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"REDRESS_WORKER_APP_METRICS_ADDRESS must be host:port, not {address!r}")
    server, _ = start_http_server(int(port), addr=host.strip("[]"))
    return server


async def ensure_retention(client: Client, settings: Settings) -> None:
    """Start the daily retention sweep unless it runs already (every worker asks at start)."""
    await client.start_workflow(
        RetentionWorkflow.run,
        RetentionPlan(),
        id=RETENTION_WORKFLOW_ID,
        task_queue=settings.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )


async def run_worker(settings: Settings) -> None:
    """Connect and run the worker until cancelled (never on the default key outside local
    mode)."""
    settings.refuse_unsafe()
    # The runtime must exist before the client: the client's connection is bound to it.
    client = await connect(settings, runtime=metrics_runtime(settings))
    if settings.worker_app_metrics_address:
        serve_app_metrics(settings.worker_app_metrics_address)
    engine = engine_from_settings(settings)
    worker = build_worker(client, settings, engine, SmtpMailer.from_settings(settings))
    await ensure_retention(client, settings)
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
        tracing = tracing_from_settings(settings)
        if tracing is not None:
            # `redress worker` leaves with os._exit (no atexit): send the last batch now.
            await asyncio.to_thread(tracing.flush)
