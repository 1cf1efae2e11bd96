"""A burst of filings on a small connection pool: every one is filed, none waits for a
connection that a request holds while it waits for a thread or for Temporal."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from redress.app import create_app
from store.db import make_engine
from tests.api.conftest import PUBLIC_URL, Stack, complaint

BURST = 16  # more than the event loop's default threads (6 on 2 cores)


async def test_a_burst_of_filings_on_a_one_connection_pool_files_every_one(stack: Stack) -> None:
    url = stack.engine.url.render_as_string(hide_password=False)
    engine = make_engine(url, pool_size=1, max_overflow=0, pool_timeout=3)
    app = create_app(stack.settings, engine=engine, client=stack.client)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL, timeout=60) as http:

            async def file() -> httpx.Response:
                headers = {"Idempotency-Key": str(uuid.uuid4())}
                return await http.post("/api/v1/complaints", json=complaint(), headers=headers)

            answers = await asyncio.gather(*(file() for _ in range(BURST)))
    finally:
        engine.dispose()
    assert [a.status_code for a in answers] == [201] * BURST, [a.text for a in answers]
    assert len({a.json()["reference"] for a in answers}) == BURST
