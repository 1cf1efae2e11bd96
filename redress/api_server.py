"""Serving the HTTP API: in this process, or in several under uvicorn's supervisor sharing
one socket (``redress api``)."""

from __future__ import annotations

import logging
import os
import socket
import sys
from typing import TYPE_CHECKING, Any

import uvicorn

from redress.command_support import settings_from_environment

if TYPE_CHECKING:
    from fastapi import FastAPI

    from core.settings import Settings

# On SIGTERM the API stops accepting connections and gives requests in flight this long to
# answer (as long as one waits for a workflow update: services.engine.UPDATE_TIMEOUT), then
# closes what is left.
API_GRACEFUL_SECONDS = 30
# What each process of a multi-process API serves: uvicorn imports it by name in each.
API_FACTORY = "redress.api_server:api_from_environment"


def serve_api(settings: Settings) -> None:
    """Serve the API: in this process, or in ``api_processes`` processes under uvicorn's
    supervisor (which starts again one that dies, and passes SIGTERM on to each)."""
    from core.logs import uvicorn_log_config

    settings.refuse_unsafe()  # here, once, rather than in each process it would start
    options: dict[str, Any] = {
        "host": settings.api_host,
        "port": settings.api_port,
        "timeout_graceful_shutdown": API_GRACEFUL_SECONDS,
        # The process's own format in every API process, and no access lines of uvicorn's
        # (they carry the client's address and the raw path): core.logs writes its own.
        "log_config": uvicorn_log_config(settings),
        # No "server: uvicorn" on every answer: it tells an attacker what runs, and costs a
        # phone 17 bytes a response (tests/pages/test_byte_budget.py's budget).
        "server_header": False,
    }
    if settings.api_processes == 1:
        from redress.app import create_app

        uvicorn.Server(uvicorn.Config(create_app(settings), **options)).run()
        return
    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(API_FACTORY, factory=True, workers=settings.api_processes, **options)
    sock = _listening_socket(settings.api_host, settings.api_port)
    supervisor = Multiprocess(config, sockets=[sock])
    try:
        supervisor.run()
    finally:
        sock.close()
    if any(p.exitcode == STARTUP_FAILURE for p in supervisor.processes):
        raise RuntimeError("the API could not start (the reason is logged above)")


def _listening_socket(host: str, port: int) -> socket.socket:
    """The API's socket, bound once and shared by its processes. Named TCP so that uvicorn
    turns Nagle off on its connections (uvicorn #3149), as it does when it binds itself."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise RuntimeError(f"the API cannot listen on {host}:{port}: {exc}") from None
    sock.set_inheritable(True)
    return sock


def api_from_environment() -> FastAPI:
    """The API on the environment's settings, built by uvicorn in each API process. A
    failure exits with uvicorn's startup-failure code, so the supervisor stops instead of
    starting the process again and again."""
    import multiprocessing

    from uvicorn.config import STARTUP_FAILURE

    from devserver.processes import end_with_parent
    from redress.app import create_app

    # A supervisor killed outright leaves its processes serving on the shared socket: they
    # end with it instead (SIGTERM, a graceful stop), or at once if it is gone already.
    end_with_parent()
    supervisor = multiprocessing.parent_process()
    if supervisor is not None and os.getppid() != supervisor.pid:
        sys.exit(STARTUP_FAILURE)
    try:
        return create_app(settings_from_environment())
    except Exception:
        logging.getLogger("redress.api").exception("the API cannot start")
        sys.exit(STARTUP_FAILURE)
