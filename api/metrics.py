"""``GET /metrics`` in Prometheus' text format, and the middleware timing every request.

Requests are labelled by route template (``/api/v1/cases/{reference}``), method and status
class, never by the path itself: a path can carry a reference. Access: with
``REDRESS_METRICS_TOKEN`` set only ``Authorization: Bearer <token>`` reads the metrics; without
it the endpoint answers 404, except in local mode where it is open.

Several API processes (``uvicorn --workers N``, gunicorn): set ``PROMETHEUS_MULTIPROC_DIR`` to
an empty directory writable by every process, the same for all, before they start (and empty
it at each deployment). Each process then writes its request histogram there and any process
answering a scrape sums them (prometheus-client's multiprocess mode). The read-model gauges
(``services.metrics``) are computed from the shared database at each scrape and need no such
care.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time

from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.problems import NotFound
from services.metrics import ReadModelCollector

REQUESTS = Histogram(
    "redress_http_request_duration_seconds",
    "Time from a request's arrival to its last response byte, by route template",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
UNMATCHED = "unmatched"  # any path no route knows: one label, however many are probed
# Methods outside these are one label too: a client may send any token as a method.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

router = APIRouter(include_in_schema=False)


def _template(scope: Scope) -> str:
    """The matched route's path template, or ``unmatched``."""
    route = scope.get("route")
    path = getattr(route, "path_format", None) if isinstance(route, BaseRoute) else None
    return path if isinstance(path, str) else UNMATCHED


class RequestTimer:
    """ASGI middleware observing each HTTP request's duration into ``REQUESTS``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Time the request and label it once the response has started."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # unless a response starts: an exception escaping the app

        async def timed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, timed_send)
        finally:
            method = scope["method"] if scope["method"] in METHODS else "other"
            REQUESTS.labels(_template(scope), method, f"{status // 100}xx").observe(
                time.perf_counter() - started
            )


def _allowed(request: Request) -> bool:
    """Whether the caller may read the metrics (see the module's docstring)."""
    settings = request.app.state.settings
    token: str | None = settings.metrics_token
    if not token:
        return bool(settings.local_mode)
    given = request.headers.get("authorization", "")
    return secrets.compare_digest(given.encode(), f"Bearer {token}".encode())


def render(request: Request) -> bytes:
    """This process's (or, in multiprocess mode, every process's) metrics and the read
    model's counts, in the text format."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        MultiProcessCollector(processes)  # type: ignore[no-untyped-call]  # untyped upstream
    else:
        processes = REGISTRY
    counts = CollectorRegistry()
    counts.register(ReadModelCollector(request.app.state.engine))
    return generate_latest(processes) + generate_latest(counts)


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    """The Prometheus text exposition; 404 to callers without the metrics token."""
    if not _allowed(request):
        raise NotFound("not found")
    body = await asyncio.to_thread(render, request)  # the counts query the database
    return Response(body, media_type=CONTENT_TYPE_LATEST)
