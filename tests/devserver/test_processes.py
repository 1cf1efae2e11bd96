"""A part of the stack as a process: its output named on the terminal and kept in its log,
stopped with SIGTERM, killed when it does not stop in time or when the stop is forced."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from devserver.processes import Child

STUBBORN = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    "print('ignoring SIGTERM', flush=True); time.sleep(3600)"
)


def _child(tmp_path: Path, code: str, stop_timeout: float) -> Child:
    argv = [sys.executable, "-c", code]
    return Child("part", argv, env={}, log_path=tmp_path / "part.log", stop_timeout=stop_timeout)


async def _until_said(child: Child, line: str) -> None:
    async with asyncio.timeout(30):
        while line not in child.tail:
            assert child.returncode is None, list(child.tail)
            await asyncio.sleep(0.05)


async def test_output_is_named_on_the_terminal_and_kept_in_the_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = (
        "import sys; print('first', flush=True); sys.stderr.write('second\\n'); "
        "print('x' * 100000, end='')"
    )
    child = _child(tmp_path, code, stop_timeout=10)
    child.start()
    assert await child.wait() == 0
    assert await child.stop(asyncio.Event()) == 0
    out = capsys.readouterr().out
    assert "part      | first\npart      | second\n" in out
    assert f"part      | {'x' * 100000}\n" in out  # a long last line without a newline too
    assert list(child.tail)[:2] == ["first", "second"]
    log = (tmp_path / "part.log").read_text()
    assert "starting:" in log and "first\nsecond\n" in log and log.endswith("exit code 0\n")


async def test_sigterm_stops_it(tmp_path: Path) -> None:
    child = _child(tmp_path, "import time; print('up', flush=True); time.sleep(3600)", 60)
    child.start()
    await _until_said(child, "up")
    assert await child.stop(asyncio.Event()) == -15
    assert child.returncode == -15


async def test_one_that_ignores_sigterm_is_killed_after_its_stop_timeout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    child = _child(tmp_path, STUBBORN, stop_timeout=1)
    child.start()
    await _until_said(child, "ignoring SIGTERM")
    assert await child.stop(asyncio.Event()) == -9
    assert "The part did not stop within 1 s: killing it." in capsys.readouterr().out
    assert (tmp_path / "part.log").read_text().endswith("killed by SIGKILL\n")


async def test_a_forced_stop_kills_it_without_waiting_for_the_timeout(tmp_path: Path) -> None:
    child = _child(tmp_path, STUBBORN, stop_timeout=3600)
    child.start()
    await _until_said(child, "ignoring SIGTERM")
    force = asyncio.Event()
    async with asyncio.timeout(60):  # a hang guard: without the force it would wait an hour
        stopping = asyncio.create_task(child.stop(force))
        await asyncio.sleep(0.2)
        assert not stopping.done()  # SIGTERM alone does not end it
        force.set()
        assert await stopping == -9
