"""OpenTelemetry tracing from an API request to the workflow and its activities, off by
default. With ``REDRESS_TRACING_ENDPOINT`` set (OTLP over HTTP, e.g.
``http://otel-collector:4318``), each process has one tracer provider exporting in batches;
the Temporal client (and so the worker) carries ``temporalio.contrib.opentelemetry``'s
``TracingInterceptor``, and the FastAPI app its own request spans. Without it nothing of the
OpenTelemetry SDK or of Temporal's contrib module is imported.

Spans carry the case reference (``case.reference``, and Temporal's ``temporalWorkflowID``,
``case-<reference>``), never an identity or a text: ``core.span_scrub`` rewrites every span
on its way out (no URL path or query, no exception message, strings redacted).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.log_context import current_reference

if TYPE_CHECKING:
    from fastapi.telemetry import TelemetryConfig
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SpanExporter
    from opentelemetry.trace import Tracer
    from temporalio.contrib.opentelemetry import TracingInterceptor

    from core.settings import Settings

INSTRUMENTATION = "redress"
# Probes answered every few seconds: a span each would drown the traces that matter.
UNTRACED_PATHS = frozenset({"/healthz", "/metrics"})


@dataclass(frozen=True)
class Tracing:
    """A process's tracing: its provider, and what each part is given of it."""

    provider: TracerProvider

    def tracer(self) -> Tracer:
        """The tracer Redress's own spans come from."""
        return self.provider.get_tracer(INSTRUMENTATION)

    def temporal_interceptor(self) -> TracingInterceptor:
        """Temporal's tracing interceptor on this provider, for the client (the worker takes
        it from its client): client calls, workflows and activities become spans, their
        context carried in Temporal headers."""
        from temporalio.contrib.opentelemetry import TracingInterceptor

        return TracingInterceptor(self.tracer())

    def fastapi_telemetry(self) -> TelemetryConfig:
        """FastAPI's own telemetry (``FastAPI(telemetry=…)``): one server span per request,
        continuing a W3C ``traceparent`` it was sent; no metrics (Prometheus has them) and no
        log events (they quote exception messages and invalid input)."""
        return {
            "tracer_provider": self.provider,
            "tracing": True,
            "metrics": False,
            "logs": False,
            "operation_spans": False,
            "auto_configure": False,
            "exclude": lambda scope: scope.get("path") in UNTRACED_PATHS,
        }

    def flush(self, timeout_millis: int = 5000) -> None:
        """Export the spans still waiting in the batch (before a process exits abruptly)."""
        self.provider.force_flush(timeout_millis)


class CaseSpan:
    """ASGI middleware, inside ``core.log_context.RequestLog``, added only with tracing on:
    the request's server span gets ``case.reference`` when the request was about a case
    (set as the response starts: the span ends with its last byte)."""

    def __init__(self, app: Any) -> None:
        from opentelemetry import trace

        self.app = app
        self._current_span = trace.get_current_span

    async def __call__(self, scope: MutableMapping[str, Any], receive: Any, send: Any) -> None:
        """Serve the request; label its span at the response's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        span = self._current_span()

        async def labelling_send(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                reference = current_reference()
                if reference:
                    span.set_attribute("case.reference", reference)
            await send(message)

        await self.app(scope, receive, labelling_send)


# FastAPI's telemetry when tracing is off: nothing, even if something else in the process
# installed a global provider.
NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}

_process_tracing: Tracing | None = None


def traces_url(endpoint: str) -> str:
    """The OTLP/HTTP traces URL of a collector's base address."""
    endpoint = endpoint.rstrip("/")
    return endpoint if endpoint.endswith("/v1/traces") else f"{endpoint}/v1/traces"


def tracing_to(service: str, exporter: SpanExporter, *, batch: bool = True) -> Tracing:
    """Tracing that exports scrubbed spans of ``service`` to ``exporter`` (in batches, or
    each span as it ends: tests). Sets no global provider."""
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    from core.span_scrub import ScrubbingExporter

    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    scrubbed = ScrubbingExporter(exporter)
    provider.add_span_processor(
        BatchSpanProcessor(scrubbed) if batch else SimpleSpanProcessor(scrubbed)
    )
    return Tracing(provider)


def tracing_from_settings(settings: Settings) -> Tracing | None:
    """This process's tracing, made on first use and installed as the global provider; None
    when ``REDRESS_TRACING_ENDPOINT`` is empty (and then nothing is imported)."""
    global _process_tracing
    if not settings.tracing_endpoint:
        return None
    if _process_tracing is None:
        from opentelemetry import trace
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=traces_url(settings.tracing_endpoint))
        _process_tracing = tracing_to(settings.tracing_service, exporter)
        trace.set_tracer_provider(_process_tracing.provider)
    return _process_tracing
