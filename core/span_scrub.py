"""Spans leave the process scrubbed: no URL path or query (a path can carry a token, a query
a name being searched), no client address or user agent, no exception message or stack (a
message can quote what it was given), every other string redacted like a log line
(``core.logs.redact``), and the case reference as ``case.reference``.

Imported by ``core.tracing`` only when tracing is on: it needs the OpenTelemetry SDK.
"""

from __future__ import annotations

from collections.abc import Sequence

from opentelemetry.sdk.trace import Event, ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from opentelemetry.trace import Status
from opentelemetry.util.types import Attributes, AttributeValue

from core.log_context import reference_of
from core.logs import redact

CASE_REFERENCE = "case.reference"
DROPPED = frozenset(
    {
        "url.path",
        "url.query",
        "url.full",
        "http.target",
        "http.url",
        "client.address",
        "client.port",
        "network.peer.address",
        "network.peer.port",
        "net.peer.ip",
        "user_agent.original",
        "http.user_agent",
        "exception.message",
        "exception.stacktrace",
        "db.statement",
        "db.query.text",
    }
)
DROPPED_PREFIXES = ("http.request.header.", "http.response.header.", "url.")
WORKFLOW_ID = "temporalWorkflowID"


def _value(value: AttributeValue) -> AttributeValue:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Sequence) and value and all(isinstance(v, str) for v in value):
        return tuple(redact(str(v)) for v in value)
    return value


def scrub_attributes(attributes: Attributes) -> dict[str, AttributeValue]:
    """The attributes a span may export (see the module), with ``case.reference`` added
    from Temporal's workflow id when it is a case's."""
    kept: dict[str, AttributeValue] = {}
    for key, value in (attributes or {}).items():
        if key in DROPPED or (key.startswith(DROPPED_PREFIXES) and key != "url.scheme"):
            continue
        kept[key] = _value(value)
    workflow_id = kept.get(WORKFLOW_ID)
    reference = reference_of(workflow_id) if isinstance(workflow_id, str) else None
    if reference and CASE_REFERENCE not in kept:
        kept[CASE_REFERENCE] = reference
    return kept


def scrub(span: ReadableSpan) -> ReadableSpan:
    """A copy of ``span`` fit to leave the process."""
    status = span.status
    if status.description:
        # Temporal's interceptor writes "<type>: <message>"; only the type is kept.
        status = Status(status.status_code, status.description.split(":", 1)[0].strip())
    events = tuple(
        Event(event.name, scrub_attributes(event.attributes), event.timestamp)
        for event in span.events
    )
    return ReadableSpan(
        name=redact(span.name),
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=scrub_attributes(span.attributes),
        events=events,
        links=span.links,
        kind=span.kind,
        status=status,
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


class ScrubbingExporter(SpanExporter):
    """Passes each span to ``inner`` scrubbed."""

    def __init__(self, inner: SpanExporter) -> None:
        self.inner = inner

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        """Export the scrubbed copies."""
        return self.inner.export([scrub(span) for span in spans])

    def shutdown(self) -> None:
        """Shut the inner exporter down."""
        self.inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        """Flush the inner exporter."""
        return self.inner.force_flush(timeout_millis)
