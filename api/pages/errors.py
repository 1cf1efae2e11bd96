"""Errors on the pages: an HTML page in the visitor's language, JSON stays for the API."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.errors import headers_of
from api.errors import status_of as problem_status
from api.pages.cookies import CSRF_FIELD, csrf_valid, page_viewer
from api.pages.templating import render
from core.settings import Settings
from domain.problems import Problem
from services.access import ANONYMOUS, Viewer

Handler = Callable[[Request, Any], Response | Awaitable[Response]]
# Paths answered in JSON whatever happens; everything else is a page.
JSON_PREFIXES = ("/api/", "/healthz", "/openapi.json", "/docs", "/redoc")
# What the error page says for each status; other statuses read as "error".
KNOWN = {400, 403, 404, 405, 409, 413, 415, 422, 429, 503}


class PageError(Exception):
    """An error answered with the error page: a status and what to say (``reason``)."""

    def __init__(self, status_code: int, reason: str | None = None) -> None:
        super().__init__(reason or str(status_code))
        self.status_code = status_code
        self.reason = reason or (str(status_code) if status_code in KNOWN else "error")


def check_csrf(request: Request, settings: Settings, form: FormData) -> None:
    """403 page unless the posted form carries the visitor's CSRF token."""
    token = form.get(CSRF_FIELD)
    if not csrf_valid(request, settings, token if isinstance(token, str) else None):
        raise PageError(403, "csrf")


def _viewer(request: Request, settings: Settings) -> Viewer:
    engine = request.app.state.engine
    if not isinstance(engine, Engine):
        return ANONYMOUS
    try:
        with Session(engine) as session:
            return page_viewer(session=session, settings=settings, request=request)
    except Exception:  # an error page must render even when the database is down
        return ANONYMOUS


def error_page(request: Request, status_code: int, reason: str | None = None) -> Response:
    """The error page for a status (and a more precise reason, e.g. ``csrf``)."""
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    known = str(status_code) if status_code in KNOWN else "error"
    response = render(
        request,
        settings,
        _viewer(request, settings),
        "public/error.html",
        {"reason": reason or known, "status": status_code},
        status=status_code,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _for_pages(json_handler: Handler, status_of: Callable[[Exception], int]) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith(JSON_PREFIXES):
            answer = json_handler(request, exc)
            return await answer if inspect.isawaitable(answer) else answer
        status_code = status_of(exc)
        headers = (headers_of(exc) if isinstance(exc, Problem) else None) or {}
        if 300 <= status_code < 400 and "Location" in headers:
            return RedirectResponse(headers["Location"], status_code=status_code)
        response = error_page(request, status_code)
        if "Retry-After" in headers:
            response.headers["Retry-After"] = headers["Retry-After"]
        return response

    return handle


async def _page_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)
    return error_page(request, exc.status_code, exc.reason)


def install_page_errors(app: FastAPI) -> None:
    """Answer errors on page paths with the error page; call after the API's handlers."""
    handlers = app.exception_handlers
    for kind, status_of in (
        (Problem, lambda exc: problem_status(exc) if isinstance(exc, Problem) else 500),
        (StarletteHTTPException, lambda exc: int(getattr(exc, "status_code", 500))),
        (RequestValidationError, lambda exc: 400),
    ):
        app.add_exception_handler(kind, _for_pages(handlers[kind], status_of))
    app.add_exception_handler(PageError, _page_error)
