"""Rendering pages: one Jinja2 environment, the request's language and the visitor's CSRF token."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from api.pages.cookies import ANON_COOKIE, csrf_token, set_cookie, visitor_seed
from api.pages.i18n import COOKIE, FILTERS, LANGUAGES, negotiate, translations
from core.settings import Settings
from services.access import Viewer

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SEAT_ZONE = ZoneInfo("Europe/Amsterdam")

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html", "svg"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def local_time(moment: datetime | None, with_time: bool = False) -> str:
    """A moment shown in the seat's time zone, ISO-like so every language reads it."""
    if moment is None:
        return "—"
    local = moment.astimezone(SEAT_ZONE)
    return local.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


environment.filters["local"] = local_time
environment.filters.update(FILTERS)  # when, number, digits: the reader's language and zone


def render(
    request: Request,
    settings: Settings,
    viewer: Viewer,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HTMLResponse:
    """A page in the request's language, with a CSRF token for its forms."""
    language = negotiate(request)
    catalog = translations(language)
    seed, fresh = visitor_seed(request)
    values: dict[str, Any] = {
        "request": request,
        "viewer": viewer,
        "lang": language,
        "languages": LANGUAGES,
        "_": catalog.gettext,
        "ngettext": catalog.ngettext,
        "csrf_token": csrf_token(settings, seed),
        "local_mode": settings.local_mode,
        **(context or {}),
    }
    response = HTMLResponse(environment.get_template(template).render(values), status_code=status)
    if fresh:
        set_cookie(response, request, settings, ANON_COOKIE, seed)
    if request.query_params.get("lang") in LANGUAGES:
        set_cookie(response, request, settings, COOKIE, language, max_age=365 * 24 * 3600)
    return response
