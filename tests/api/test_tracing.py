"""Tracing on: a filing through the API is one trace, from the HTTP request through the
Temporal client's calls to the workflow and its activities, continuing the caller's W3C
traceparent; its spans carry the case reference and no identity, access code or text."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import httpx
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from core.temporal_client import connect
from core.tracing import tracing_to
from notifications.mailer import RecordingMailer
from redress.app import create_app
from redress.worker import build_worker
from tests.api.conftest import PUBLIC_URL, Stack, complaint
from tests.clock import shifted

IDENTITY = {
    "name": "Shirin Traceless Begum",
    "organisation": "Unseen Union of Gazipur Cutters",
    "email": "shirin.traceless@hidden.example",
    "phone": "+880 1444 262626",
}
DESCRIPTION = "Cutters were locked in the building during the night shift."
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
ACTION_TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
CALLER_SPAN = "00f067aa0ba902b7"


def everything_in(span: ReadableSpan) -> str:
    """All a span would tell a collector, as text."""
    parts = [span.name, str(dict(span.attributes or {})), str(span.status.description)]
    parts += [f"{e.name} {dict(e.attributes or {})}" for e in span.events]
    return " ".join(parts)


async def until_spans(
    exported: InMemorySpanExporter, name: str, at_least: int = 1
) -> Sequence[ReadableSpan]:
    """The finished spans once ``at_least`` are named ``name`` (the worker ends them after
    the API has answered); bounded."""
    for _ in range(100):
        spans = exported.get_finished_spans()
        if sum(s.name == name for s in spans) >= at_least:
            return spans
        await asyncio.sleep(0.1)
    raise AssertionError(f"no span {name} in {[s.name for s in exported.get_finished_spans()]}")


async def test_a_filing_is_one_trace_from_the_request_to_the_activities(stack: Stack) -> None:
    exported = InMemorySpanExporter()
    tracing = tracing_to("redress-tests", exported, batch=False)
    settings = stack.settings.model_copy(
        update={
            "temporal_address": stack.client.service_client.config.target_host,
            "task_queue": "tracing-tests",  # served by the traced worker below only
        }
    )
    client = shifted(await connect(settings, tracing=tracing))
    mailer = RecordingMailer()
    app = create_app(settings, engine=stack.engine, client=client, mailer=mailer, tracing=tracing)
    person = dict(IDENTITY, confidential=True, represents="Cutting section")
    async with (
        build_worker(client, settings, stack.engine, mailer),
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL) as http,
    ):
        assert (await http.get("/healthz")).status_code in (200, 503)  # probes: no span
        response = await http.post(
            "/api/v1/complaints",
            json=complaint(complainant=person, description=DESCRIPTION),
            headers={"traceparent": f"00-{TRACE_ID}-{CALLER_SPAN}-01"},
        )
        assert response.status_code == 201, response.text
        ref, access_code = response.json()["reference"], response.json()["access_code"]
        spans = await until_spans(exported, "RunActivity:send_notice")
        filing_spans = len(spans)
        staff = await stack.headers("secretariat")
        acted = await http.post(
            f"/api/v1/cases/{ref}/actions",
            json={"action": "register"},
            headers={**staff, "traceparent": f"00-{ACTION_TRACE_ID}-{CALLER_SPAN}-01"},
        )
        assert acted.status_code == 200, acted.text
        every = await until_spans(exported, "RunActivity:send_notice", at_least=2)
        spans, action_spans = every[:filing_spans], every[filing_spans:]

    by_name = {s.name: s for s in spans}
    [http_span] = [s for s in spans if s.instrumentation_scope.name == "fastapi"]
    assert (http_span.name, http_span.kind) == ("POST /api/v1/complaints", SpanKind.SERVER)
    assert http_span.parent is not None and f"{http_span.parent.span_id:016x}" == CALLER_SPAN
    attributes = dict(http_span.attributes or {})
    assert attributes["http.route"] == "/api/v1/complaints"
    assert attributes["http.response.status_code"] == 201
    assert attributes["case.reference"] == ref
    assert not [key for key in attributes if key.startswith("url.") and key != "url.scheme"]
    starts = {"StartWorkflow:CaseWorkflow", "StartUpdateWithStartWorkflow:CaseWorkflow"}
    assert starts & set(by_name), sorted(by_name)
    assert "RunWorkflow:CaseWorkflow" in by_name
    assert any(name.startswith("HandleUpdate:") for name in by_name)  # the first sync
    assert {"RunActivity:project_case", "RunActivity:send_notice"} <= set(by_name)
    workflow_spans = [s for s in spans if (s.attributes or {}).get("case.reference") == ref]
    assert len(workflow_spans) >= 4  # the client's, the workflow's and the activities'

    assert {f"{s.context.trace_id:032x}" for s in spans} == {TRACE_ID}
    assert not [s for s in every if "/healthz" in s.name]

    # An action's request and update call are a trace of their own; Temporal handles the
    # update in the workflow's trace (the filing's), linked to the call that sent it.
    acting = {s.name: s for s in action_spans}
    for name in ("POST /api/v1/cases/{reference}/actions", "StartWorkflowUpdate:act"):
        assert f"{acting[name].context.trace_id:032x}" == ACTION_TRACE_ID, name
    handled = acting["HandleUpdate:act"]
    assert f"{handled.context.trace_id:032x}" == TRACE_ID
    assert [link.context.span_id for link in handled.links] == [
        acting["StartWorkflowUpdate:act"].context.span_id
    ]
    assert "RunActivity:project_case" in acting
    for span in every:
        told = everything_in(span).lower()
        for secret in (*IDENTITY.values(), access_code, DESCRIPTION):
            assert secret.lower() not in told, (span.name, secret)
