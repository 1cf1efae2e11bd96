"""The local stack starts every part, stops them all on SIGTERM, and keeps its data."""

from __future__ import annotations

import asyncio
import signal
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from temporalio.client import Client

from core.settings import Settings
from devserver.stack import DEMO_ACCOUNTS, Parts, local_settings, run_stack
from devserver.temporal import find_temporal_binary, port_is_open
from redress.cli import COMMANDS, cli, main


def test_local_settings_switch_on_local_mode_and_keep_data_in_the_data_dir(
    tmp_path: Path,
) -> None:
    settings = local_settings(Settings(data_dir=tmp_path))
    assert settings.local_mode and settings.demo_accounts
    assert settings.database_url == f"sqlite:///{tmp_path.as_posix()}/redress.db"
    assert settings.mail_sink_url == "http://127.0.0.1:8025"
    explicit = local_settings(Settings(data_dir=tmp_path, database_url="sqlite:///x.db"))
    assert explicit.database_url == "sqlite:///x.db"


def test_cli_has_every_subcommand() -> None:
    stack_commands = {"run", "api", "worker", "seed-demo", "mail-sink", "migrate"}
    assert stack_commands <= set(cli.commands)
    assert set(COMMANDS) == stack_commands
    assert main([]) == 2  # no command: usage, as argparse answered


async def _closed(port: int) -> bool:
    """Whether nothing listens on the port any more: a listener closes as its task ends,
    which may be a moment after the stack has returned (bounded wait)."""
    for _ in range(50):
        if not port_is_open("127.0.0.1", port):
            return True
        await asyncio.sleep(0.1)
    return False


def _fake_parts(monkeypatch: pytest.MonkeyPatch, seen: dict[str, Any]) -> Parts:
    """Stand-ins for the store, worker and API so this test is about orchestration only."""
    db = types.ModuleType("store.db")

    def prepare(settings: Settings) -> None:
        seen.setdefault("schema", settings)
        seen["prepared"] = seen.get("prepared", 0) + 1

    db.prepare = prepare  # type: ignore[attr-defined]
    seed = types.ModuleType("store.seed")
    seed.seed_demo = lambda settings: seen.setdefault("seed", settings)  # type: ignore[attr-defined]

    async def run_worker(settings: Settings) -> None:
        seen["client"] = await Client.connect(settings.temporal_address)
        await asyncio.Event().wait()

    def create_app(settings: Settings) -> FastAPI:
        app = FastAPI()
        app.get("/ping")(lambda: {"local_mode": settings.local_mode})
        return app

    for name, module in [("store.db", db), ("store.seed", seed)]:
        monkeypatch.setitem(sys.modules, name, module)
    return Parts(app=create_app, worker=run_worker)


async def _run_once(settings: Settings, parts: Parts, seen: dict[str, Any], check: Any) -> None:
    """Start the stack, wait for the API, run ``check``, then SIGTERM and wait for the end."""
    task = asyncio.create_task(run_stack(settings, parts))
    url = f"http://127.0.0.1:{settings.api_port}/ping"
    async with httpx.AsyncClient(timeout=2) as http:
        while True:
            assert not task.done(), task.exception()
            try:
                response = await http.get(url)
                break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        assert response.json() == {"local_mode": True}
        mail = await http.get(f"http://127.0.0.1:{settings.mail_web_port}/api/messages")
        assert mail.status_code == 200
    while "client" not in seen:
        await asyncio.sleep(0.05)
    await check(seen["client"])
    signal.raise_signal(signal.SIGTERM)  # handled by run_stack: a graceful stop
    await asyncio.wait_for(task, 20)


@pytest.mark.skipif(find_temporal_binary() is None, reason="temporal CLI not installed")
async def test_run_stack_starts_all_stops_all_and_keeps_data(
    tmp_path: Path,
    free_ports: Callable[[int], list[int]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    temporal_port, smtp_port, web_port, api_port = free_ports(4)
    settings = Settings(
        data_dir=tmp_path,
        temporal_address=f"127.0.0.1:{temporal_port}",
        smtp_port=smtp_port,
        mail_web_port=web_port,
        api_port=api_port,
    )
    seen: dict[str, Any] = {}
    parts = _fake_parts(monkeypatch, seen)

    async def start_a_workflow(client: Client) -> None:
        await client.start_workflow("Nothing", id="persist-check", task_queue="nowhere")

    async def find_the_workflow(client: Client) -> None:
        await client.get_workflow_handle("persist-check").describe()

    async with asyncio.timeout(45):
        await _run_once(settings, parts, seen, start_a_workflow)
        assert seen["seed"].demo_accounts and seen["seed"].local_mode
        assert seen["schema"].database_url.endswith(f"{tmp_path.as_posix()}/redress.db")
        assert seen["prepared"] == 1  # migrations run once per start, not again by the seed
        for port in (temporal_port, smtp_port, web_port, api_port):
            assert await _closed(port), port
        seen.clear()
        await _run_once(
            settings, parts, seen, find_the_workflow
        )  # the Temporal SQLite file persisted

    out = capsys.readouterr().out
    assert f"http://127.0.0.1:{api_port}/docs" in out
    assert f"http://127.0.0.1:{web_port}" in out
    assert f"http://127.0.0.1:{temporal_port + 1000}" in out
    assert DEMO_ACCOUNTS in out
    assert out.count("Stopped.") == 2


@pytest.mark.skipif(find_temporal_binary() is None, reason="temporal CLI not installed")
async def test_a_crashed_worker_stops_the_whole_stack(
    tmp_path: Path,
    free_ports: Callable[[int], list[int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    temporal_port, smtp_port, web_port, api_port = free_ports(4)
    settings = Settings(
        data_dir=tmp_path,
        temporal_address=f"127.0.0.1:{temporal_port}",
        smtp_port=smtp_port,
        mail_web_port=web_port,
        api_port=api_port,
    )
    parts = _fake_parts(monkeypatch, {})

    async def broken_worker(settings: Settings) -> None:
        await asyncio.sleep(0.5)
        raise ValueError("no activities registered")

    parts = Parts(app=parts.app, worker=broken_worker)
    async with asyncio.timeout(30):
        with pytest.raises(RuntimeError, match="worker stopped unexpectedly.*no activities"):
            await run_stack(settings, parts)
    for port in (temporal_port, smtp_port, web_port, api_port):
        assert await _closed(port), port


async def test_migrate_prepares_the_database_for_production(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from store import covenants, people
    from store.db import make_engine, session_scope

    url = f"sqlite:///{(tmp_path / 'prod.db').as_posix()}"
    migrate, _ = COMMANDS["migrate"]
    await migrate(Settings(data_dir=tmp_path, database_url=url))
    from store.covenants import load_covenant_files

    shipped = next(c for c in load_covenant_files() if c.slug == "garments-textile")
    assert f"garments-textile v{shipped.procedure.version}" in capsys.readouterr().out
    await migrate(Settings(data_dir=tmp_path, database_url=url))  # again: nothing to add
    assert "none new" in capsys.readouterr().out
    engine = make_engine(url)
    with session_scope(engine) as session:
        slugs = {c.slug for c in covenants.list_covenants(session=session)}
        assert slugs == {"garments-textile", "natural-stone"}
        assert people.find_user(session=session, username="chair") is None  # no demo data
    engine.dispose()
