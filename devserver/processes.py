"""The local stack's parts as OS processes of their own.

Each ``Child`` is one command (the API, the worker, the mail sink) started with the stack's
settings in its environment, in a session of its own (a Ctrl-C at the terminal reaches only
the stack, which stops the parts in order). Its output is shown on the terminal, each line
prefixed with the part's name, and kept in a log file; the last lines are kept for the
message that reports a part that ended on its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from devserver.temporal import parent_death_hook

if TYPE_CHECKING:
    from core.settings import Settings

PREFIX_WIDTH = 9  # "mail-sink"
TAIL_LINES = 20


class PartDied(RuntimeError):
    """A part of the stack ended while it should have been running."""


def settings_environment(settings: Settings) -> dict[str, str | None]:
    """Every setting as the REDRESS_* variable that gives it (None: leave unset), so that a
    child process reads the very settings the stack runs with."""
    variables: dict[str, str | None] = {}
    for name, value in settings.model_dump(mode="json").items():
        if value is None:
            text = None
        elif isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, dict | list):
            text = json.dumps(value)
        else:
            text = str(value)
        variables[f"REDRESS_{name.upper()}"] = text
    return variables


def child_environment(settings: Settings, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment with the stack's settings, unbuffered Python output."""
    env = dict(os.environ if base is None else base)
    for key, value in settings_environment(settings).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    env["PYTHONUNBUFFERED"] = "1"  # lines reach the terminal as they are written
    return env


def describe_exit(code: int) -> str:
    """An exit status in words: a code, or the signal that ended the process."""
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
    return f"exit code {code}"


def end_with_parent() -> None:
    """Ask the kernel to SIGTERM this process when its parent ends (Linux; elsewhere a no-op):
    for processes that a supervisor started, which would outlive it if it were killed."""
    hook = parent_death_hook()
    if hook is not None:
        hook()


def tail_of(path: Path, lines: int = TAIL_LINES) -> list[str]:
    """The last lines of a log file (none when it cannot be read)."""
    try:
        return path.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return []


class Child:
    """One part of the stack as a process: started, watched, stopped (then its group killed,
    so that no process it started outlives it)."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        log_path: Path,
        stop_timeout: float,
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.env = dict(env)
        self.log_path = log_path
        self.stop_timeout = stop_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.tail: deque[str] = deque(maxlen=TAIL_LINES)
        self._log: IO[bytes] | None = None
        self._reader: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        """The process id, once started."""
        return self.process.pid if self.process is not None else None

    @property
    def returncode(self) -> int | None:
        """None while running (or never started), else how it ended."""
        return self.process.poll() if self.process is not None else None

    def start(self) -> None:
        """Start the command; call it from the event loop's thread (see parent_death_hook)."""
        if self.process is not None:
            raise RuntimeError(f"the {self.name} was already started")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab", buffering=0)
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        self._log.write(f"\n--- {stamp} starting: {' '.join(self.argv)}\n".encode())
        self.process = subprocess.Popen(
            self.argv,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=parent_death_hook(),  # SIGTERM when the stack dies without stopping it
        )
        assert self.process.stdout is not None
        self._reader = threading.Thread(
            target=self._copy_output,
            args=(self.process.stdout,),
            name=f"{self.name} output",
            daemon=True,
        )
        self._reader.start()

    def _copy_output(self, stream: IO[bytes]) -> None:
        """Each line to the terminal with the part's name, and to the log file as it is."""
        with stream:
            for raw in iter(stream.readline, b""):
                if self._log is not None:
                    with contextlib.suppress(OSError, ValueError):
                        self._log.write(raw)
                line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
                self.tail.append(line)
                with contextlib.suppress(OSError, ValueError):
                    sys.stdout.write(f"{self.name:<{PREFIX_WIDTH}} | {line}\n")
                    sys.stdout.flush()

    async def wait(self) -> int:
        """Wait for the process to end (polled: a grandchild may hold its output open)."""
        assert self.process is not None
        while (code := self.process.poll()) is None:
            await asyncio.sleep(0.1)
        return code

    async def obituary(self) -> str:
        """What to say about a part that ended on its own: which, how, and its last lines."""
        code = await self.wait()
        await self._drain(2)
        lines = "\n".join(f"  {line}" for line in self.tail) or "  (no output)"
        return (
            f"the {self.name} (pid {self.pid}) stopped unexpectedly ({describe_exit(code)}); "
            f"its last lines (all of them in {self.log_path}):\n{lines}"
        )

    async def stop(self, force: asyncio.Event) -> int | None:
        """SIGTERM, then SIGKILL to its whole process group after ``stop_timeout`` seconds or
        as soon as ``force`` is set; its exit status (None if it never started)."""
        process = self.process
        if process is None:
            return None
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
            ended = asyncio.ensure_future(self.wait())
            forced = asyncio.ensure_future(force.wait())
            try:
                await asyncio.wait(
                    {ended, forced}, timeout=self.stop_timeout, return_when=asyncio.FIRST_COMPLETED
                )
            finally:
                forced.cancel()
                ended.cancel()
            if process.poll() is None:
                late = f"The {self.name} did not stop within {self.stop_timeout:.0f} s: killing it."
                print(f"Killing the {self.name}." if force.is_set() else late, flush=True)
                self._kill_group()
        code = await self.wait()
        self._kill_group()  # what it started and left behind (e.g. API processes)
        await self._drain(5)
        if self._log is not None:
            self._log.write(f"--- stopped: {describe_exit(code)}\n".encode())
            self._log.close()
            self._log = None
        return code

    def _kill_group(self) -> None:
        """SIGKILL the process group the child leads (its own session's)."""
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)

    async def _drain(self, timeout: float) -> None:
        """Let the output copier read what is left (bounded)."""
        if self._reader is not None:
            await asyncio.to_thread(self._reader.join, timeout)


@contextlib.contextmanager
def stop_on_signals(stop: asyncio.Event, force: asyncio.Event) -> Iterator[None]:
    """SIGINT/SIGTERM set ``stop`` (stop in order); a second one sets ``force`` (kill)."""
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)

    def handle(sig: signal.Signals) -> None:
        if not stop.is_set():
            print(f"\n{sig.name}: stopping every part (again to kill them) …", flush=True)
            stop.set()
        elif not force.is_set():
            print(f"\n{sig.name}: killing every part …", flush=True)
            force.set()

    for sig in signals:
        loop.add_signal_handler(sig, handle, sig)
    try:
        yield
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)
