"""Security headers on every response (ASGI middleware): a Content-Security-Policy without
inline script, no sniffing, no framing, no referrer, HSTS behind https, and ``no-store``
on everything but the static files (case data must not stay in caches). The static files
(stylesheet, script, icon: ours, no user content, fetching nothing) carry no policy,
framing or referrer rule: only ``nosniff``."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# FastAPI's interactive docs load their script from a CDN and start it inline.
DOCS = ("/docs", "/redoc")
STATIC = "/static/"
# Files that are the same for everyone, like /static's: they keep their own Cache-Control.
SHARED_FILES = frozenset({"/robots.txt", "/favicon.ico"})
HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """Add the headers to every HTTP response of the wrapped app."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers as the response starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        https = self.https or scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                # The static files are ours, never a page that runs or frames anything: a
                # policy and a framing rule there only cost bytes on every first visit.
                document = not path.startswith(STATIC)
                if document and not path.startswith(DOCS):
                    headers.setdefault("Content-Security-Policy", CSP)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                if document:  # a stylesheet, script or icon of ours fetches nothing further
                    headers.setdefault("X-Frame-Options", "DENY")
                    headers.setdefault("Referrer-Policy", "no-referrer")
                if not path.startswith(STATIC) and path not in SHARED_FILES:
                    headers["Cache-Control"] = "no-store"
                if https:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, with_headers)
