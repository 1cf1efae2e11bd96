"""The reader's time zone for the pages' times: a small form without JavaScript, kept in a cookie.

A page cannot learn the browser's offset without a script, so the reader chooses: the seat's
zone until then, always named beside each time (``api.pages.i18n``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from api.deps import SettingsDep
from api.pages import forms
from api.pages.cookies import set_cookie
from api.pages.i18n import ZONE_COOKIE, ZONES, zone_of

router = APIRouter(include_in_schema=False)
YEAR = 365 * 24 * 3600


def back_to(path: str) -> str:
    """Where to go after choosing: a path of this site, else the home page."""
    local = path.startswith("/") and not path.startswith("//") and "\\" not in path
    return path if local else "/"


@router.post("/time-zone")
async def choose_time_zone(
    request: Request, settings: SettingsDep, form: forms.CheckedForm
) -> RedirectResponse:
    """Keep the chosen zone (one the pages offer) for a year and go back to the page."""
    redirect = RedirectResponse(back_to(forms.text(form, "next")), status_code=303)
    chosen = zone_of(forms.text(form, "zone")).key
    if chosen in ZONES:
        set_cookie(redirect, request, settings, ZONE_COOKIE, chosen, max_age=YEAR)
    return redirect
