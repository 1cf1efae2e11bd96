"""The Temporal client every process uses: the domain's payloads, encrypted and signed."""

from __future__ import annotations

from temporalio.client import Client
from temporalio.runtime import Runtime
from temporalio.service import TLSConfig

from core.claims import ClaimSigner, claim_key
from core.codec import data_converter
from core.settings import Settings


async def connect(settings: Settings, runtime: Runtime | None = None) -> Client:
    """A Temporal client that speaks the domain's pydantic payloads, encrypted
    (``core.codec``), over TLS or with an API key when configured; on ``runtime`` if given
    (the worker's, exporting the SDK's metrics), else the SDK's default."""
    tls: TLSConfig | bool = False
    if settings.temporal_tls_cert or settings.temporal_tls_ca:
        tls = TLSConfig(
            client_cert=settings.temporal_tls_cert.read_bytes()
            if settings.temporal_tls_cert
            else None,
            client_private_key=settings.temporal_tls_key.read_bytes()
            if settings.temporal_tls_key
            else None,
            server_root_ca_cert=settings.temporal_tls_ca.read_bytes()
            if settings.temporal_tls_ca
            else None,
        )
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=data_converter(settings),
        interceptors=[ClaimSigner(claim_key(settings.secret_key))],
        tls=tls or bool(settings.temporal_api_key),
        api_key=settings.temporal_api_key,
        runtime=runtime,
    )
