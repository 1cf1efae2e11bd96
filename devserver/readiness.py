"""Whether the local stack's parts are ready: a TCP port accepting connections, an HTTP
server answering a GET."""

from __future__ import annotations

import asyncio
import contextlib


async def answers(host: str, port: int) -> bool:
    """Whether something accepts TCP connections on host:port."""
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 1)
    except (OSError, TimeoutError):
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True


async def answers_http(host: str, port: int, path: str) -> bool:
    """Whether an HTTP server answers a GET of ``path`` (with any status)."""
    try:
        async with asyncio.timeout(5):
            reader, writer = await asyncio.open_connection(host, port)
            try:
                writer.write(f"GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
                await writer.drain()
                status = await reader.readline()
            finally:
                writer.close()
                with contextlib.suppress(OSError):
                    await writer.wait_closed()
    except (OSError, TimeoutError):
        return False
    return status.startswith(b"HTTP/")


async def all_answer(addresses: list[tuple[str, int]]) -> bool:
    """Whether every host:port accepts TCP connections."""
    return all([await answers(host, port) for host, port in addresses])
