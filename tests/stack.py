"""The engine under the API and page tests: seeded SQLite, a Temporal dev server, a worker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from sqlalchemy import Engine
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from core.claims import ClaimSigner, claim_key
from core.codec import data_converter
from core.settings import Settings
from notifications.mailer import Mailer, RecordingMailer
from redress.worker import build_worker
from store.db import engine_from_settings, prepare
from store.seed import DEMO_PASSWORD, seed_demo
from tests.clock import shifted
from tests.temporal_env import TIME_SKIPPING_ARGS, temporal_cli


@dataclass
class Backend:
    """A running engine: the read model, Temporal, and the mail the worker sent.

    ``client`` starts workflows at the suite's today (tests/clock.py): use it, not env's.
    """

    settings: Settings
    engine: Engine
    env: WorkflowEnvironment
    client: Client
    mailer: Mailer


@asynccontextmanager
async def running_backend(
    settings: Settings, *, demo: bool = True, mailer: Mailer | None = None
) -> AsyncIterator[Backend]:
    """Prepare (and with ``demo`` seed) the database, start a Temporal dev server and run a
    worker on it; its mail goes to ``mailer`` (a recording one by default)."""
    await asyncio.to_thread(prepare, settings)
    if demo:
        await asyncio.to_thread(seed_demo, settings)
    engine = engine_from_settings(settings)
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal_cli(),
        data_converter=data_converter(settings),
        interceptors=[ClaimSigner(claim_key(settings.secret_key))],
        ui=False,
        dev_server_extra_args=TIME_SKIPPING_ARGS,
    )
    mailer = mailer if mailer is not None else RecordingMailer()
    try:
        async with build_worker(env.client, settings, engine, mailer):
            yield Backend(settings, engine, env, shifted(env.client), mailer)
    finally:
        await env.shutdown()
        engine.dispose()


async def demo_headers(
    http: httpx.AsyncClient, tokens: dict[str, str], username: str
) -> dict[str, str]:
    """Bearer headers for a demo user, signing in once (the token kept in ``tokens``)."""
    if username not in tokens:
        response = await http.post(
            "/api/v1/auth/token", json={"username": username, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 200, response.text
        tokens[username] = response.json()["access_token"]
    return {"Authorization": f"Bearer {tokens[username]}"}
