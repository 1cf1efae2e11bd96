"""The one-command local stack: Temporal, mail sink, schema and demo data, worker, API."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.lifecycle import STOP_TIMEOUT, cancel, stop_on_signals, wait_for_signal
from devserver.mailsink import MailSink
from devserver.temporal import TemporalDevServer, split_address
from devserver.web import WebServer

if TYPE_CHECKING:
    from starlette.types import ASGIApp

    from core.settings import Settings

log = logging.getLogger(__name__)

DEMO_ACCOUNTS = "secretariat, chair, committee, mediator, company, union, admin — password: demo"


def with_data_dir_database(settings: Settings) -> Settings:
    """Unless REDRESS_DATABASE_URL is set, keep the SQLite read model in the data dir."""
    if "database_url" in settings.model_fields_set:
        return settings
    url = f"sqlite:///{(Path(settings.data_dir) / 'redress.db').as_posix()}"
    return settings.model_copy(update={"database_url": url})


def local_settings(settings: Settings) -> Settings:
    """The settings every part of the local stack gets: local mode with demo accounts."""
    update: dict[str, Any] = {"local_mode": True, "demo_accounts": True}
    if settings.mail_sink_url is None:
        update["mail_sink_url"] = f"http://127.0.0.1:{settings.mail_web_port}"
    if settings.temporal_ui_origin is None:
        update["temporal_ui_origin"] = f"http://127.0.0.1:{temporal_ui_port(settings)}"
    return with_data_dir_database(settings).model_copy(update=update)


async def prepare_database(settings: Settings) -> None:
    """Prepare the read model (migrations, covenants) once, then add the (idempotent) demo
    data; off the event loop."""
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    from store.db import prepare

    await asyncio.to_thread(prepare, settings)
    from store.seed import seed_demo

    await asyncio.to_thread(seed_demo, settings)


def temporal_ui_port(settings: Settings) -> int:
    """Temporal's own convention: the UI on the gRPC port + 1000 (7233 -> 8233)."""
    _, port = split_address(settings.temporal_address)
    return port + 1000


def _shown_host(host: str) -> str:
    return "127.0.0.1" if host in ("", "0.0.0.0", "::") else host


def banner(settings: Settings, temporal: TemporalDevServer, sink: MailSink) -> str:
    """Where to open everything, and how to sign in."""
    api = f"http://{_shown_host(settings.api_host)}:{settings.api_port}"
    lines = [
        f"Redress is running in local mode (data in {settings.data_dir}/):",
        f"  Web pages    {api}   (complaint form, tracking, sign-in: {api}/login)",
        f"  API          {api}/api/v1   (docs: {api}/docs)",
        f"  Mail sink    {sink.web_url}   (SMTP {sink.smtp_host}:{sink.smtp_port})",
        f"  Temporal UI  {temporal.ui_url}   (gRPC {temporal.address})",
        f"Demo accounts: {DEMO_ACCOUNTS}",
        "Press Ctrl-C to stop.",
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class Parts:
    """What the stack runs besides Temporal and the mail sink, given by the entry point
    (``redress.cli``), so that this package imports neither the web app nor the worker."""

    app: Callable[[Settings], ASGIApp]
    worker: Callable[[Settings], Coroutine[Any, Any, None]]


async def _start_services(
    settings: Settings, parts: Parts, services: contextlib.AsyncExitStack
) -> tuple[str, list[asyncio.Task[Any]]]:
    """Start everything in order; each stop is registered so a failure unwinds the rest."""
    temporal = TemporalDevServer(
        data_dir=Path(settings.data_dir),
        address=settings.temporal_address,
        namespace=settings.temporal_namespace,
        ui_port=temporal_ui_port(settings),
        # The UI decrypts payloads through the API, for signed-in staff (api/routes/codec.py).
        extra_args=["--ui-codec-endpoint", f"{settings.public_url.rstrip('/')}/codec"],
    )
    print(
        f"Starting Temporal dev server on {temporal.address} (log: {temporal.log_path}) …",
        flush=True,
    )
    await temporal.start()
    services.push_async_callback(asyncio.to_thread, temporal.stop)

    sink = MailSink.from_settings(settings)
    await sink.start()
    services.push_async_callback(sink.stop)

    print("Preparing the read model and demo data …", flush=True)
    await prepare_database(settings)

    worker = asyncio.create_task(parts.worker(settings), name="worker")
    services.push_async_callback(cancel, worker, STOP_TIMEOUT)

    api = WebServer(
        parts.app(settings),
        host=settings.api_host,
        port=settings.api_port,
        name="API",
        log_level="info",
        access_log=True,
    )
    await api.start(timeout=60)
    services.push_async_callback(api.stop)
    assert api.task is not None
    return banner(settings, temporal, sink), [worker, api.task]


def _raise_if_crashed(tasks: list[asyncio.Task[Any]]) -> None:
    """A worker or API that ends on its own takes the stack down, loudly."""
    for task in tasks:
        error = None if task.cancelled() else task.exception()
        log.error("the %s stopped unexpectedly", task.get_name(), exc_info=error)
        raise RuntimeError(f"the {task.get_name()} stopped unexpectedly: {error!r}") from error


async def run_stack(settings: Settings, parts: Parts) -> None:
    """Run the whole local stack until SIGINT/SIGTERM, then stop all it started."""
    settings = local_settings(settings)
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    stop = asyncio.Event()
    with stop_on_signals(stop):
        async with contextlib.AsyncExitStack() as services:
            stopper = asyncio.create_task(stop.wait(), name="stop signal")
            services.callback(stopper.cancel)
            startup = asyncio.create_task(
                _start_services(settings, parts, services), name="startup"
            )
            await asyncio.wait({startup, stopper}, return_when=asyncio.FIRST_COMPLETED)
            if not startup.done():  # interrupted while starting: unwind what is up
                await cancel(startup, 5)
            else:
                text, running = startup.result()
                print(text, flush=True)
                done, _ = await asyncio.wait(
                    {stopper, *running}, return_when=asyncio.FIRST_COMPLETED
                )
                _raise_if_crashed([t for t in done if t is not stopper])
    print("Stopped.", flush=True)


async def run_mail_sink(settings: Settings) -> None:
    """The mail sink alone, until SIGINT/SIGTERM."""
    sink = MailSink.from_settings(settings)
    await sink.start()
    try:
        print(
            f"Mail sink: SMTP {sink.smtp_host}:{sink.smtp_port}, web {sink.web_url}, "
            f"messages in {sink.store.directory}. Ctrl-C to stop.",
            flush=True,
        )
        await wait_for_signal()
    finally:
        await sink.stop()
