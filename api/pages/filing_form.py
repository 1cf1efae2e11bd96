"""What the filing forms share: the complaint and signal forms (``/complaint``, ``/signal``)
read the same case and complainant fields and end on the same receipt page; with the
portal's dispute form they word the payload's and the filing service's refusals alike."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlmodel import Session
from starlette.datastructures import FormData

from api.errors import status_of
from api.pages import forms
from api.pages.cookies import (
    FILED_COOKIE,
    FILED_SECONDS,
    csrf_seed,
    filed_receipt,
    read_filed_receipt,
    set_cookie,
    track_case,
)
from api.pages.i18n import LANGUAGES
from api.pages.templating import render
from core import access_codes
from core.security import keyed_hash
from core.settings import Settings
from domain.enums import IssueKind
from domain.problems import Problem
from domain.procedure import Covenant
from services.access import Viewer
from services.intake import check_complaint_filer
from store import case_content, locations, organisations

# What the complainant says about themself, besides the language and confidentiality.
PERSON = ("name", "organisation", "email", "phone", "represents")
# The text fields of the complaint and signal forms that every case has.
TEXT_FIELDS = ("subject", "description", "remedy_sought", *PERSON, "language", "q")

FieldOf = Callable[[Sequence[str | int]], str]
AnyResponse = TypeVar("AnyResponse", bound=Response)

# The one-time token of a filing form as shown (``new_token``): what ``secrets`` makes, or
# near enough that a page kept from before still counts.
TOKEN_FIELD = "form_token"
TOKEN = re.compile(r"[A-Za-z0-9_-]{22,64}")


def language(values: dict[str, Any]) -> str:
    """The language asked for messages; English for one the pages do not offer."""
    return values["language"] if values["language"] in LANGUAGES else "en"


def case_values(form: FormData, *extra: str) -> dict[str, Any]:
    """The posted complaint or signal form: its text fields (and the ``extra`` ones), the
    issues ticked, whether the complainant keeps their name from the company, and the form's
    token (a new one if it came without: the form shown again files once too)."""
    values: dict[str, Any] = {name: forms.text(form, name) for name in (*TEXT_FIELDS, *extra)}
    values["issues"] = [v for v in form.getlist("issues") if isinstance(v, str)]
    values["confidential"] = forms.checked(form, "confidential")
    # Notices also by SMS to the phone number given (``ComplainantInput.notices``).
    values["sms_notices"] = forms.checked(form, "sms_notices")
    token = forms.text(form, TOKEN_FIELD)
    values[TOKEN_FIELD] = token if TOKEN.fullmatch(token) else new_token()
    return values


def new_token() -> str:
    """The one-time token of a filing form about to be shown (192 random bits): however
    often the form is sent, it files one case (``filing_key``)."""
    return secrets.token_urlsafe(24)


def token_cookie(kind: str) -> str:
    """The cookie keeping the token of this browser's ``kind`` of form ("complaint", "signal")."""
    return f"redress_form_{kind}"


def shown_token(request: Request, kind: str) -> str:
    """The token to show in a filing form: the one this browser was shown before, else a new
    one. Pages are never cached (``no-store``), so a browser going back to the form after a
    send (that timed out, or did file) fetches it again: with the same token, sending it
    again files nothing more and shows the receipt. A new complaint in the same browser
    session is told the form was sent before and given a new token (``resent_changed``)."""
    kept = request.cookies.get(token_cookie(kind), "")
    return kept if TOKEN.fullmatch(kept) else new_token()


def keep_token(
    response: AnyResponse, request: Request, settings: Settings, kind: str, token: str
) -> AnyResponse:
    """The form's page, with its token kept for the browser session (``shown_token``)."""
    set_cookie(response, request, settings, token_cookie(kind), token)
    return response


def filing_key(request: Request, form: FormData) -> str | None:
    """The ``Idempotency-Key`` a filing form is filed under: its token, bound to the cookie
    its CSRF token is (the visitor's session or anonymous cookie), so that a resent or
    double-submitted form files one case and shows the same receipt (as the API's
    idempotent filing, ``services.filing_keys``, which keeps the answer sealed under this
    key), while a token copied into another browser names another filing, never this
    one's receipt. None for a form shown before forms had tokens."""
    token, seed = forms.text(form, TOKEN_FIELD), csrf_seed(request)
    if not TOKEN.fullmatch(token) or not seed:
        return None
    return f"filing-form\0{seed}\0{token}"


def evidence_key(settings: Settings, key: str | None, number: int) -> str | None:
    """The ``Idempotency-Key`` of the form's ``number``th file (from 0): a resent form adds
    each file once (the key names neither the cookie nor the token in the clear)."""
    if key is None:
        return None
    return f"filing-form-evidence-{number}-{keyed_hash(settings.secret_key, key)}"


def resent_changed(error: Problem) -> bool:
    """Whether the filing service refused a form's token as used before for another text
    (the form was sent, changed, and sent again)."""
    return any(
        str((detail.get("loc") or [""])[0]) == "header"
        for detail in error.extra.get("errors") or []
    )


