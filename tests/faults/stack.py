"""The whole stack as separate processes on a fresh PostgreSQL database, for the fault tests.

Temporal (persisted to a SQLite file, time skipping switched on), the mail sink, the worker
and the API are the ``redress`` commands a deployment runs, configured only through REDRESS_*
variables. The processes reach PostgreSQL through ``Proxy``; the tests read it directly.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest, GetSystemInfoRequest
from temporalio.client import Client
from temporalio.testing import TimeSkipper

from core.settings import Settings
from core.temporal_client import connect
from devserver.temporal import TemporalDevServer
from tests.faults.harness import Proxy, Ready, Service, free_ports, port_open
from tests.temporal_env import TIME_SKIPPING_ARGS, temporal_cli

BIN = Path(sys.executable).parent
REDRESS = str(BIN / "redress")
TASK_QUEUE = "faults"


def _postgres_url() -> URL:
    value = os.environ.get("REDRESS_TEST_POSTGRES_URL")
    if not value:
        raise RuntimeError(
            "the fault tests run on PostgreSQL: run them with `make test-faults` (or under "
            "scripts/test-env run), which sets REDRESS_TEST_POSTGRES_URL"
        )
    return make_url(value)


def _create_database(server: URL) -> URL:
    """A fresh database on the test cluster for this run; its URL."""
    name = f"faults_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.set(database=name)


def _drop_database(server: URL, database: str) -> None:
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    admin.dispose()


@dataclass
class FaultStack:
    """The running processes, the proxy before the database, and what a test talks through."""

    root: Path
    settings: Settings
    env: dict[str, str]
    proxy: Proxy
    temporal: Service
    sink: Service
    worker: Service
    api: Service
    engine: Engine  # straight to PostgreSQL, past the proxy: the tests' own view
    http: httpx.AsyncClient
    client: Client | None = None

    @property
    def services(self) -> list[Service]:
        """In start order."""
        return [self.temporal, self.sink, self.worker, self.api]

    async def temporal_client(self) -> Client:
        """A client with the stack's codec and signed claims (after a Temporal restart too)."""
        if self.client is None:
            self.client = await connect(self.settings)
        return self.client

    async def skipper(self) -> TimeSkipper:
        """Fast-forwards one workflow's virtual clock (its timers fire, nothing else moves)."""
        return TimeSkipper(await self.temporal_client())

    async def ensure_up(self) -> None:
        """Everything running and the database reachable, whatever an earlier test left."""
        self.proxy.restore()
        for service in self.services:
            if not service.running():
                await service.start()

    def redress(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run a ``redress`` command against the stack (blocking: call it in a thread)."""
        return subprocess.run(
            [REDRESS, *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )


async def _temporal_ready(service: Service) -> bool:
    if not port_open(service.ports[0]):
        return False
    try:
        client = await Client.connect(f"127.0.0.1:{service.ports[0]}")
        await client.workflow_service.get_system_info(GetSystemInfoRequest())
    except Exception:
        return False
    return True


def _http_ready(url: str) -> Ready:
    async def ready(service: Service) -> bool:
        try:
            async with httpx.AsyncClient(timeout=3) as http:
                return (await http.get(url)).status_code == 200
        except httpx.HTTPError:
            return False

    return ready


def _worker_ready(stack_settings: Settings) -> Ready:
    """Ready once Temporal lists this very process among the task queue's pollers."""

    async def ready(service: Service) -> bool:
        try:
            client = await Client.connect(stack_settings.temporal_address)
            response = await client.workflow_service.describe_task_queue(
                DescribeTaskQueueRequest(
                    namespace="default",
                    task_queue=TaskQueue(name=TASK_QUEUE),
                    task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
                )
            )
        except Exception:
            return False
        return any(p.identity.startswith(f"{service.pid}@") for p in response.pollers)

    return ready


@asynccontextmanager
async def fault_stack(root: Path) -> AsyncIterator[FaultStack]:
    """Start everything on a fresh database; stop it all and drop the database afterwards."""
    server = _postgres_url()
    database = await asyncio.to_thread(_create_database, server)
    proxy = Proxy(database.host or "localhost", database.port or 5432)
    proxy.start()
    t_port, smtp_port, web_port, api_port = free_ports(4)
    proxied = database.set(host="127.0.0.1", port=proxy.port)
    values = {
        "DATABASE_URL": proxied.render_as_string(hide_password=False),
        "TEMPORAL_ADDRESS": f"127.0.0.1:{t_port}",
        "TASK_QUEUE": TASK_QUEUE,
        "DATA_DIR": str(root / "data"),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "MAIL_WEB_PORT": str(web_port),
        "API_HOST": "127.0.0.1",
        "API_PORT": str(api_port),
        "PUBLIC_URL": f"http://127.0.0.1:{api_port}",
        "LOCAL_MODE": "true",
        "DEMO_ACCOUNTS": "true",
        "REQUIRE_MFA": "false",
        "SECRET_KEY": "fault-tests-secret-key-0123456789",
        "COMPLAINT_RATE_PER_HOUR": "1000000",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDRESS_")}
    env.update({f"REDRESS_{k}": v for k, v in values.items()}, PYTHONUNBUFFERED="1")
    settings = Settings(**{k.lower(): v for k, v in values.items()})  # type: ignore[arg-type]
    logs = root / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    dev = TemporalDevServer(
        data_dir=root / "temporal",
        address=settings.temporal_address,
        ui_port=None,
        extra_args=TIME_SKIPPING_ARGS,
    )
    dev.data_dir.mkdir(parents=True, exist_ok=True)

    def service(name: str, argv: list[str], ready: Ready, ports: list[int]) -> Service:
        return Service(name, argv, env=env, log_path=logs / f"{name}.log", ready=ready, ports=ports)

    stack = FaultStack(
        root=root,
        settings=settings,
        env=env,
        proxy=proxy,
        temporal=service("temporal", dev.command(Path(temporal_cli())), _temporal_ready, [t_port]),
        sink=service(
            "mail-sink",
            [REDRESS, "mail-sink"],
            _http_ready(f"http://127.0.0.1:{web_port}/api/messages"),
            [smtp_port, web_port],
        ),
        worker=service("worker", [REDRESS, "worker"], _worker_ready(settings), []),
        api=service(
            "api", [REDRESS, "api"], _http_ready(f"http://127.0.0.1:{api_port}/healthz"), [api_port]
        ),
        engine=create_engine(database, pool_pre_ping=True),
        http=httpx.AsyncClient(base_url=settings.public_url, timeout=60),
    )
    try:
        await stack.temporal.start()
        seeded = await asyncio.to_thread(stack.redress, "seed-demo")
        assert seeded.returncode == 0, seeded.stderr
        for part in (stack.sink, stack.worker, stack.api):
            await part.start()
        yield stack
    finally:
        await stack.http.aclose()
        for part in reversed(stack.services):
            if part.running():
                with suppress(AssertionError):
                    await part.terminate(40)
            if part.running():
                await part.kill()
        stack.engine.dispose()
        proxy.close()
        await asyncio.to_thread(_drop_database, server, database.database or "")
