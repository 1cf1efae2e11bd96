"""The Temporal client every process uses: the domain's payloads, encrypted and signed."""

from __future__ import annotations

from temporalio.client import Client, Interceptor
from temporalio.runtime import Runtime
from temporalio.service import TLSConfig

from core.claims import ClaimSigner, claim_key
from core.codec import data_converter
from core.log_context import CaseClientContext
from core.settings import Settings
from core.tracing import Tracing, tracing_from_settings


def interceptors(settings: Settings, tracing: Tracing | None = None) -> list[Interceptor]:
    """The client's interceptors: the case of each call in the caller's log context, the
    actor's signed claims, and (tracing on) Temporal's tracing, which a worker built on the
    client takes too. ``tracing`` defaults to the process's (``REDRESS_TRACING_ENDPOINT``)."""
    chain: list[Interceptor] = [CaseClientContext(), ClaimSigner(claim_key(settings.secret_key))]
    tracing = tracing if tracing is not None else tracing_from_settings(settings)
    if tracing is not None:
        chain.insert(0, tracing.temporal_interceptor())  # outermost: spans cover the rest
    return chain


async def connect(
    settings: Settings, runtime: Runtime | None = None, *, tracing: Tracing | None = None
) -> Client:
    """A Temporal client that speaks the domain's pydantic payloads, encrypted
    (``core.codec``), over TLS or with an API key when configured; on ``runtime`` if given
    (the worker's, exporting the SDK's metrics), else the SDK's default; traced when
    ``tracing`` is given or configured (``interceptors``)."""
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
        interceptors=interceptors(settings, tracing),
        tls=tls or bool(settings.temporal_api_key),
        api_key=settings.temporal_api_key,
        runtime=runtime,
    )
