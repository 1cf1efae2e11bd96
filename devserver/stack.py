"""The one-command local stack: Temporal, mail sink, schema and demo data, worker, API."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devserver.mailsink import MailSink
from devserver.temporal import TemporalDevServer, split_address
from devserver.web import WebServer

if TYPE_CHECKING:
    from core.settings import Settings

log = logging.getLogger(__name__)

DEMO_ACCOUNTS = "secretariat, chair, committee, mediator, company, union, admin — password: demo"
WORKER_STOP_TIMEOUT = 15.0


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


@contextlib.contextmanager
def stop_on_signals(stop: asyncio.Event) -> Iterator[None]:
    """SIGINT/SIGTERM set ``stop``; a second one restores the default (hard) behaviour."""
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)

    def handle(sig: signal.Signals) -> None:
        if not stop.is_set():
            print(f"\n{sig.name}: stopping (again to force) …", flush=True)
            stop.set()
            return
        for s in signals:
            loop.remove_signal_handler(s)
        signal.raise_signal(sig)

    for sig in signals:
        loop.add_signal_handler(sig, handle, sig)
    try:
        yield
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)


async def prepare_database(settings: Settings) -> None:
    """Prepare the read model (migrations, covenants) once, then add the (idempotent) demo
    data; off the event loop."""
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    from store.db import prepare

    await asyncio.to_thread(prepare, settings)
    from store.seed import seed_demo

    await asyncio.to_thread(seed_demo, settings)


async def _cancel(task: asyncio.Task[Any], timeout: float) -> None:
    """Cancel a task and wait (bounded) for it; a task that already ended is left alone."""
    if task.done():
        return
    task.cancel()
    try:
        await asyncio.wait_for(task, timeout)
    except (asyncio.CancelledError, TimeoutError):
        pass
    except Exception:
        log.warning("the %s failed while stopping", task.get_name(), exc_info=True)


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


async def _start_services(
    settings: Settings, services: contextlib.AsyncExitStack
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

    from redress.worker import run_worker

    worker = asyncio.create_task(run_worker(settings), name="worker")
    services.push_async_callback(_cancel, worker, WORKER_STOP_TIMEOUT)

    from api.main import create_app

    api = WebServer(
        create_app(settings),
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


async def run_stack(settings: Settings) -> None:
    """Run the whole local stack until SIGINT/SIGTERM, then stop all it started."""
    settings = local_settings(settings)
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    stop = asyncio.Event()
    with stop_on_signals(stop):
        async with contextlib.AsyncExitStack() as services:
            stopper = asyncio.create_task(stop.wait(), name="stop signal")
            services.callback(stopper.cancel)
            startup = asyncio.create_task(_start_services(settings, services), name="startup")
            await asyncio.wait({startup, stopper}, return_when=asyncio.FIRST_COMPLETED)
            if not startup.done():  # interrupted while starting: unwind what is up
                await _cancel(startup, 5)
            else:
                text, running = startup.result()
                print(text, flush=True)
                done, _ = await asyncio.wait(
                    {stopper, *running}, return_when=asyncio.FIRST_COMPLETED
                )
                _raise_if_crashed([t for t in done if t is not stopper])
    print("Stopped.", flush=True)


async def wait_for_signal() -> None:
    """Return on SIGINT or SIGTERM."""
    stop = asyncio.Event()
    with stop_on_signals(stop):
        await stop.wait()


async def run_until_signal(work: Awaitable[Any]) -> None:
    """Run ``work`` until it ends or SIGINT/SIGTERM cancels it."""
    task = asyncio.ensure_future(work)
    waiter = asyncio.ensure_future(wait_for_signal())
    try:
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()
        if not task.done():
            await _cancel(task, WORKER_STOP_TIMEOUT)
    if task.done() and not task.cancelled():
        task.result()


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
