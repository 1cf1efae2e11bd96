"""The one-command local stack: Temporal, the mail sink, the worker and the API, each an OS
process of its own, on a read model (schema and demo data) prepared once beforehand."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.lifecycle import STOP_TIMEOUT, wait_for_signal
from devserver.mailsink import MailSink
from devserver.processes import (
    Child,
    PartDied,
    child_environment,
    describe_exit,
    stop_on_signals,
    tail_of,
)
from devserver.readiness import all_answer, answers, answers_http
from devserver.sms_gateway import FakeSmsGateway, local_sms_settings, runs_fake
from devserver.temporal import TemporalDevServer, split_address

if TYPE_CHECKING:
    from core.settings import Settings

log = logging.getLogger(__name__)

DEMO_ACCOUNTS = "secretariat, chair, committee, mediator, company, union, admin — password: demo"
LOCAL_REPLY_DOMAIN = "reply.redress.localhost"
START_TIMEOUT = 90.0  # seconds each part gets to be ready (a cold start on a busy machine)


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
    update |= local_sms_settings(settings)  # texts go to the fake SMS gateway
    if not settings.reply_domain:  # notices carry a Reply-To that the local receiver takes
        update["reply_domain"] = LOCAL_REPLY_DOMAIN
    if "inbound_smtp_port" not in settings.model_fields_set:
        update["inbound_smtp_port"] = settings.smtp_port + 1500  # 1025 -> 2525
    if "intake_trust_local" not in settings.model_fields_set:
        # No MTA in front checks DKIM/SPF: the intake's senders count as verified, so their
        # receipts reach the sink (REDRESS_INTAKE_TRUST_LOCAL=0 tries the unverified path).
        update["intake_trust_local"] = True
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


@dataclass(frozen=True)
class Parts:
    """The commands that run the API, the worker and the mail sink, each until SIGTERM, with
    the settings from REDRESS_* variables. The entry point (``redress.cli``) gives them, so
    that this package imports neither the web app nor the worker."""

    api: Sequence[str]
    worker: Sequence[str]
    mail_sink: Sequence[str]
    # The inbound SMTP receiver of replies by e-mail (`redress receive-mail`); empty: none.
    mail_receiver: Sequence[str] = ()
    api_grace: float = 30.0  # seconds the API may take to answer requests in flight on SIGTERM
    api_probe: str = "/healthz"  # any HTTP answer here means the API serves


class LocalStack:
    """Temporal and the three parts: started in order, watched, stopped in reverse."""

    def __init__(self, settings: Settings, parts: Parts) -> None:
        self.settings = settings
        self.parts = parts
        data_dir = Path(settings.data_dir)
        self.logs = data_dir / "logs"
        self.temporal = TemporalDevServer(
            data_dir=data_dir,
            address=settings.temporal_address,
            namespace=settings.temporal_namespace,
            ui_port=temporal_ui_port(settings),
            # The UI decrypts payloads through the API, for signed-in staff (api/routes/codec.py).
            extra_args=["--ui-codec-endpoint", f"{settings.public_url.rstrip('/')}/codec"],
        )
        env = child_environment(settings)

        def child(name: str, argv: Sequence[str], stop_timeout: float) -> Child:
            log_path = self.logs / f"{name}.log"
            return Child(name, argv, env=env, log_path=log_path, stop_timeout=stop_timeout)

        self.sink = child("mail-sink", parts.mail_sink, 10)
        self.worker = child("worker", parts.worker, STOP_TIMEOUT + 10)
        self.api = child("api", parts.api, parts.api_grace + 10)
        receiver = parts.mail_receiver
        self.receiver = child("mail-receiver", receiver, 10) if receiver else None
        self.temporal_up = False

    @property
    def children(self) -> list[Child]:
        """The parts in start order."""
        return [self.sink, self.worker, self.api, *([self.receiver] if self.receiver else [])]

    @property
    def api_url(self) -> str:
        """Where the API and the pages answer."""
        return f"http://{_shown_host(self.settings.api_host)}:{self.settings.api_port}"

    async def start(self) -> None:
        """Temporal, the read model and the mail sink at once; then the worker and the API."""
        await self._check_ports()
        print(
            f"Starting Temporal dev server on {self.temporal.address} "
            f"(log: {self.temporal.log_path}), preparing the read model and demo data …",
            flush=True,
        )
        await _all(self._start_temporal(), prepare_database(self.settings), self._start_sink())
        print("Starting the worker and the API …", flush=True)
        self.worker.start()
        self.api.start()
        if self.receiver is not None:  # it acts through Temporal and the read model, both up
            self.receiver.start()
        await _all(self._until_worker_polls(), self._until_api_answers(), self._until_receives())

    async def _check_ports(self) -> None:
        """Each part on a port of its own, and none taken already: refused before starting."""
        settings = self.settings
        ports = {
            "API (REDRESS_API_PORT)": (settings.api_host, settings.api_port),
            "SMTP sink (REDRESS_SMTP_PORT)": (settings.smtp_host, settings.smtp_port),
            "mail web view (REDRESS_MAIL_WEB_PORT)": ("127.0.0.1", settings.mail_web_port),
            **(
                {
                    "reply receiver (REDRESS_INBOUND_SMTP_PORT)": (
                        settings.inbound_smtp_host,
                        settings.inbound_smtp_port,
                    )
                }
                if self.receiver is not None
                else {}
            ),
            "fake SMS gateway (REDRESS_SMS_WEB_PORT)": ("127.0.0.1", settings.sms_web_port),
            "Temporal (REDRESS_TEMPORAL_ADDRESS)": (self.temporal.host, self.temporal.port),
            "Temporal UI (Temporal's port + 1000)": (
                self.temporal.host,
                temporal_ui_port(settings),
            ),
        }
        seen: dict[int, str] = {}
        for what, (_, port) in ports.items():
            if port in seen:
                raise RuntimeError(f"the {seen[port]} and the {what} would both use port {port}")
            seen[port] = what
        for what, (host, port) in ports.items():
            if await answers(_shown_host(host), port):
                raise RuntimeError(
                    f"something already listens on {host}:{port}, meant for the {what}; is "
                    "another `redress run` still running? Stop it or choose other ports."
                )

    async def _start_temporal(self) -> None:
        await self.temporal.start()
        self.temporal_up = True  # from now on, ``died`` watches it (start reports its own end)

    async def _start_sink(self) -> None:
        self.sink.start()
        smtp = (_shown_host(self.settings.smtp_host), self.settings.smtp_port)
        web = ("127.0.0.1", self.settings.mail_web_port)
        texts = [("127.0.0.1", self.settings.sms_web_port)] if runs_fake(self.settings) else []
        await self._until(self.sink, lambda: all_answer([smtp, web, *texts]))

    async def _until_receives(self) -> None:
        if self.receiver is not None:
            where = (_shown_host(self.settings.inbound_smtp_host), self.settings.inbound_smtp_port)
            await self._until(self.receiver, lambda: all_answer([where]))

    async def _until_api_answers(self) -> None:
        host = _shown_host(self.settings.api_host)
        port, path = self.settings.api_port, self.parts.api_probe
        await self._until(self.api, lambda: answers_http(host, port, path))

    async def _until_worker_polls(self) -> None:
        """Ready once Temporal lists this very process among the task queue's pollers."""
        from temporalio.api.enums.v1 import TaskQueueType
        from temporalio.api.taskqueue.v1 import TaskQueue
        from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
        from temporalio.client import Client
        from temporalio.service import RPCError

        client = await Client.connect(
            self.temporal.address, namespace=self.settings.temporal_namespace
        )
        request = DescribeTaskQueueRequest(
            namespace=self.settings.temporal_namespace,
            task_queue=TaskQueue(name=self.settings.task_queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        )

        async def polls() -> bool:
            try:
                answer = await client.workflow_service.describe_task_queue(request)
            except RPCError:
                return False
            return any(p.identity.startswith(f"{self.worker.pid}@") for p in answer.pollers)

        await self._until(self.worker, polls)

    async def _until(self, child: Child, ready: Callable[[], Awaitable[bool]]) -> None:
        """Wait until ``ready()`` is true; a child that ends meanwhile raises ``PartDied``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT
        while not await ready():
            if child.returncode is not None:
                raise PartDied(await child.obituary())
            if loop.time() > deadline:
                raise RuntimeError(
                    f"the {child.name} was not ready within {START_TIMEOUT:.0f} s; "
                    f"see {child.log_path}"
                )
            await asyncio.sleep(0.2)

    async def died(self) -> str:
        """Wait until a part or Temporal ends on its own; what to say about it."""
        while True:
            for child in self.children:
                if child.returncode is not None:
                    return await child.obituary()
            if self.temporal_up and not self.temporal.is_running():
                pid = self.temporal.pid
                code = await asyncio.to_thread(self.temporal.stop)
                how = describe_exit(code) if code is not None else "ended"
                lines = "\n".join(f"  {line}" for line in tail_of(self.temporal.log_path))
                return (
                    f"the Temporal dev server (pid {pid}) stopped unexpectedly ({how}); "
                    f"its last lines (all of them in {self.temporal.log_path}):\n{lines}"
                )
            await asyncio.sleep(0.2)

    async def stop(self, force: asyncio.Event) -> None:
        """The API first (no new work), then the worker, the mail sink, Temporal."""
        for child in reversed(self.children):
            await child.stop(force)
        await asyncio.to_thread(self.temporal.stop)

    def banner(self) -> str:
        """Where to open everything, how to sign in, which process is which."""
        settings, api, temporal = self.settings, self.api_url, self.temporal
        smtp = f"{settings.smtp_host}:{settings.smtp_port}"
        processes = settings.api_processes
        serving = f"{processes} processes" if processes > 1 else "1 process"
        pids = ", ".join(f"{c.name} {c.pid}" for c in (self.api, self.worker, self.sink))
        lines = [
            f"Redress is running in local mode (data in {settings.data_dir}/):",
            f"  Web pages    {api}   (complaint form, tracking, sign-in: {api}/login)",
            f"  API          {api}/api/v1   (docs: {api}/docs; served by {serving})",
            f"  Mail sink    http://127.0.0.1:{settings.mail_web_port}   (SMTP {smtp})",
            *(
                [
                    f"  SMS gateway  http://127.0.0.1:{settings.sms_web_port}   (fake Twilio: "
                    "the texts sent; answer one as a complainant)"
                ]
                if runs_fake(settings)
                else []
            ),
            *(
                [
                    f"  Replies      SMTP {_shown_host(settings.inbound_smtp_host)}:"
                    f"{settings.inbound_smtp_port}   (pid {self.receiver.pid}: send the answer "
                    f"to a notice's Reply-To, reply+…@{settings.reply_domain}, here)"
                ]
                if self.receiver is not None
                else []
            ),
            f"  Temporal UI  {temporal.ui_url}   (gRPC {temporal.address})",
            f"Processes: {pids}, temporal {temporal.pid}. Their output is shown here after "
            f"their name and kept in {self.logs}/ (Temporal's in {temporal.log_path}).",
            f"Demo accounts: {DEMO_ACCOUNTS}",
            "Press Ctrl-C to stop.",
        ]
        return "\n".join(lines)


async def _all(*work: Coroutine[Any, Any, None]) -> None:
    """Run concurrently; the first failure cancels the rest and is raised as it is."""
    tasks = [asyncio.ensure_future(w) for w in work]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            error = task.exception()
            if error is not None:
                raise error
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def run_stack(settings: Settings, parts: Parts) -> None:
    """Run the whole local stack until SIGINT/SIGTERM, then stop all it started; a part that
    ends on its own stops the rest and raises ``PartDied`` naming it."""
    settings = local_settings(settings)
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    stop, force = asyncio.Event(), asyncio.Event()
    stack = LocalStack(settings, parts)
    died: str | None = None
    with stop_on_signals(stop, force):
        startup = asyncio.create_task(stack.start(), name="startup")
        dying = asyncio.create_task(stack.died(), name="watch")
        stopping = asyncio.create_task(stop.wait(), name="stop signal")
        try:
            await asyncio.wait({startup, dying, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if startup.done() and not startup.cancelled() and startup.exception() is None:
                print(stack.banner(), flush=True)
                await asyncio.wait({dying, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if dying.done():
                died = dying.result()
            elif startup.done():
                startup.result()  # a part that could not start: raised, after the stop below
        finally:
            for task in (startup, dying, stopping):
                task.cancel()
            await asyncio.gather(startup, dying, stopping, return_exceptions=True)
            if died is not None:
                print(f"\nStopping everything: {died.splitlines()[0]}", flush=True)
            await stack.stop(force)
    if died is not None:
        raise PartDied(died)
    print("Stopped.", flush=True)


async def run_mail_sink(settings: Settings) -> None:
    """The mail sink alone (with the fake SMS gateway when texts go to it), until
    SIGINT/SIGTERM."""
    sink = MailSink.from_settings(settings)
    await sink.start()
    texts = FakeSmsGateway.from_settings(settings) if runs_fake(settings) else None
    try:
        if texts is not None:
            await texts.start()
        print(
            f"Mail sink: SMTP {sink.smtp_host}:{sink.smtp_port}, web {sink.web_url}, "
            f"messages in {sink.store.directory}. Ctrl-C to stop.",
            flush=True,
        )
        await wait_for_signal()
    finally:
        if texts is not None:
            await texts.stop()
        await sink.stop()
