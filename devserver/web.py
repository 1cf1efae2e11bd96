"""Serve an ASGI app with uvicorn inside an event loop that other services share."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator
from typing import Any

import uvicorn


class EmbeddedServer(uvicorn.Server):
    """A uvicorn server that leaves signal handling to whoever runs the event loop."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        """Do not install signal handlers; the owner stops us with ``should_exit``."""
        yield


class WebServer:
    """An ASGI app served by uvicorn as a task of the running loop, on a socket we bind."""

    def __init__(
        self,
        app: Any,
        *,
        host: str,
        port: int,
        name: str,
        log_level: str = "warning",
        access_log: bool = False,
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.name = name
        self.log_level = log_level
        self.access_log = access_log
        self._server: EmbeddedServer | None = None
        self.task: asyncio.Task[None] | None = None

    async def start(self, timeout: float = 30.0) -> None:
        """Bind (port 0 picks a free one), serve, and wait for startup to finish."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # Named TCP so that uvicorn turns Nagle off on its connections (uvicorn #3149):
        # without it every keep-alive answer waits ~40 ms for a delayed ACK.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError as exc:
            sock.close()
            raise RuntimeError(
                f"{self.name} cannot listen on {self.host}:{self.port}: {exc}"
            ) from None
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            host=self.host,
            port=self.port,
            log_level=self.log_level,
            access_log=self.access_log,
            log_config=None,  # the process's own logging (core.logs), not uvicorn's
        )
        server = self._server = EmbeddedServer(config)
        self.task = asyncio.create_task(self._serve(server, sock), name=self.name)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not server.started:
            if self.task.done():
                self.task.result()
                raise RuntimeError(f"{self.name} stopped during startup")
            if loop.time() > deadline:
                await self.stop()
                raise RuntimeError(f"{self.name} did not start within {timeout:.0f} s")
            await asyncio.sleep(0.05)

    async def _serve(self, server: EmbeddedServer, sock: socket.socket) -> None:
        try:
            await server.serve(sockets=[sock])
        except SystemExit as exc:  # uvicorn exits the process on a failed startup
            raise RuntimeError(f"{self.name} failed to start (exit code {exc.code})") from None
        finally:
            sock.close()

    async def stop(self, timeout: float = 5.0) -> None:
        """Ask uvicorn to exit, force it after ``timeout`` seconds."""
        server, task = self._server, self.task
        if server is None or task is None:
            return
        server.should_exit = True
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout)
        except TimeoutError:
            server.force_exit = True
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        except Exception:  # a crash is reported by whoever awaits the task
            pass
        self._server = self.task = None
