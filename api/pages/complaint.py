"""The complaint form (``/complaint``) and its confirmation (``/complaint/filed``)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData, UploadFile

from api.deps import SessionDep, SettingsDep, get_client
from api.errors import status_of
from api.pages import forms
from api.pages.cookies import (
    FILED_COOKIE,
    FILED_SECONDS,
    PageViewerDep,
    filed_receipt,
    read_filed_receipt,
    set_cookie,
    track_case,
)
from api.pages.errors import PageError
from api.pages.i18n import LANGUAGES, negotiate
from api.pages.templating import render
from api.throttle import client_address, throttle_of
from core.settings import Settings
from domain.enums import IssueKind, Visibility
from domain.filing import FileComplaintInput
from domain.problems import Problem
from domain.procedure import Covenant
from services import respondent_choices
from services.access import Viewer, VisibleCase, standing
from services.intake import LOCATION_LOC, check_complaint_filer, submit_complaint
from services.throttling import SEARCH
from services.uploads import ACCEPT, FORM_BYTES, MAX_BYTES, add_document, clean_filename
from store import case_content
from store import covenants as covenant_store

log = logging.getLogger("redress.pages")

router = APIRouter(include_in_schema=False)

MAX_EVIDENCE = 5
TEXT_FIELDS = (
    "subject",
    "description",
    "remedy_sought",
    "name",
    "organisation",
    "email",
    "phone",
    "represents",
    "language",
    "q",
    "evidence_visibility",
)
PERSON = ("name", "organisation", "email", "phone", "represents", "language", "confidential")


def _covenant(covenants: list[Covenant], slug: str | None) -> Covenant | None:
    return next((c for c in covenants if c.slug == slug), covenants[0] if covenants else None)


def _form_page(
    request: Request,
    session: Session,
    settings: Settings,
    viewer: Viewer,
    *,
    covenant: str | None,
    values: dict[str, Any],
    errors: forms.Errors | None = None,
    problem: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    covenants = covenant_store.list_covenants(session=session)
    chosen = _covenant(covenants, covenant)
    q = str(values.get("q", ""))
    choices = respondent_choices.choices(session, chosen.slug, q) if chosen else []
    picked = str(values.get("respondent", ""))
    if chosen and picked and picked not in {c.value for c in choices}:
        again = respondent_choices.picked(session, chosen.slug, picked)
        choices = [again, *choices] if again else choices
    context = {
        "covenants": covenants,
        "covenant": chosen,
        "values": values,
        "choices": choices,
        "errors": errors or {},
        "problem": problem,
        "issues": list(IssueKind),
        "visibilities": forms.VISIBILITIES,
        "max_evidence": MAX_EVIDENCE,
        "max_mb": MAX_BYTES // 2**20,
        "total_mb": FORM_BYTES["/complaint"] // 2**20,
        "accept": ACCEPT,
        "may_file": _may_file(viewer),
    }
    return render(request, settings, viewer, "public/complaint.html", context, status=status)


def _may_file(viewer: Viewer) -> bool:
    try:
        check_complaint_filer(viewer)
    except Problem:
        return False
    return True


@router.get("/complaint", response_class=HTMLResponse)
def complaint_form(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
    covenant: str | None = None,
    q: str = "",
    respondent: str = "",
) -> HTMLResponse:
    """The complaint form; ``q`` searches the covenant's companies and production locations
    (throttled per address like every search)."""
    if q:
        throttle_of(request).take(SEARCH, client_address(request, settings))
    values = {"q": q[:200], "respondent": respondent, "language": negotiate(request)}
    return _form_page(request, session, settings, viewer, covenant=covenant, values=values)


def _values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {name: forms.text(form, name) for name in TEXT_FIELDS}
    values["respondent"] = forms.text(form, "respondent")
    values["issues"] = [v for v in form.getlist("issues") if isinstance(v, str)]
    values["confidential"] = forms.checked(form, "confidential")
    values["urgent"] = forms.checked(form, "urgent")
    return values


def _body(covenant: str, values: dict[str, Any]) -> dict[str, Any]:
    company, _, location = str(values["respondent"]).partition("|")
    person = {name: values[name] or None for name in PERSON if name != "confidential"}
    person["confidential"] = values["confidential"]
    person["language"] = values["language"] if values["language"] in LANGUAGES else "en"
    return {
        "covenant": covenant,
        "respondent": {"company": company, "production_location": location or None},
        "complainant": person,
        "subject": values["subject"],
        "description": values["description"],
        "issues": values["issues"],
        "remedy_sought": values["remedy_sought"],
        "urgent": values["urgent"],
    }


def _field_of(loc: Sequence[str | int]) -> str:
    parts = [str(p) for p in loc if str(p) != "body"]
    if not parts:
        return "form"
    if parts[0] == "respondent":
        return "respondent"
    if parts[0] == "complainant" and len(parts) > 1:
        return parts[1]
    return parts[0]


def _service_errors(error: Problem) -> forms.Errors:
    """Field errors of the filing service (unknown covenant, company, location)."""
    found: forms.Errors = {}
    for detail in error.extra.get("errors") or []:
        loc = [str(p) for p in detail.get("loc", ())]
        name = _field_of(loc)
        if name == "covenant":
            found["covenant"] = forms.FieldError("unknown_covenant")
        elif loc == LOCATION_LOC:
            found["respondent"] = forms.FieldError("unknown_location")
        elif name == "respondent":
            found["respondent"] = forms.FieldError("unknown_company")
        else:
            found.setdefault(name, forms.FieldError("invalid"))
    return found or {"form": forms.FieldError("invalid")}


@router.post("/complaint", response_class=HTMLResponse)
async def send_complaint(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
    form: Annotated[FormData, Depends(forms.CsrfChecked(max_files=MAX_EVIDENCE + 1))],
) -> Response:
    """File the complaint through the API's filing service; the form again on a problem."""
    if not _may_file(viewer):
        raise PageError(403, "cannot_file")
    covenant = forms.text(form, "covenant")
    values = _values(form)
    uploads = forms.files(form, "evidence")
    visibility = forms.visibility(values["evidence_visibility"])

    def again(errors: forms.Errors, problem: str | None = None, status: int = 422) -> Response:
        values["had_files"] = bool(uploads)
        return _form_page(
            request,
            session,
            settings,
            viewer,
            covenant=covenant,
            values=values,
            errors=errors,
            problem=problem,
            status=status,
        )

    errors: forms.Errors = {}
    body: FileComplaintInput | None = None
    try:
        body = FileComplaintInput.model_validate(_body(covenant, values))
    except ValidationError as invalid:
        errors = forms.validation_errors(invalid, _field_of)
        if "respondent" in errors:
            errors["respondent"] = forms.FieldError("choose_company")
    file_problems = forms.upload_errors(uploads, max_files=MAX_EVIDENCE)
    if file_problems:
        errors["evidence"] = file_problems[0]
        values["file_problems"] = file_problems
    if errors or body is None:
        return again(errors)
    try:
        client = await get_client(request)
        filed = (
            await submit_complaint(
                body=body,
                filer=viewer,
                throttle=throttle_of(request),
                address=client_address(request, settings),
                session=session,
                client=client,
                settings=settings,
            )
        ).answer
    except Problem as error:
        if status_of(error) == 422:
            return again(_service_errors(error))
        problem = {429: "rate", 403: "cannot_file"}.get(status_of(error), "engine")
        return again({}, problem, status=status_of(error))
    missing = await _attach(
        request, session, settings, viewer, filed.reference, filed.access_code, uploads, visibility
    )
    redirect = RedirectResponse(
        f"/complaint/filed?unattached={missing}" if missing else "/complaint/filed", 303
    )
    receipt = filed_receipt(settings, filed.reference, filed.access_code, datetime.now(UTC))
    set_cookie(redirect, request, settings, FILED_COOKIE, receipt, max_age=FILED_SECONDS)
    track_case(redirect, request, settings, filed.reference, filed.access_code)
    return redirect


