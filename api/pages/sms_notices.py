"""The tracking page's choice of notices by e-mail or also by SMS, and the short link a text
carries (``/t/<reference>``, to the tracking form with the reference filled in)."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import SessionDep, SettingsDep
from api.pages import forms
from api.pages.cookies import PageViewerDep
from api.pages.errors import PageError
from api.pages.tracking import TrackedCaseDep, case_page
from core.links import tracking_url
from domain.problems import Invalid
from services.sms_notices import choose_notices

router = APIRouter(include_in_schema=False)

REFERENCE = re.compile(r"[A-Za-z]{1,8}-\d{4}-[0-9A-Za-z]{5}")
FORM = "notices"  # the form's name on the tracking page (its errors and kept values)


@router.get("/t/{reference}")
def open_text_link(reference: str, settings: SettingsDep) -> Response:
    """A text's link: the tracking form with the reference filled in (the code is typed)."""
    if not REFERENCE.fullmatch(reference):
        raise PageError(404)
    return RedirectResponse(tracking_url(settings, reference.upper()), status_code=303)


@router.post("/track/{reference}/notices", response_class=HTMLResponse)
def choose_tracked_notices(
    reference: str,
    form: forms.CheckedForm,
    case: TrackedCaseDep,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
) -> Response:
    """Notices by e-mail only, or also by SMS to the mobile number given."""
    posted = {"notices": forms.text(form, "notices"), "phone": forms.text(form, "phone")[:40]}
    try:
        choose_notices(session=session, case=case, notices=posted["notices"], phone=posted["phone"])
    except Invalid as wrong:
        loc = (wrong.extra.get("errors") or [{}])[0].get("loc") or ["notices"]
        field = str(loc[-1])
        errors = {field: forms.FieldError("phone" if field == "phone" else "invalid")}
        return case_page(
            request, session, settings, viewer, case, errors=errors, failed=FORM, posted=posted,
            status=422,
        )  # fmt: skip
    return RedirectResponse(f"/track/{reference}?done={FORM}", status_code=303)
