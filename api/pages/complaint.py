"""The complaint form (``/complaint``) and its confirmation (``/complaint/filed``)."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData, UploadFile

from api.deps import SessionDep, SettingsDep, get_client
from api.errors import status_of
from api.pages import filing_form, forms
from api.pages.cookies import PageViewerDep
from api.pages.errors import PageError
from api.pages.i18n import negotiate
from api.pages.templating import render
from api.throttle import client_address, throttle_of
from core.settings import Settings
from domain.enums import Channel, Visibility
from domain.filing import FileComplaintInput
from domain.problems import Problem
from services import respondent_choices
from services.access import Viewer, VisibleCase, standing
from services.intake import LOCATION_LOC, submit_complaint
from services.throttling import SEARCH
from services.uploads import ACCEPT, FORM_BYTES, MAX_BYTES, add_document, clean_filename
from store import case_content
from store import covenants as covenant_store

log = logging.getLogger("redress.pages")

router = APIRouter(include_in_schema=False)

MAX_EVIDENCE = 5
KIND = "complaint"  # the form's token cookie (``filing_form.shown_token``)


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
    chosen = filing_form.chosen_covenant(session, covenants, covenant, viewer)
    q = str(values.get("q", ""))
    choices = respondent_choices.choices(session, chosen.slug, q) if chosen else []
    picked = str(values.get("respondent", ""))
    if chosen and picked and picked not in {c.value for c in choices}:
        again = respondent_choices.picked(session, chosen.slug, picked)
        choices = [again, *choices] if again else choices
    context = {
        **filing_form.form_context(covenants, chosen, values, choices, errors, problem, viewer),
        "visibilities": forms.VISIBILITIES,
        "max_evidence": MAX_EVIDENCE,
        "max_mb": MAX_BYTES // 2**20,
        "total_mb": FORM_BYTES["/complaint"] // 2**20,
        "accept": ACCEPT,
    }
    return render(request, settings, viewer, "public/complaint.html", context, status=status)


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
    token = filing_form.shown_token(request, KIND)
    values = {
        "q": q[:200],
        "respondent": respondent,
        "language": negotiate(request),
        filing_form.TOKEN_FIELD: token,
    }
    page = _form_page(request, session, settings, viewer, covenant=covenant, values=values)
    return filing_form.keep_token(page, request, settings, KIND, token)


def _values(form: FormData) -> dict[str, Any]:
    values = filing_form.case_values(form, "respondent", "evidence_visibility")
    values["urgent"] = forms.checked(form, "urgent")
    return values


def _body(covenant: str, values: dict[str, Any]) -> dict[str, Any]:
    company, _, location = str(values["respondent"]).partition("|")
    respondent = {"company": company, "production_location": location or None}
    return {**filing_form.case_body(covenant, respondent, values), "urgent": values["urgent"]}


def _service_word(loc: list[str], name: str) -> forms.FieldError | None:
    """The filing service's unknown covenant, company or location."""
    if name == "covenant":
        return forms.FieldError("unknown_covenant")
    if loc == LOCATION_LOC:
        return forms.FieldError("unknown_location")
    if name == "respondent":
        return forms.FieldError("unknown_company")
    return None


@router.post("/complaint", response_class=HTMLResponse)
async def send_complaint(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
    form: Annotated[FormData, Depends(forms.CsrfChecked(max_files=MAX_EVIDENCE + 1))],
) -> Response:
    """File the complaint through the API's filing service, once per form (its token: sent
    again, it shows the same receipt); the form again, as typed, on a problem."""
    if not filing_form.may_file(viewer):
        raise PageError(403, "cannot_file")
    covenant = forms.text(form, "covenant")
    values = _values(form)
    key = filing_form.filing_key(request, form)
    uploads = forms.files(form, "evidence")
    visibility = forms.visibility(values["evidence_visibility"])

    def again(errors: forms.Errors, problem: str | None = None, status: int = 422) -> Response:
        values["had_files"] = bool(uploads)
        page = _form_page(
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
        token = values[filing_form.TOKEN_FIELD]
        return filing_form.keep_token(page, request, settings, KIND, token)

    errors: forms.Errors = {}
    body: FileComplaintInput | None = None
    try:
        body = FileComplaintInput.model_validate(_body(covenant, values))
    except ValidationError as invalid:
        errors = forms.validation_errors(invalid, filing_form.field_of)
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
                channel=Channel.WEB,
                idempotency_key=key,
            )
        ).answer
    except Problem as error:
        if filing_form.resent_changed(error):
            values[filing_form.TOKEN_FIELD] = filing_form.new_token()
            return again({}, "resent_changed", status=409)
        if status_of(error) == 422:
            return again(filing_form.service_errors(error, filing_form.field_of, _service_word))
        return again({}, filing_form.refusal(error), status=status_of(error))
    except Exception as error:  # the engine or the database failed: keep what was typed
        log.warning("a complaint form could not be filed: %s", type(error).__name__)
        return again({}, "unconfirmed", status=503)
    keys = [filing_form.evidence_key(settings, key, n) for n in range(len(uploads))]
    missing = await _attach(
        request, session, settings, viewer, filed.reference, list(zip(uploads, keys, strict=True)),
        visibility,
    )  # fmt: skip
    url = f"/complaint/filed?unattached={missing}" if missing else "/complaint/filed"
    return filing_form.filed_redirect(request, settings, url, filed.reference, filed.access_code)


async def _attach(
    request: Request,
    session: Session,
    settings: Settings,
    viewer: Viewer,
    reference: str,
    uploads: list[tuple[UploadFile, str | None]],
    visibility: Visibility,
) -> int:
    """Put the evidence on the new case as its complainant, each file once under its key
    (a resent form adds none twice); how many files could not be."""
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
    for upload, key in uploads:
        try:
            await add_document(
                case=case,
                upload=upload,
                visibility=visibility,
                session=session,
                client=client,
                settings=settings,
                throttle=throttle_of(request),
                channel=Channel.WEB,
                idempotency_key=key,
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
    return filing_form.filed_page(
        request, session, settings, viewer, kind="complaint", unattached=unattached
    )
