"""The public pages: home, the complaint form, tracking a case, signing in."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse

from api.deps import SessionDep, SettingsDep
from api.pages import (
    account,
    complaint,
    filing_form,
    register,
    sign_in,
    signal,
    time_zone,
    tracking,
)
from api.pages.cookies import PageViewerDep
from api.pages.errors import install_page_errors
from api.pages.templating import render
from store import covenants as covenant_store

STATIC = Path(__file__).resolve().parent.parent / "static"

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
    covenant: str | None = None,
) -> HTMLResponse:
    """What the mechanism is, who may complain, the steps and how long each takes."""
    covenants = covenant_store.list_covenants(session=session)
    chosen = filing_form.chosen_covenant(session, covenants, covenant, viewer)
    context = {"covenants": covenants, "covenant": chosen}
    return render(request, settings, viewer, "public/home.html", context)


# Search engines may read the public pages and the register, never a case or an account.
ROBOTS = """User-agent: *
Disallow: /track
Disallow: /portal
Disallow: /account
Disallow: /api/
Allow: /
"""


@router.get("/robots.txt", response_class=PlainTextResponse)
def robots() -> PlainTextResponse:
    """What crawlers may read."""
    return PlainTextResponse(ROBOTS, headers={"Cache-Control": "public, max-age=86400"})


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """The site's icon where browsers look for it first (an SVG; pages link it too)."""
    return FileResponse(
        STATIC / "favicon.svg",
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )


for module in (complaint, signal, tracking, sign_in, account, register, time_zone):
    router.include_router(module.router)
router.include_router(register.portal_router)  # a case's redaction list (staff)


def install_pages(app: FastAPI) -> None:
    """Add the public pages and their error pages to the app (/static is
    ``api.static_files``: hashed names, compressed)."""
    install_page_errors(app)
    app.include_router(router)