async def _attach(
    request: Request,
    session: Session,
    settings: Settings,
    viewer: Viewer,
    reference: str,
    code: str,
    uploads: list[UploadFile],
    visibility: Visibility,
) -> int:
    """Put the evidence on the new case as its complainant; how many files could not be."""
    if not uploads:
        return 0
    state = case_content.load_state(session=session, reference=reference)
    uploader = viewer if viewer.signed_in else Viewer(code_for=reference)
    found = standing(uploader, state) if state is not None else None
    if state is None or found is None:
        return len(uploads)  # not yet projected: the tracking page takes them later
    case = VisibleCase.seen(state, found, uploader)
    client = await get_client(request)
    missing = 0
    for upload in uploads:
        try:
            await add_document(
                case=case,
                upload=upload,
                visibility=visibility,
                session=session,
                client=client,
                settings=settings,
                throttle=throttle_of(request),
            )
        except Problem as error:
            missing += 1
            log.warning(
                "evidence %r of %s not attached: %s",
                clean_filename(upload.filename),
                reference,
                status_of(error),
            )
    return missing


@router.get("/complaint/filed", response_class=HTMLResponse)
def complaint_filed(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
    unattached: int = 0,
) -> HTMLResponse:
    """The reference and access code of the case just filed, and what happens next."""
    receipt = read_filed_receipt(settings, request.cookies.get(FILED_COOKIE), datetime.now(UTC))
    state = case_content.load_state(session=session, reference=receipt[0]) if receipt else None
    context = {
        "reference": receipt[0] if receipt else None,
        "code": receipt[1] if receipt else None,
        "state": state,
        "first": state.open_deadlines()[0] if state and state.open_deadlines() else None,
        "unattached": max(unattached, 0),
    }
    response = render(request, settings, viewer, "public/filed.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response
