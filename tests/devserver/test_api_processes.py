"""`redress api --processes N` (or REDRESS_API_PROCESSES) serves from N processes on one
port; SIGTERM stops them gracefully, and killing the supervisor outright ends them too."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.devserver.procs import all_gone, children, closed, needs_proc, process_info

pytestmark = needs_proc


@dataclass
class Api:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def workers(self) -> list[int]:
        """The API's serving processes (uvicorn's, spawned by multiprocessing)."""
        return [p for p, argv in children(self.process.pid).items() if "spawn_main" in argv]


@pytest.fixture
async def api(tmp_path: Path, free_ports: Callable[[int], list[int]]) -> AsyncIterator[Api]:
    api_port, temporal_port = free_ports(2)  # nothing listens on the Temporal port: it warns
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDRESS_")}
    env.update(
        REDRESS_DATA_DIR=str(tmp_path),
        REDRESS_LOCAL_MODE="true",
        REDRESS_API_PORT=str(api_port),
        REDRESS_TEMPORAL_ADDRESS=f"127.0.0.1:{temporal_port}",
        REDRESS_API_PROCESSES="1",  # the option wins
        PYTHONUNBUFFERED="1",
    )
    log = tmp_path / "api.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "redress.cli", "api", "--processes", "2"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    started = Api(process, api_port, log)
    workers: list[int] = []
    try:
        async with asyncio.timeout(60), httpx.AsyncClient(timeout=5) as http:
            while True:
                assert process.poll() is None, log.read_text()
                try:
                    await http.get(f"http://127.0.0.1:{api_port}/healthz")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.2)
            while log.read_text().count("Application startup complete.") < 2:
                await asyncio.sleep(0.1)
        workers = started.workers()
        yield started
    finally:
        for pid in workers:  # whatever a failed test left, even once they are orphans
            if process_info(pid) is not None:
                os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            process.kill()
        process.wait(10)


async def test_sigterm_stops_every_process_gracefully(api: Api) -> None:
    workers = api.workers()
    assert len(workers) == 2 and api.process.pid not in workers
    api.process.send_signal(signal.SIGTERM)
    assert await asyncio.to_thread(api.process.wait, 30) == 0
    assert await all_gone(workers)
    assert await closed(api.port)
    assert api.log.read_text().count("Application shutdown complete.") == 2


async def test_its_processes_end_when_the_supervisor_is_killed(api: Api) -> None:
    workers = api.workers()
    assert len(workers) == 2
    api.process.kill()
    await asyncio.to_thread(api.process.wait, 10)
    assert await all_gone(workers)
    assert await closed(api.port)