def case_body(covenant: str, respondent: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The filing payload (``FileComplaintInput``) of a complaint or signal form's values."""
    complainant: dict[str, Any] = {name: values[name] or None for name in PERSON}
    complainant["language"] = language(values)
    complainant["confidential"] = values["confidential"]
    complainant["notices"] = "sms" if values.get("sms_notices") else "email"
    return {
        "covenant": covenant,
        "respondent": respondent,
        "complainant": complainant,
        "subject": values["subject"],
        "description": values["description"],
        "issues": values["issues"],
        "remedy_sought": values["remedy_sought"],
    }


def field_of(
    loc: Sequence[str | int], *, respondent: str = "respondent", covenant: str = "covenant"
) -> str:
    """The form field a payload location (``body.complainant.email``) belongs to: the
    respondent's parts are the ``respondent`` field, a complainant's detail its own field."""
    parts = [str(p) for p in loc if str(p) != "body"]
    if not parts:
        return "form"
    if parts[0] == "respondent":
        return respondent
    if parts[0] == "covenant":
        return covenant
    if parts[0] == "complainant" and len(parts) > 1:
        return parts[1]
    return parts[0]


def unfilled(errors: forms.Errors, values: dict[str, Any]) -> None:
    """A field left empty is asked for, not told how long it must be."""
    for name, error in errors.items():
        if error.code in ("too_short", "invalid") and not values.get(name):
            errors[name] = forms.FieldError("required")


def chosen_covenant(
    session: Session, covenants: list[Covenant], slug: str | None, viewer: Viewer
) -> Covenant | None:
    """The covenant asked for, else the first the viewer's organisation is a party to, else
    the one whose companies list the most workplaces (where a complainant abroad most likely
    files), else the first."""
    if slug is None and viewer.organisation_id is not None:
        org = viewer.organisation_id
        party_to = (
            c
            for c in covenants
            if organisations.is_covenant_party(
                session=session, covenant=c.slug, organisation_id=org
            )
        )
        slug = next((c.slug for c in party_to), None)
    wanted = slug or locations.most_listed_covenant(session=session)
    return next((c for c in covenants if c.slug == wanted), covenants[0] if covenants else None)


def form_context(
    covenants: list[Covenant],
    chosen: Covenant | None,
    values: dict[str, Any],
    choices: Sequence[object],
    errors: forms.Errors | None,
    problem: str | None,
    viewer: Viewer,
) -> dict[str, Any]:
    """What the complaint and signal forms both show: the covenants, the one ``chosen``, the
    values sent, what there is to choose from, the problems and whether the viewer may file."""
    return {
        "covenants": covenants,
        "covenant": chosen,
        "values": values,
        "choices": choices,
        "errors": errors or {},
        "problem": problem,
        "issues": list(IssueKind),
        "may_file": may_file(viewer),
    }


def service_errors(
    error: Problem,
    field_of: FieldOf,
    word: Callable[[list[str], str], forms.FieldError | None],
) -> forms.Errors:
    """The field errors of the filing service's 422: ``word`` says what is wrong with a
    field at a location (None: "invalid", unless the field has an error already)."""
    found: forms.Errors = {}
    for detail in error.extra.get("errors") or []:
        loc = [str(p) for p in detail.get("loc", ())]
        name = field_of(loc)
        worded = word(loc, name)
        if worded is not None:
            found[name] = worded
        else:
            found.setdefault(name, forms.FieldError("invalid"))
    return found or {"form": forms.FieldError("invalid")}


def refusal(error: Problem) -> str:
    """The summary's problem for a refusal of the filing service other than a 422."""
    # 409: a send of the same form is still under way (its token): sent again, it answers.
    return {429: "rate", 403: "cannot_file", 409: "unconfirmed"}.get(status_of(error), "engine")


def may_file(viewer: Viewer) -> bool:
    """Whether the viewer may file a complaint or signal: anonymous, or a union account."""
    try:
        check_complaint_filer(viewer)
    except Problem:
        return False
    return True


def filed_redirect(
    request: Request, settings: Settings, url: str, reference: str, code: str
) -> RedirectResponse:
    """To the receipt page (``url``), with the receipt cookie it reads and the case tracked."""
    redirect = RedirectResponse(url, 303)
    receipt = filed_receipt(settings, reference, code, datetime.now(UTC))
    set_cookie(redirect, request, settings, FILED_COOKIE, receipt, max_age=FILED_SECONDS)
    track_case(redirect, request, settings, reference, code)
    return redirect


def filed_page(
    request: Request,
    session: Session,
    settings: Settings,
    viewer: Viewer,
    *,
    kind: str,
    unattached: int = 0,
) -> HTMLResponse:
    """The receipt of the ``kind`` ("complaint" or "signal") just filed: its reference and
    access code, and what happens next; expired once the receipt cookie is."""
    receipt = read_filed_receipt(settings, request.cookies.get(FILED_COOKIE), datetime.now(UTC))
    state = case_content.load_state(session=session, reference=receipt[0]) if receipt else None
    context = {
        "kind": kind,
        "reference": receipt[0] if receipt else None,
        "code": receipt[1] if receipt else None,
        # Each group is shown unbroken, so that the code never wraps inside one.
        "code_groups": access_codes.groups(receipt[1]) if receipt else [],
        "state": state,
        "first": state.open_deadlines()[0] if state and state.open_deadlines() else None,
        "unattached": max(unattached, 0),
    }
    response = render(request, settings, viewer, "public/filed.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response
