"""What the local-stack tests look at from outside: processes (Linux /proc) and ports."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path

import pytest

from devserver.temporal import port_is_open

needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


def process_info(pid: int) -> tuple[int, str] | None:
    """(parent pid, command line) of a live process; None once it is gone (or a zombie)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        argv = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    state, ppid = stat.rsplit(")", 1)[1].split()[:2]
    if state == "Z":
        return None
    return int(ppid), argv.replace(b"\0", b" ").decode(errors="replace")


def children(pid: int) -> dict[int, str]:
    """The live processes whose parent is ``pid``, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (info := process_info(int(entry.name))) and info[0] == pid:
            found[int(entry.name)] = info[1]
    return found


def descendants(pid: int) -> list[int]:
    """Every live process below ``pid``."""
    found = []
    for child in children(pid):
        found += [child, *descendants(child)]
    return found


async def all_gone(pids: Iterable[int]) -> bool:
    """Whether every one of these processes has ended (bounded wait)."""
    pids = list(pids)
    for _ in range(50):
        if all(process_info(pid) is None for pid in pids):
            return True
        await asyncio.sleep(0.1)
    return False


async def closed(port: int) -> bool:
    """Whether nothing listens on 127.0.0.1:port any more (bounded wait)."""
    for _ in range(50):
        if not port_is_open("127.0.0.1", port):
            return True
        await asyncio.sleep(0.1)
    return False
