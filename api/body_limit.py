"""The one size limit on request bodies (ASGI middleware), counted while the body streams
and before anything parses it, whatever ``Content-Length`` says or when it is chunked."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ApiError
from domain.problems import Problem, TooLarge
from services.uploads import CHUNK, FORM_BYTES, MAX_BYTES, MULTIPART_OVERHEAD, OTHER_BODY, TOO_LARGE

METHODS = frozenset({"POST", "PUT", "PATCH"})
ErrorPage = Callable[[Request, int], Response]


class BodyTooLarge(BaseException):
    """Raised from ``receive`` past the limit. A BaseException, so that no handler on the way
    (FastAPI turns a failed form parse into 400) mistakes it for a malformed body."""


class BodyLimit:
    """413 as soon as a request body grows past the limit of its path and type."""

    def __init__(self, app: ASGIApp, error_page: ErrorPage) -> None:
        self.app = app
        self.error_page = error_page  # what a browser is shown instead (the pages' own)

    def _too_large(self, request: Request) -> Response:
        if request.url.path.startswith("/api/") or "html" not in request.headers.get("accept", ""):
            return JSONResponse(status_code=413, content={"detail": too_large(request.url.path)})
        return self.error_page(request, 413)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count the body as the app reads it; answer 413 when it grows too large."""
        if scope["type"] != "http" or scope.get("method") not in METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        limit = body_limit(request.url.path, request.headers.get("content-type", ""))
        if request.url.path.startswith("/api/"):
            # The API refuses a declared excess before reading; the pages do so themselves,
            # with the form and its message (``refuse_oversized``).
            try:
                refuse_oversized(request)
            except Problem:
                await self._too_large(request)(scope, receive, send)
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
                await self._too_large(request)(scope, receive, send)


def body_limit(path: str, content_type: str) -> int:
    """The largest request body accepted on this path with this content type."""
    if content_type.lower().startswith("multipart/form-data"):
        return FORM_BYTES.get(path, MAX_BYTES) + MULTIPART_OVERHEAD
    return OTHER_BODY


def too_large(path: str) -> str:
    """What a refused body on this path is told."""
    limit = FORM_BYTES.get(path, MAX_BYTES)
    return (
        TOO_LARGE if limit == MAX_BYTES else f"the files are larger than {limit // CHUNK} MB in all"
    )


def refuse_oversized(request: Request) -> None:
    """413 when the declared body is larger than the path allows, before reading it (the
    count while it streams, ``api.body_limit``, stops a body that declares less or nothing)."""
    declared = request.headers.get("content-length")
    if declared is None:
        return
    try:
        size = int(declared)
    except ValueError:
        raise ApiError(400, "invalid Content-Length header") from None
    if size > body_limit(request.url.path, request.headers.get("content-type", "")):
        raise TooLarge(too_large(request.url.path))
