"""The worker's metrics: the Temporal SDK's through its runtime, and the activity counters of
the retry log on prometheus-client's registry."""

from __future__ import annotations

import dataclasses
import socket
from typing import Any

import httpx
import pytest
from temporalio.testing import ActivityEnvironment
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput

from activities.retry_log import RetryLog
from core.temporal_client import connect
from redress.worker import metrics_runtime, serve_app_metrics
from tests.api.conftest import Stack


def free_address() -> str:
    """A loopback host:port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"


class Failing(ActivityInboundInterceptor):
    """The end of the interceptor chain: an activity that fails with a case's data in the
    error's text, as a mail server's refusal might."""

    def __init__(self) -> None:
        pass

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        raise ConnectionError("refused rahima@workers.example for GT-2026-ABCDE")


async def test_retry_log_counts_attempts_and_failures_by_activity_type() -> None:
    address = free_address()
    server = serve_app_metrics(address)
    try:
        env = ActivityEnvironment()
        env.info = dataclasses.replace(env.info, activity_type="send_notice", attempt=3)
        chain = RetryLog().intercept_activity(Failing())
        attempt = ExecuteActivityInput(fn=lambda: None, args=[], executor=None, headers={})

        async def run() -> None:
            await chain.execute_activity(attempt)

        with pytest.raises(ConnectionError):
            await env.run(run)
        async with httpx.AsyncClient() as http:
            text = (await http.get(f"http://{address}/metrics")).text
    finally:
        server.shutdown()
        server.server_close()
    assert 'redress_activity_attempts_total{activity_type="send_notice",retry="true"}' in text
    failure = 'activity_type="send_notice",error="ConnectionError",retried="true"'
    assert f"redress_activity_failures_total{{{failure}}}" in text
    assert "rahima" not in text and "GT-2026-ABCDE" not in text


async def test_the_sdk_metrics_come_from_the_runtime_at_the_configured_address(
    stack: Stack,
) -> None:
    assert metrics_runtime(stack.settings) is None  # off unless configured
    address = free_address()
    settings = stack.settings.model_copy(
        update={
            "temporal_address": stack.client.service_client.config.target_host,
            "worker_metrics_address": address,
        }
    )
    client = await connect(settings, runtime=metrics_runtime(settings))
    await client.count_workflows()
    async with httpx.AsyncClient() as http:
        text = (await http.get(f"http://{address}/metrics")).text
    assert "temporal_request_total" in text
