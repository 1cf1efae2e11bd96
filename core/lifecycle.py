"""A process's life: stop on SIGINT/SIGTERM, and cancel work with a bounded wait."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Iterator
from typing import Any

log = logging.getLogger(__name__)

STOP_TIMEOUT = 15.0  # seconds a worker gets to finish its tasks when asked to stop


@contextlib.contextmanager
def stop_on_signals(stop: asyncio.Event) -> Iterator[None]:
    """SIGINT/SIGTERM set ``stop``; a second one restores the default (hard) behaviour."""
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)

    def handle(sig: signal.Signals) -> None:
        if not stop.is_set():
            print(f"\n{sig.name}: stopping (again to force) …", flush=True)
            stop.set()
            return
        for s in signals:
            loop.remove_signal_handler(s)
        signal.raise_signal(sig)

    for sig in signals:
        loop.add_signal_handler(sig, handle, sig)
    try:
        yield
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)


async def cancel(task: asyncio.Task[Any], timeout: float) -> None:
    """Cancel a task and wait (bounded) for it; a task that already ended is left alone."""
    if task.done():
        return
    task.cancel()
    try:
        await asyncio.wait_for(task, timeout)
    except (asyncio.CancelledError, TimeoutError):
        pass
    except Exception:
        log.warning("the %s failed while stopping", task.get_name(), exc_info=True)


async def wait_for_signal() -> None:
    """Return on SIGINT or SIGTERM."""
    stop = asyncio.Event()
    with stop_on_signals(stop):
        await stop.wait()


async def run_until_signal(work: Awaitable[Any]) -> None:
    """Run ``work`` until it ends or SIGINT/SIGTERM cancels it."""
    task = asyncio.ensure_future(work)
    waiter = asyncio.ensure_future(wait_for_signal())
    try:
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()
        if not task.done():
            await cancel(task, STOP_TIMEOUT)
    if task.done() and not task.cancelled():
        task.result()
