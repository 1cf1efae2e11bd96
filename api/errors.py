"""Error bodies: every error is ``{"detail": "...", ...}`` with a precise message."""

from __future__ import annotations

import inspect
import logging
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.actions import ActionName
from domain.problems import (
    Conflict,
    Invalid,
    NotFound,
    NotPermitted,
    NotSignedIn,
    Problem,
    TooLarge,
    TooMany,
    Unavailable,
    Unsupported,
)

log = logging.getLogger("redress.api")
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"})

STATUS: dict[type[Problem], int] = {
    NotSignedIn: 401,
    NotPermitted: 403,
    NotFound: 404,
    Conflict: 409,
    Invalid: 422,
    TooLarge: 413,
    Unsupported: 415,
    TooMany: 429,
    Unavailable: 503,
}


class ApiError(Problem):
    """A refusal that only HTTP knows (a redirect, a malformed header), with its status."""

    def __init__(
        self,
        status_code: int,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail, **extra)
        self.status_code = status_code
        self.headers = headers


def status_of(problem: Problem) -> int:
    """The HTTP status that answers a problem."""
    if isinstance(problem, ApiError):
        return problem.status_code
    return next((code for kind, code in STATUS.items() if isinstance(problem, kind)), 400)


def headers_of(problem: Problem) -> dict[str, str] | None:
    """The headers that go with a problem's answer: how to sign in, when to try again."""
    if isinstance(problem, ApiError):
        return problem.headers
    if isinstance(problem, NotSignedIn):
        return {"WWW-Authenticate": "Bearer"}
    if isinstance(problem, TooMany):
        return {"Retry-After": str(problem.retry_after)}
    return None


def _describe(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error.get("loc", ())]
    # The discriminated action union adds the tag as a path element; it says nothing.
    if len(loc) >= 2 and loc[0] == "body" and loc[1] in ActionName.__members__.values():
        loc = [loc[0], *loc[2:]]
    where = ".".join(loc) or "request"
    message = str(error.get("msg", "invalid"))
    if error.get("type") == "union_tag_invalid":
        names = ", ".join(a.value for a in ActionName)
        tag = (error.get("ctx") or {}).get("tag", "")
        message = f"unknown action '{tag}'; valid actions: {names}"
        where = "body.action"
    elif error.get("type") == "union_tag_not_found":
        message = "field required; name the action to take"
        where = "body.action"
    return f"{where}: {message}"


def _clean(error: dict[str, Any]) -> dict[str, Any]:
    # Never echo the input: it may hold a password, an access code or an identity.
    return {"loc": list(error.get("loc", ())), "msg": error.get("msg"), "type": error.get("type")}


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    detail = "invalid request: " + "; ".join(_describe(e) for e in errors)
    return JSONResponse(
        status_code=422, content={"detail": detail, "errors": [_clean(e) for e in errors]}
    )


async def _problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return JSONResponse(
        status_code=status_of(exc),
        content={"detail": exc.message, **exc.extra},
        headers=headers_of(exc),
    )


def allowed_methods(request: Request, named: str) -> str:
    """Every method the published schema gives this request's path, for a 405's ``Allow``
    (``named``, Starlette's, when the path is not in the schema: a page's).

    Starlette names only the methods of the one route it tried, and GET and POST on one
    path are two routes here."""
    schema = request.app.openapi() if isinstance(request.app, FastAPI) else {}
    for template, operations in schema.get("paths", {}).items():
        if compile_path(template)[0].match(request.url.path):
            return ", ".join(sorted(m.upper() for m in operations if m.upper() in METHODS))
    return named


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = allowed_methods(request, headers.get("Allow", ""))
    return JSONResponse(
        status_code=exc.status_code, content={"detail": exc.detail}, headers=headers or None
    )


Handler = Callable[[Request, Exception], Response | Awaitable[Response]]
JSON_HANDLERS: dict[type[Exception], Handler] = {
    RequestValidationError: _validation_error,
    Problem: _problem,
    StarletteHTTPException: _http_error,
}


def answer_json_under(app: FastAPI, prefixes: tuple[str, ...]) -> None:
    """Errors on paths under ``prefixes`` answer the JSON bodies, whatever handlers (the
    pages' error pages) were installed since: for API paths outside ``/api/`` (``/codec``)."""
    for kind, json_handler in JSON_HANDLERS.items():
        app.add_exception_handler(
            kind, _by_path(prefixes, json_handler, app.exception_handlers[kind])
        )


def _by_path(prefixes: tuple[str, ...], json: Handler, other: Handler) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        chosen = json if request.url.path.startswith(prefixes) else other
        answer = chosen(request, exc)
        return await answer if inspect.isawaitable(answer) else answer

    return handle


class HideUnexpectedErrors:
    """ASGI middleware: an unexpected error answers 500 and is logged without its message.

    Exception messages can carry request data (SQL parameters, bodies), so only the type
    and the stack frames reach the log, and the exception does not propagate to the server.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the app; turn an escaping exception into a bare 500."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            frames = "".join(traceback.format_tb(exc.__traceback__))
            log.error("unhandled %s on %s:\n%s", type(exc).__name__, scope.get("path"), frames)
            if started:
                return
            response = JSONResponse(status_code=500, content={"detail": "internal server error"})
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error a ``{"detail": ...}`` body."""
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Problem, _problem)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_middleware(HideUnexpectedErrors)
