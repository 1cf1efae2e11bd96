"""Which case a log line is about: a context variable set per API request (``RequestLog``),
by the Temporal client when it starts or acts on a case's workflow (``CaseClientContext``) and
per activity in the worker (``CaseActivityContext``); ``core.logs.CaseReference`` reads it.

Workflow ids are ``case-<reference>``, so the reference is known wherever a workflow is.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from temporalio import activity
from temporalio.client import (
    Interceptor as ClientInterceptor,
)
from temporalio.client import (
    OutboundInterceptor,
    QueryWorkflowInput,
    SignalWorkflowInput,
    StartWorkflowInput,
    StartWorkflowUpdateInput,
    StartWorkflowUpdateWithStartInput,
    WorkflowHandle,
    WorkflowUpdateHandle,
)
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput
from temporalio.worker import Interceptor as WorkerInterceptor

CASE_WORKFLOW_PREFIX = "case-"
access_log = logging.getLogger("redress.access")


def reference_of(workflow_id: str | None) -> str | None:
    """The case reference in a workflow id (``case-<reference>``), or None."""
    if workflow_id and workflow_id.startswith(CASE_WORKFLOW_PREFIX):
        return workflow_id[len(CASE_WORKFLOW_PREFIX) :] or None
    return None


@dataclass
class CaseContext:
    """The case of one request or activity. A mutable holder, so that a reference learnt in a
    task the request started (its copy of the context) is seen by the request's later lines."""

    reference: str | None = None
    scope: MutableMapping[str, Any] | None = field(default=None, repr=False)

    def current(self) -> str | None:
        """The reference bound, or the ``{reference}`` of the route the request matched."""
        if self.reference:
            return self.reference
        if self.scope is not None:
            params = self.scope.get("path_params")
            if isinstance(params, dict):
                found = params.get("reference")
                return found if isinstance(found, str) and found else None
        return None


_case: ContextVar[CaseContext | None] = ContextVar("redress_case", default=None)


def current_reference() -> str | None:
    """The case reference in play here, if any."""
    context = _case.get()
    return context.current() if context is not None else None


def bind_reference(reference: str | None) -> None:
    """Say which case the current request or activity is about (e.g. once filing has given
    it a reference). Outside one (a command's loop, a background task) it does nothing: a
    reference left behind there would be stamped on unrelated later lines."""
    context = _case.get()
    if reference and context is not None:
        context.reference = reference


@contextmanager
def case_context(
    reference: str | None = None, scope: MutableMapping[str, Any] | None = None
) -> Iterator[CaseContext]:
    """A fresh case context for the code inside (a request, an activity)."""
    context = CaseContext(reference, scope)
    token = _case.set(context)
    try:
        yield context
    finally:
        _case.reset(token)


class _ClientContext(OutboundInterceptor):
    async def start_workflow(self, input: StartWorkflowInput) -> WorkflowHandle[Any, Any]:
        bind_reference(reference_of(input.id))
        return await super().start_workflow(input)

    async def start_workflow_update(
        self, input: StartWorkflowUpdateInput
    ) -> WorkflowUpdateHandle[Any]:
        bind_reference(reference_of(input.id))
        return await super().start_workflow_update(input)

    async def start_update_with_start_workflow(
        self, input: StartWorkflowUpdateWithStartInput
    ) -> WorkflowUpdateHandle[Any]:
        bind_reference(reference_of(input.start_workflow_input.id))
        return await super().start_update_with_start_workflow(input)

    async def signal_workflow(self, input: SignalWorkflowInput) -> None:
        bind_reference(reference_of(input.id))
        await super().signal_workflow(input)

    async def query_workflow(self, input: QueryWorkflowInput) -> Any:
        bind_reference(reference_of(input.id))
        return await super().query_workflow(input)


class CaseClientContext(ClientInterceptor):
    """A client interceptor binding the case of each workflow the client starts, updates,
    signals or queries to the caller's log context."""

    def intercept_client(self, next: OutboundInterceptor) -> OutboundInterceptor:
        """Wrap the client's outbound calls."""
        return _ClientContext(next)


class _ActivityContext(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        # A thread-pool activity runs in a copy of this context (the SDK copies it).
        with case_context(reference_of(activity.info().workflow_id)):
            return await super().execute_activity(input)


class CaseActivityContext(WorkerInterceptor):
    """A worker interceptor giving each activity attempt the case of its workflow, so every
    line it (or a library it calls) logs carries the reference."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        """Wrap the activity's execution in its case context."""
        return _ActivityContext(next)


# Methods outside these are one word in the access line: a client may send any token.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def route_of(scope: MutableMapping[str, Any]) -> str:
    """The template of the route a request matched (``/api/v1/cases/{reference}``), never
    the path, which can carry a token; ``unmatched`` when no route did."""
    path = getattr(scope.get("route"), "path_format", None)
    return path if isinstance(path, str) else "unmatched"


ASGIApp = Any  # (scope, receive, send) -> awaitable; starlette's types, without importing it


class RequestLog:
    """ASGI middleware: each HTTP request runs in its own case context and ends with one
    access line on ``redress.access`` (method, route template, status, duration in ms, and
    the case reference when the request was about one)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        """Serve the request in its context, then log it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # unless a response starts: an exception escaping the app

        async def observed_send(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        with case_context(scope=scope) as context:
            try:
                await self.app(scope, receive, observed_send)
            finally:
                method = scope["method"] if scope["method"] in _METHODS else "OTHER"
                route = route_of(scope)
                duration_ms = round((time.perf_counter() - started) * 1000, 1)
                access_log.info(
                    "%s %s %d %.1f ms",
                    method,
                    route,
                    status,
                    duration_ms,
                    extra={
                        "method": method,
                        "route": route,
                        "status": status,
                        "duration_ms": duration_ms,
                        "reference": context.current(),
                    },
                )
