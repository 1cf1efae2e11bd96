"""Tracing is off by default (nothing of the SDK loaded), and what it exports is scrubbed:
no URL path or query, no exception message, no address; the case reference added."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, Status, StatusCode

from core.settings import Settings
from core.tracing import traces_url, tracing_from_settings, tracing_to

ROOT = Path(__file__).resolve().parents[2]


def test_spans_leave_scrubbed_with_the_case_reference() -> None:
    exported = InMemorySpanExporter()
    tracer = tracing_to("redress-tests", exported, batch=False).tracer()
    with tracer.start_as_current_span(
        "GET /api/v1/users",
        kind=SpanKind.SERVER,
        attributes={
            "http.request.method": "GET",
            "http.route": "/api/v1/users",
            "url.path": "/reset/Qx7Lm2Vw9Rt4Yp8Zs3Kd6Fh1Jn5Bc0Ga",
            "url.query": "q=rahima%40workers.example",
            "url.scheme": "http",
            "client.address": "10.1.2.3",
            "note": "sent to rahima@workers.example",
        },
    ) as span:
        span.add_event("exception", {"exception.type": "ValueError", "exception.message": "x"})
        span.set_status(Status(StatusCode.ERROR, "ValueError: refused rahima@workers.example"))
    with tracer.start_as_current_span(
        "RunActivity:project_case", attributes={"temporalWorkflowID": "case-GT-2026-AB3CD"}
    ):
        pass
    http, activity = exported.get_finished_spans()
    assert dict(http.attributes or {}) == {
        "http.request.method": "GET",
        "http.route": "/api/v1/users",
        "url.scheme": "http",
        "note": "sent to [e-mail]",
    }
    assert http.status.status_code is StatusCode.ERROR and http.status.description == "ValueError"
    assert [dict(e.attributes or {}) for e in http.events] == [{"exception.type": "ValueError"}]
    assert (activity.attributes or {})["case.reference"] == "GT-2026-AB3CD"
    assert http.resource.attributes["service.name"] == "redress-tests"


@pytest.fixture
def collector() -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    """A local OTLP/HTTP receiver: its base address, and each (path, body) it was sent."""
    received: list[tuple[str, bytes]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, body))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


def test_scrubbed_spans_export_over_otlp_http(
    collector: tuple[str, list[tuple[str, bytes]]],
) -> None:
    address, received = collector
    tracing = tracing_to("redress-api", OTLPSpanExporter(endpoint=traces_url(address)))
    with tracing.tracer().start_as_current_span(
        "RunActivity:send_notice",
        attributes={"temporalWorkflowID": "case-GT-2026-AB3CD", "url.query": "q=secret"},
    ):
        pass
    tracing.flush()
    tracing.provider.shutdown()
    [(path, body)] = received
    assert path == "/v1/traces"
    request = ExportTraceServiceRequest.FromString(body)
    [resource_spans] = request.resource_spans
    service = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
    assert service["service.name"] == "redress-api"
    [span] = resource_spans.scope_spans[0].spans
    attributes = {a.key: a.value.string_value for a in span.attributes}
    assert span.name == "RunActivity:send_notice"
    assert attributes == {
        "temporalWorkflowID": "case-GT-2026-AB3CD",
        "case.reference": "GT-2026-AB3CD",
    }


def test_the_traces_url_of_a_collector() -> None:
    assert traces_url("http://collector:4318") == "http://collector:4318/v1/traces"
    assert traces_url("http://collector:4318/v1/traces/") == "http://collector:4318/v1/traces"


def test_with_no_endpoint_nothing_of_opentelemetry_is_set_up_or_loaded() -> None:
    assert tracing_from_settings(Settings()) is None
    # A fresh interpreter: the API, its Temporal client and the worker built without an
    # endpoint load neither the SDK nor Temporal's contrib module, nor install a provider.
    script = textwrap.dedent(
        """
        import sys
        from opentelemetry import trace
        from core.settings import Settings
        from core.temporal_client import interceptors
        from redress.app import create_app
        import redress.worker

        settings = Settings(secret_key="tracing-off-secret-key-0123456789")
        create_app(settings)
        chain = interceptors(settings)
        heavy = ("opentelemetry.sdk", "opentelemetry.exporter", "temporalio.contrib.opentelemetry")
        loaded = sorted(m for m in sys.modules if m.startswith(heavy))
        print(type(trace.get_tracer_provider()).__name__, [type(i).__name__ for i in chain], loaded)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=ROOT,
    )
    assert result.stdout.strip() == "ProxyTracerProvider ['CaseClientContext', 'ClaimSigner'] []"
