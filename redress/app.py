"""The FastAPI application: ``create_app(settings)`` wires state, routers and error bodies."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy import Engine
from temporalio.client import Client

from api.body_limit import BodyLimit
from api.compression import Compression
from api.errors import answer_json_under, install_error_handlers
from api.headers import SecurityHeaders
from api.metrics import RequestTimer
from api.metrics import router as metrics_router
from api.pages import email_drafts, portal, sms_notices
from api.pages.errors import error_page
from api.pages.public import install_pages
from api.routes import (
    access_codes,
    auth,
    cases,
    codec,
    covenants,
    documents,
    filings,
    health,
    locations,
    organisations,
    register,
    sms,
    stats,
    users,
)
from api.static_files import install_static
from core.codec import codec_from_settings
from core.log_context import RequestLog
from core.settings import Settings
from core.temporal_client import connect
from core.tracing import NO_TELEMETRY, CaseSpan, Tracing, tracing_from_settings
from notifications.mailer import Mailer, SmtpMailer
from services.engine import CONNECT_TIMEOUT
from services.throttling import Throttle
from store import filing_keys, people
from store.db import engine_from_settings, session_scope
from store.rate_counters import SqlStorage

log = logging.getLogger("redress.api")

DESCRIPTION = """\
Case management for complaints, signals and disputes under Dutch responsible-business covenants.

Sign in with `POST /api/v1/auth/token` and send `Authorization: Bearer <token>`; a
complainant without an account sends the case's access code as `X-Access-Code`.
Unknown cases and cases the caller may not see both answer 404.
"""


PURGE_EVERY = 3600.0  # seconds between purges of expired tokens and old idempotency keys


async def purge_forever(engine: Engine, settings: Settings) -> None:
    """Delete expired bearer and one-time tokens and old idempotency keys, now and hourly."""
    while True:
        try:
            counts = await asyncio.to_thread(purge_now, engine, settings)
            log.info("purged %s", ", ".join(f"{n} {what}" for what, n in counts.items()))
        except Exception as exc:  # the next round tries again; never the API's concern
            log.warning("purging failed: %s", type(exc).__name__)
        await asyncio.sleep(PURGE_EVERY)


def purge_now(engine: Engine, settings: Settings) -> dict[str, int]:
    """One purge in its own transaction; how many of each were deleted."""
    now = datetime.now(UTC)
    keys_before = now - timedelta(days=settings.idempotency_keep_days)
    with session_scope(engine) as session:
        counts = people.purge_expired(session=session, now=now, keys_before=keys_before)
        # Filing keys go with the access codes sealed in them, after the same time.
        counts["filing keys"] = filing_keys.purge_filing_keys(session=session, before=keys_before)
    counts["rate counters"] = SqlStorage(engine=engine).purge()
    return counts


def create_app(
    settings: Settings,
    *,
    engine: Engine | None = None,
    client: Client | None = None,
    mailer: Mailer | None = None,
    tracing: Tracing | None = None,
) -> FastAPI:
    """The API application; tests may inject the engine, the Temporal client and the mailer
    (which sends invitations and reset links), and tracing (else the process's, when
    ``REDRESS_TRACING_ENDPOINT`` is set). Refuses the default key outside local mode."""
    settings.refuse_unsafe()
    tracing = tracing if tracing is not None else tracing_from_settings(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own_engine = app.state.engine is None
        if own_engine:
            app.state.engine = engine_from_settings(settings)
            app.state.throttle = Throttle(app.state.engine)
        if app.state.temporal is None:
            try:
                app.state.temporal = await asyncio.wait_for(
                    connect(settings, tracing=tracing), CONNECT_TIMEOUT
                )
            except Exception as exc:
                # Start anyway: /healthz says so, and the client connects on first use.
                log.warning(
                    "Temporal at %s is not reachable (%s); will retry on use",
                    settings.temporal_address,
                    type(exc).__name__,
                )
        purging = asyncio.create_task(purge_forever(app.state.engine, settings))
        try:
            yield
        finally:
            purging.cancel()
            if own_engine:
                app.state.engine.dispose()
                app.state.engine = None

    app = FastAPI(
        title="Redress API",
        description=DESCRIPTION,
        version="1.0.0",
        lifespan=lifespan,
        # Tracing on: a server span per request, continuing the caller's traceparent.
        telemetry=tracing.fastapi_telemetry() if tracing is not None else NO_TELEMETRY,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.temporal = client
    app.state.mailer = mailer if mailer is not None else SmtpMailer.from_settings(settings)
    app.state.codec = codec_from_settings(settings)
    app.state.temporal_lock = asyncio.Lock()
    app.state.throttle = Throttle(engine) if engine is not None else None
    install_error_handlers(app)
    for module in (
        health,
        auth,
        filings,
        cases,
        access_codes,
        documents,
        locations,
        covenants,
        organisations,
        users,
        stats,
        register,
        codec,
        sms,
    ):
        app.include_router(module.router)
    app.include_router(metrics_router)
    install_static(app)  # /static: the hashed names, compressed
    install_pages(app)
    answer_json_under(app, ("/codec/",))  # the Temporal UI's codec speaks JSON, errors too
    app.include_router(portal.router)
    app.include_router(email_drafts.router)  # the secretariat's e-mailed complaints
    app.include_router(sms_notices.router)  # notices by SMS on the tracking page, texts' links
    if settings.temporal_ui_origin:  # the Temporal UI calls /codec with the user's cookie
        app.add_middleware(
            CORSMiddleware,
            allow_origins=[settings.temporal_ui_origin],
            allow_credentials=True,
            allow_methods=["POST"],
            allow_headers=["Content-Type", "Authorization", "X-Namespace"],
        )
    app.add_middleware(BodyLimit, error_page=error_page)
    app.add_middleware(SecurityHeaders, https=settings.public_url.startswith("https://"))
    app.add_middleware(Compression)  # pages, JSON and error bodies alike
    app.add_middleware(RequestTimer)  # times everything the others do too
    if tracing is not None:
        app.add_middleware(CaseSpan)  # inside RequestLog: it reads the request's case
    app.add_middleware(RequestLog)  # outermost: every line of the request carries its case
    return app
