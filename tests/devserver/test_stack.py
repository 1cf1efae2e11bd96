"""The local stack runs Temporal, the API, the worker and the mail sink as processes of their
own; SIGTERM or SIGINT stops every one of them and frees every port; a part that dies takes
the whole stack down, naming it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine
from sqlalchemy import text as sql

from core.settings import Settings
from devserver.processes import PartDied, child_environment, describe_exit
from devserver.stack import DEMO_ACCOUNTS, Parts, local_settings, run_stack
from devserver.temporal import find_temporal_binary
from redress.cli import COMMANDS, cli, local_stack_parts, main
from tests.devserver.procs import all_gone, children, closed, descendants, needs_proc
from tests.faults.driver import complaint

needs_temporal = pytest.mark.skipif(
    find_temporal_binary() is None, reason="temporal CLI not installed"
)
BANNER_END = "Press Ctrl-C to stop."


def test_local_settings_switch_on_local_mode_and_keep_data_in_the_data_dir(
    tmp_path: Path,
) -> None:
    settings = local_settings(Settings(data_dir=tmp_path))
    assert settings.local_mode and settings.demo_accounts
    assert settings.database_url == f"sqlite:///{tmp_path.as_posix()}/redress.db"
    assert settings.mail_sink_url == "http://127.0.0.1:8025"
    explicit = local_settings(Settings(data_dir=tmp_path, database_url="sqlite:///x.db"))
    assert explicit.database_url == "sqlite:///x.db"


def test_the_parts_read_the_very_settings_of_the_stack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = local_settings(
        Settings(data_dir=tmp_path, api_processes=3, smtp_starttls=False, api_port=9123)
    )
    base = {"PATH": "/bin", "REDRESS_SMTP_USERNAME": "left-over", "REDRESS_API_PORT": "1"}
    env = child_environment(settings, base)
    assert env["PATH"] == "/bin" and env["PYTHONUNBUFFERED"] == "1"
    assert "REDRESS_SMTP_USERNAME" not in env  # None in the stack: unset in the part
    for key in [k for k in os.environ if k.startswith("REDRESS_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        if key.startswith("REDRESS_"):
            monkeypatch.setenv(key, value)
    assert Settings() == settings


def test_cli_has_every_subcommand() -> None:
    stack_commands = {"run", "api", "worker", "seed-demo", "mail-sink", "migrate"}
    assert stack_commands <= set(cli.commands)
    assert set(COMMANDS) == stack_commands
    assert main([]) == 2  # no command: usage, as argparse answered
    assert main(["run", "--api-processes", "0"]) == 2  # at least one process
    assert describe_exit(3) == "exit code 3" and describe_exit(-9) == "killed by SIGKILL"


# --- processes ---------------------------------------------------------------------------


def _one(processes: dict[int, str], marker: str) -> int:
    (pid,) = [pid for pid, argv in processes.items() if marker in argv]
    return pid


def _settings(tmp_path: Path, free_ports: Callable[[int], list[int]], **more: Any) -> Settings:
    temporal_port, smtp_port, web_port, api_port, sms_port, inbound_port = free_ports(6)
    return Settings(
        data_dir=tmp_path,
        temporal_address=f"127.0.0.1:{temporal_port}",
        smtp_port=smtp_port,
        mail_web_port=web_port,
        api_port=api_port,
        sms_web_port=sms_port,  # the fake SMS gateway's page
        inbound_smtp_port=inbound_port,  # the reply receiver
        public_url=f"http://127.0.0.1:{api_port}",
        **more,
    )


def _ports(settings: Settings) -> list[int]:
    temporal_port = int(settings.temporal_address.rsplit(":", 1)[1])
    return [
        temporal_port,
        temporal_port + 1000,  # the Temporal UI
        settings.smtp_port,
        settings.mail_web_port,
        settings.api_port,
        settings.sms_web_port,
        settings.inbound_smtp_port,
    ]


async def _until_running(
    task: asyncio.Task[None], capsys: pytest.CaptureFixture[str], out: list[str]
) -> None:
    """Wait for the banner, keeping what the stack printed in ``out``."""
    while BANNER_END not in "".join(out):
        assert not task.done(), task.exception()
        out.append(capsys.readouterr().out)
        await asyncio.sleep(0.1)


@needs_temporal
@needs_proc
async def test_each_part_runs_in_a_process_of_its_own_until_sigterm(
    tmp_path: Path,
    free_ports: Callable[[int], list[int]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = _settings(tmp_path, free_ports, api_processes=2)
    out: list[str] = []
    before = set(descendants(os.getpid()))  # e.g. another suite's Temporal, in a full run
    async with asyncio.timeout(120):
        task = asyncio.create_task(run_stack(settings, local_stack_parts()))
        await _until_running(task, capsys, out)

        ours = {p: argv for p, argv in children(os.getpid()).items() if p not in before}
        api = _one(ours, "redress.cli api")
        worker = _one(ours, "redress.cli worker")
        sink = _one(ours, "redress.cli mail-sink")
        temporal = _one(ours, "server start-dev")
        assert len({os.getpid(), api, worker, sink, temporal}) == 5
        api_processes = [p for p, argv in children(api).items() if "spawn_main" in argv]
        assert len(api_processes) == 2  # REDRESS_API_PROCESSES reached `redress api`

        async with httpx.AsyncClient(timeout=60) as http:
            filed = await http.post(
                f"http://127.0.0.1:{settings.api_port}/api/v1/complaints", json=complaint()
            )
            assert filed.status_code == 201, filed.text
            reference = filed.json()["reference"]
            mail_url = f"http://127.0.0.1:{settings.mail_web_port}/api/messages"
            while not any(reference in m["subject"] for m in (await http.get(mail_url)).json()):
                await asyncio.sleep(0.2)  # the worker's notice reaches the sink's process

        signal.raise_signal(signal.SIGTERM)  # handled by run_stack: a graceful stop
        await task
    out.append(capsys.readouterr().out)
    assert await all_gone([api, worker, sink, temporal, *api_processes])
    for port in _ports(settings):
        assert await closed(port), port
    text = "".join(out)
    api_url = f"http://127.0.0.1:{settings.api_port}"
    assert f"{api_url}/docs; served by 2 processes" in text
    assert f"api {api}, worker {worker}, mail-sink {sink}, temporal {temporal}" in text
    assert f"http://127.0.0.1:{settings.mail_web_port}" in text
    assert DEMO_ACCOUNTS in text
    assert f"{'api':<9} | " in text and "mail-sink | " in text  # their output, named
    assert text.rstrip().endswith("Stopped.")
    # Its data stays: the case in the read model, the workflow in Temporal's file, the logs.
    engine = create_engine(f"sqlite:///{tmp_path / 'redress.db'}")
    with engine.connect() as connection:
        count = "SELECT count(*) FROM cases WHERE reference = :reference"
        assert connection.execute(sql(count), {"reference": reference}).scalar() == 1
    engine.dispose()
    assert (tmp_path / "temporal.db").stat().st_size > 0
    assert "POST /api/v1/complaints" in (tmp_path / "logs" / "api.log").read_text()


def _read_lines(stream: Any, lines: list[str], running: threading.Event) -> None:
    for raw in iter(stream.readline, b""):
        lines.append(raw.decode(errors="replace"))
        if BANNER_END in lines[-1]:
            running.set()


@needs_temporal
@needs_proc
async def test_redress_run_stops_every_process_on_ctrl_c(
    tmp_path: Path, free_ports: Callable[[int], list[int]]
) -> None:
    settings = _settings(tmp_path, free_ports)
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDRESS_")}
    env.update(
        REDRESS_DATA_DIR=str(tmp_path),
        REDRESS_TEMPORAL_ADDRESS=settings.temporal_address,
        REDRESS_SMTP_PORT=str(settings.smtp_port),
        REDRESS_MAIL_WEB_PORT=str(settings.mail_web_port),
        REDRESS_API_PORT=str(settings.api_port),
    )
    command = [sys.executable, "-m", "redress.cli", "run", "--api-processes", "2"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: list[str] = []
    running = threading.Event()
    reader = threading.Thread(target=_read_lines, args=(process.stdout, lines, running))
    reader.start()
    try:
        assert await asyncio.to_thread(running.wait, 90), "".join(lines)
        below = descendants(process.pid)
        assert len(below) >= 6, below  # temporal, the API (and its 2), worker, mail sink
        async with httpx.AsyncClient(timeout=10) as http:
            health = await http.get(f"http://127.0.0.1:{settings.api_port}/healthz")
            assert health.status_code == 200, health.text
            assert "server" not in health.headers  # uvicorn's name is not sent
        process.send_signal(signal.SIGINT)  # Ctrl-C
        assert await asyncio.to_thread(process.wait, 60) == 0, "".join(lines)
    finally:
        if process.poll() is None:
            process.kill()
        await asyncio.to_thread(reader.join, 10)
    assert await all_gone(below)
    for port in _ports(settings):
        assert await closed(port), port
    assert "SIGINT: stopping every part" in "".join(lines)
    assert lines[-1].strip() == "Stopped."


@needs_temporal
@needs_proc
async def test_a_part_that_is_killed_stops_the_whole_stack_naming_it(
    tmp_path: Path, free_ports: Callable[[int], list[int]], capsys: pytest.CaptureFixture[str]
) -> None:
    settings = _settings(tmp_path, free_ports, api_processes=2)
    out: list[str] = []
    before = set(descendants(os.getpid()))  # e.g. another suite's Temporal, in a full run
    async with asyncio.timeout(120):
        task = asyncio.create_task(run_stack(settings, local_stack_parts()))
        await _until_running(task, capsys, out)
        api = _one(children(os.getpid()), "redress.cli api")
        orphans = list(children(api))  # its own processes, left behind when it is killed
        everything = [p for p in descendants(os.getpid()) if p not in before]
        os.kill(api, signal.SIGKILL)
        with pytest.raises(PartDied) as died:
            await task
    message = str(died.value)
    assert message.startswith(f"the api (pid {api}) stopped unexpectedly (killed by SIGKILL)")
    assert str(tmp_path / "logs" / "api.log") in message
    assert "Application startup complete." in message  # its last lines
    assert f"Stopping everything: the api (pid {api})" in capsys.readouterr().out
    assert orphans and await all_gone([*everything, *orphans])
    for port in _ports(settings):
        assert await closed(port), port


@needs_temporal
@needs_proc
async def test_a_part_that_exits_while_starting_stops_the_whole_stack_naming_it(
    tmp_path: Path, free_ports: Callable[[int], list[int]]
) -> None:
    settings = _settings(tmp_path, free_ports)
    python = sys.executable
    parts = Parts(
        api=[python, "-c", "import time; time.sleep(120)"],  # never answers
        worker=[
            python,
            "-c",
            "import time; print('no activities registered', flush=True); time.sleep(0.5); "
            "raise SystemExit(3)",
        ],
        mail_sink=[python, "-m", "redress.cli", "mail-sink"],
    )
    before = set(descendants(os.getpid()))  # e.g. another suite's Temporal, in a full run
    async with asyncio.timeout(60):
        with pytest.raises(PartDied) as died:
            await run_stack(settings, parts)
    message = str(died.value)
    assert "the worker (pid " in message and "stopped unexpectedly (exit code 3)" in message
    assert "  no activities registered" in message
    assert "no activities registered" in (tmp_path / "logs" / "worker.log").read_text()
    markers = ("redress.cli", "time.sleep", "start-dev")
    started = {p: argv for p, argv in children(os.getpid()).items() if p not in before}
    left = [argv for argv in started.values() if any(m in argv for m in markers)]
    assert not left
    for port in _ports(settings):
        assert await closed(port), port


async def test_migrate_prepares_the_database_for_production(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from store import covenants, people
    from store.db import make_engine, session_scope

    url = f"sqlite:///{(tmp_path / 'prod.db').as_posix()}"
    migrate, _ = COMMANDS["migrate"]

    async def run_migrate() -> None:
        running = migrate(Settings(data_dir=tmp_path, database_url=url))
        assert running is not None
        await running

    await run_migrate()
    from store.covenants import load_covenant_files

    shipped = next(c for c in load_covenant_files() if c.slug == "garments-textile")
    assert f"garments-textile v{shipped.procedure.version}" in capsys.readouterr().out
    await run_migrate()  # again: nothing to add
    assert "none new" in capsys.readouterr().out
    engine = make_engine(url)
    with session_scope(engine) as session:
        slugs = {c.slug for c in covenants.list_covenants(session=session)}
        assert slugs == {c.slug for c in load_covenant_files()}
        assert {"garments-textile", "natural-stone", "banking", "gold", "forest"} <= slugs
        assert people.find_user(session=session, username="chair") is None  # no demo data
    engine.dispose()
