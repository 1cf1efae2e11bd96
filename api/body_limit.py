"""The one size limit on request bodies (ASGI middleware), counted while the body streams
and before anything parses it, whatever ``Content-Length`` says or when it is chunked."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.uploads import body_limit, refuse_oversized, too_large
from domain.problems import Problem

METHODS = frozenset({"POST", "PUT", "PATCH"})


class BodyTooLarge(BaseException):
    """Raised from ``receive`` past the limit. A BaseException, so that no handler on the way
    (FastAPI turns a failed form parse into 400) mistakes it for a malformed body."""


class BodyLimit:
    """413 as soon as a request body grows past the limit of its path and type."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count the body as the app reads it; answer 413 when it grows too large."""
        if scope["type"] != "http" or scope.get("method") not in METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        limit = body_limit(request.url.path, request.headers.get("content-type", ""))
        if request.url.path.startswith("/api/"):
            # The API refuses a declared excess before reading; the pages do so themselves,
            # with the form and its message (api.uploads.refuse_oversized).
            try:
                refuse_oversized(request)
            except Problem:
                await _too_large(request)(scope, receive, send)
                return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracking)
        except BodyTooLarge:
            if not started:
                await _too_large(request)(scope, receive, send)


def _too_large(request: Request) -> Response:
    if request.url.path.startswith("/api/") or "html" not in request.headers.get("accept", ""):
        return JSONResponse(status_code=413, content={"detail": too_large(request.url.path)})
    from api.pages.errors import error_page  # the pages build on the API, not the reverse

    return error_page(request, 413)
