"""Error bodies: every error is ``{"detail": "...", ...}`` with a precise message."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.enums import ActionName

log = logging.getLogger("redress.api")

CASE_NOT_FOUND = "case not found"


class ApiError(Exception):
    """An error answered as ``{"detail": message, **extra}`` with the given status."""

    def __init__(
        self,
        status_code: int,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.detail = detail
        self.headers = headers
        self.extra = extra


def not_found(detail: str = CASE_NOT_FOUND) -> ApiError:
    """404; the same body for an unknown case and one the caller may not see."""
    return ApiError(404, detail)


def field_error(loc: Sequence[str | int], message: str, type_: str = "value_error") -> ApiError:
    """422 about one field of the body, shaped like FastAPI's validation errors."""
    where = ".".join(str(part) for part in loc)
    return ApiError(
        422,
        f"{where}: {message}",
        errors=[{"loc": list(loc), "msg": message, "type": type_}],
    )


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


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return JSONResponse(
        status_code=exc.status_code,
        content={"detail": exc.detail, **exc.extra},
        headers=exc.headers,
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return JSONResponse(
        status_code=exc.status_code,
        content={"detail": exc.detail},
        headers=getattr(exc, "headers", None),
    )


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
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_middleware(HideUnexpectedErrors)
