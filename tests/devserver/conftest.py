"""Shared helpers for the local-stack tests."""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest


def _free_ports(count: int) -> list[int]:
    """Distinct ports that were free a moment ago (bound together, then released)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


@pytest.fixture
def free_ports() -> Callable[[int], list[int]]:
    """Factory for free TCP ports on 127.0.0.1."""
    return _free_ports
