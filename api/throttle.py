"""The throttle as a request sees it: the application's counters and the client's address."""

from __future__ import annotations

import ipaddress

from fastapi import Request

from core.settings import Settings
from services.throttling import Throttle


def throttle_of(request: Request) -> Throttle:
    """The application's throttle."""
    found = request.app.state.throttle
    assert isinstance(found, Throttle)
    return found


def client_address(request: Request, settings: Settings) -> str:
    """The client's address: the peer's, or behind a trusted proxy (``REDRESS_TRUSTED_PROXIES``)
    the nearest address in ``X-Forwarded-For`` that is not itself a trusted proxy."""
    peer = request.client.host if request.client else "unknown"
    trusted = [ipaddress.ip_network(n.strip()) for n in settings.trusted_proxies.split(",") if n]

    def is_trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in trusted)

    if not is_trusted(peer):
        return peer
    forwarded = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        if not is_trusted(address):
            return address
    return peer
