"""The parts of the stack as OS processes of their own, and a TCP proxy to cut the database.

Each ``Service`` is one process (the Temporal dev server, the worker, the API, the mail
sink) that a test can SIGKILL, SIGTERM and start again on the same ports; its output goes to
a log file that the test may read. ``Proxy`` forwards TCP to PostgreSQL from a thread of its
own (so a test that blocks its event loop does not stall the database); ``cut`` closes the
listener and every open connection, as a database host that drops off the network.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import IO, Any

Ready = Callable[["Service"], Awaitable[bool]]


def free_ports(count: int) -> list[int]:
    """Distinct ports on 127.0.0.1 that were free a moment ago."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


def port_open(port: int) -> bool:
    """True when something accepts TCP connections on 127.0.0.1:port."""
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
        return True
    return False


def port_free(port: int) -> bool:
    """True when nothing listens on 127.0.0.1:port."""
    return not port_open(port)


def _die_with_parent() -> Callable[[], None] | None:
    """A pre-exec hook: the kernel SIGKILLs the child if the test run dies (Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    pr_set_pdeathsig, sigkill = 1, int(signal.SIGKILL)
    return lambda: prctl(pr_set_pdeathsig, sigkill)


class Service:
    """One part of the stack as a process that can be killed, stopped and started again."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        env: dict[str, str],
        log_path: Path,
        ready: Ready,
        ports: Sequence[int] = (),
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.env = env
        self.log_path = log_path
        self.ready = ready
        self.ports = list(ports)
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self.starts = 0

    @property
    def pid(self) -> int | None:
        """The running process's id."""
        return self.process.pid if self.process is not None else None

    def running(self) -> bool:
        """True while the process has not exited."""
        return self.process is not None and self.process.poll() is None

    async def start(self, timeout: float = 90) -> None:
        """Start the process and wait until it is ready; its ports must be free first."""
        assert not self.running(), f"{self.name} is already running"
        for port in self.ports:  # a process just killed may leave its port a moment longer
            await _until(partial(port_free, port), 15, f"{self.name}: port {port} free")
        self._log = self.log_path.open("ab")
        self._log.write(f"\n--- start {self.starts + 1}: {' '.join(self.argv)}\n".encode())
        self._log.flush()
        self.process = subprocess.Popen(
            self.argv,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent(),
        )
        self.starts += 1
        deadline = time.monotonic() + timeout
        while not await self.ready(self):
            if not self.running():
                raise RuntimeError(f"{self.name} exited while starting:\n{self.tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} not ready within {timeout:.0f} s:\n{self.tail()}")
            await asyncio.sleep(0.2)

    async def kill(self) -> int:
        """SIGKILL: the process dies at once, mid-work."""
        return await self._signal(signal.SIGKILL, 10)

    async def terminate(self, timeout: float = 60) -> int:
        """SIGTERM, then wait for the process to stop on its own; its exit code."""
        return await self._signal(signal.SIGTERM, timeout)

    async def _signal(self, sig: signal.Signals, timeout: float) -> int:
        process = self.process
        assert process is not None, f"{self.name} was never started"
        if process.poll() is None:
            process.send_signal(sig)
        try:
            code = await asyncio.to_thread(process.wait, timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"{self.name} did not stop within {timeout:.0f} s of {sig.name}"
            ) from None
        if self._log is not None:
            self._log.write(f"--- {sig.name}: exit code {code}\n".encode())
            self._log.close()
            self._log = None
        return code

    def tail(self, lines: int = 30) -> str:
        """The end of the process's log."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def log_text(self) -> str:
        """Everything the process logged, over all its starts."""
        return self.log_path.read_text(errors="replace")


async def _until(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


class Proxy:
    """A TCP proxy from 127.0.0.1:port to the database, running in a thread of its own."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_ports(1)[0]
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="db-proxy", daemon=True)
        self.server: asyncio.Server | None = None
        self.connections: set[asyncio.StreamWriter] = set()
        self.accepted = 0
        self.delay = 0.0  # seconds each chunk waits, each way: a slow network

    def _call(self, work: Awaitable[Any]) -> Any:
        future: Future[Any] = asyncio.run_coroutine_threadsafe(work, self.loop)  # type: ignore[arg-type]
        return future.result(30)

    def start(self) -> None:
        """Start the thread and listen."""
        self.thread.start()
        self.restore()

    def restore(self) -> None:
        """Listen again: new connections reach the database."""
        self._call(self._listen())

    def cut(self) -> None:
        """Stop listening and drop every open connection: the database is unreachable."""
        self._call(self._cut())

    def close(self) -> None:
        """Cut, then stop the thread."""
        self.cut()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    async def _listen(self) -> None:
        if self.server is None:
            self.server = await asyncio.start_server(
                self._pipe, "127.0.0.1", self.port, reuse_address=True
            )

    async def _cut(self) -> None:
        server, self.server = self.server, None
        if server is not None:
            server.close()
        for writer in list(self.connections):
            writer.transport.abort()  # a reset, not a polite close: the network is gone
        self.connections.clear()
        if server is not None:
            await server.wait_closed()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.connections.update((writer, up_writer))

        async def copy(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    if self.delay:
                        await asyncio.sleep(self.delay)
                    sink.write(data)
                    await sink.drain()
            except (OSError, asyncio.IncompleteReadError):
                pass
            finally:
                sink.transport.abort()

        await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer))
        self.connections.difference_update((writer, up_writer))
