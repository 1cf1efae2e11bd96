"""The tracking page of a complaint sent by e-mail that the secretariat has not filed yet:
its reference and access code (from the receipt) show that it was received by e-mail and is
being prepared, instead of "no case found". Once filed, the case answers to the same code."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from api.pages.templating import render
from api.throttle import client_address, throttle_of
from core.settings import Settings
from services.access import Viewer
from services.email_drafts import draft_for_code
from services.throttling import CODE_ADDRESS, CODE_CASE


def draft_page(
    request: Request,
    session: Session,
    settings: Settings,
    viewer: Viewer,
    reference: str,
    code: str,
) -> HTMLResponse | None:
    """The page of the e-mailed complaint waiting under this reference if the code is its;
    None otherwise (the caller then counts the code as a wrong guess, as for a case)."""
    throttle, address = throttle_of(request), client_address(request, settings)
    throttle.refuse_if_spent(CODE_CASE, reference)
    throttle.refuse_if_spent(CODE_ADDRESS, address)
    draft = draft_for_code(session=session, settings=settings, reference=reference, code=code)
    if draft is None:
        return None
    context = {
        "reference": draft.reference,
        "subject": draft.subject,
        "received": draft.received_at,
    }
    response = render(request, settings, viewer, "public/track_draft.html", context)
    # Kept by no cache, as the case's tracking page: it shows what the e-mail was about.
    response.headers["Cache-Control"] = "no-store"
    return response
