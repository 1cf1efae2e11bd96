"""The stack as a deployment runs it, for the benchmarks: Temporal (persisted to SQLite), the
mail sink, the worker and the API as separate processes, on a scratch read model.

The processes are the ``redress`` commands, configured only by REDRESS_* variables, as in the
fault tests (tests/faults/harness.py).
"""

from __future__ import annotations

import asyncio
import os
import platform
import sqlite3
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from temporalio.client import Client

from core.settings import Settings
from core.temporal_client import connect
from devserver.temporal import TemporalDevServer
from tests.faults.harness import Ready, Service, free_ports
from tests.faults.stack import REDRESS, _http_ready, _temporal_ready, _worker_ready
from tests.temporal_env import TIME_SKIPPING_ARGS, temporal_cli

TASK_QUEUE = "faults"  # the name tests.faults.stack's worker readiness check asks about


def machine() -> str:
    """The machine a benchmark ran on, in one line."""
    model = platform.processor() or platform.machine()
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.release()}"
    )


@dataclass
class BenchStack:
    """The running stack: its settings, environment and processes."""

    settings: Settings
    env: dict[str, str]
    services: list[Service]

    async def client(self) -> Client:
        """A Temporal client of the stack's server (with the stack's payload codec)."""
        return await connect(self.settings)


@asynccontextmanager
async def bench_stack(
    *,
    database_url: str | None = None,
    api_processes: int = 1,
    worker_processes: int = 1,
    time_skipping: bool = False,
) -> AsyncIterator[BenchStack]:
    """Start the stack in a scratch directory; stop every process afterwards."""
    with tempfile.TemporaryDirectory(prefix="redress-bench-") as tmp:
        root = Path(tmp)
        t_port, smtp_port, web_port, api_port = free_ports(4)
        values = {
            "DATABASE_URL": database_url or f"sqlite:///{root / 'redress.db'}",
            "TEMPORAL_ADDRESS": f"127.0.0.1:{t_port}",
            "TASK_QUEUE": TASK_QUEUE,
            "DATA_DIR": str(root / "data"),
            "SMTP_PORT": str(smtp_port),
            "MAIL_WEB_PORT": str(web_port),
            "API_PORT": str(api_port),
            "API_PROCESSES": str(api_processes),
            "PUBLIC_URL": f"http://127.0.0.1:{api_port}",
            "LOCAL_MODE": "true",
            "DEMO_ACCOUNTS": "true",
            "REQUIRE_MFA": "false",
            "SECRET_KEY": "bench-secret-key-0123456789abcdef",
            "COMPLAINT_RATE_PER_HOUR": "100000000",
        }
        env = {k: v for k, v in os.environ.items() if not k.startswith("REDRESS_")}
        env.update({f"REDRESS_{k}": v for k, v in values.items()}, PYTHONUNBUFFERED="1")
        settings = Settings(**{k.lower(): v for k, v in values.items()})  # type: ignore[arg-type]
        logs = root / "logs"
        logs.mkdir()
        dev = TemporalDevServer(
            data_dir=root / "temporal",
            address=settings.temporal_address,
            ui_port=None,
            extra_args=TIME_SKIPPING_ARGS if time_skipping else (),
        )
        dev.data_dir.mkdir()

        def service(name: str, argv: list[str], ready: Ready, ports: list[int]) -> Service:
            return Service(
                name, argv, env=env, log_path=logs / f"{name}.log", ready=ready, ports=ports
            )

        temporal = service("temporal", dev.command(Path(temporal_cli())), _temporal_ready, [t_port])
        services = [temporal]
        try:
            await temporal.start()
            seeded = await asyncio.to_thread(_seed, env)
            assert seeded == 0, "redress seed-demo failed"
            sink = service(
                "mail-sink",
                [REDRESS, "mail-sink"],
                _http_ready(f"http://127.0.0.1:{web_port}/api/messages"),
                [smtp_port, web_port],
            )
            services.append(sink)
            await sink.start()
            for number in range(worker_processes):
                worker = service(
                    f"worker-{number}", [REDRESS, "worker"], _worker_ready(settings), []
                )
                services.append(worker)
                await worker.start()
            api = service(
                "api", [REDRESS, "api"], _http_ready(f"{settings.public_url}/healthz"), [api_port]
            )
            services.append(api)
            await api.start()
            yield BenchStack(settings=settings, env=env, services=services)
        except BaseException:
            for part in services:  # what each part said, for whoever reads the failure
                sys.stderr.write(f"--- the end of {part.name}'s log:\n{part.tail(60)}\n")
            raise
        finally:
            for part in reversed(services):
                if part.running():
                    with suppress(AssertionError):
                        await part.terminate(40)
                if part.running():
                    await part.kill()


def _seed(env: dict[str, str]) -> int:
    import subprocess

    done = subprocess.run([REDRESS, "seed-demo"], env=env, capture_output=True, check=False)
    if done.returncode:
        sys.stderr.write(done.stderr.decode())
    return done.returncode


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its live descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        with suppress(OSError):
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        with suppress(OSError):
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pending.extend(int(child) for child in children)
    return total
