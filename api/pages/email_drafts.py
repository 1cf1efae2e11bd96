"""The secretariat's pages of complaints sent by e-mail (``/portal/email-drafts``): the
drafts of their covenants, and each opened as a complaint form prefilled from the e-mail,
to complete and file under the draft's reference and access code, or to discard."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData

from api.deps import ClientDep, SessionDep, SettingsDep
from api.errors import status_of
from api.pages import forms
from api.pages.errors import error_page
from api.pages.i18n import LANGUAGES
from api.pages.portal_base import PortalViewerOf
from api.pages.templating import render
from api.throttle import throttle_of
from core.settings import Settings
from domain.enums import IssueKind, Role
from domain.filing import FileComplaintInput
from domain.problems import Problem
from services import email_drafts, respondent_choices
from services.access import Viewer
from services.email_drafts import DraftView
from services.quoted_text import reply_text

router = APIRouter(prefix="/portal/email-drafts", include_in_schema=False)
SecretariatDep = Annotated[Viewer, Depends(PortalViewerOf(Role.SECRETARIAT))]
FIELDS = ("subject", "description", "remedy_sought", "name", "organisation", "email")


@router.get("", response_class=HTMLResponse)
def email_drafts_page(
    request: Request, viewer: SecretariatDep, session: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    """The e-mailed complaints waiting in the secretary's covenants, oldest first."""
    context = {
        "drafts": email_drafts.open_drafts(session=session, viewer=viewer),
        "done": request.query_params.get("done"),
    }
    return render(request, settings, viewer, "portal/email_drafts.html", context)


def _prefilled(view: DraftView) -> dict[str, Any]:
    """The complaint form's values from the e-mail: its sender is the complainant, kept
    confidential until the secretariat learns otherwise (the sender was never asked), and the
    description is the e-mail without its signature, which the company would read (the whole
    e-mail stays above the form for the secretariat)."""
    draft = view.draft
    return {
        "subject": draft.subject,
        "description": reply_text(draft.text, language=draft.language),
        "remedy_sought": "",
        "name": draft.sender_name or draft.sender_email.split("@")[0],
        "organisation": "",
        "email": draft.sender_email,
        "language": draft.language,
        "issues": [],
        "respondent": "",
        "confidential": True,
        "urgent": False,
        "evidence_visibility": "committee",
        "q": "",
    }


def _draft_page(
    request: Request,
    session: Session,
    settings: Settings,
    viewer: Viewer,
    view: DraftView,
    values: dict[str, Any],
    *,
    problem: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    covenant = view.draft.covenant
    q = str(values.get("q", ""))
    choices = respondent_choices.choices(session, covenant, q)
    picked = str(values.get("respondent", ""))
    if picked and picked not in {c.value for c in choices}:
        again = respondent_choices.picked(session, covenant, picked)
        choices = [again, *choices] if again else choices
    context = {
        "draft": view.draft,
        "files": view.files,
        "values": values,
        "choices": choices,
        "issues": list(IssueKind),
        "languages": LANGUAGES,
        "visibilities": forms.VISIBILITIES,
        "problem": problem,
    }
    return render(request, settings, viewer, "portal/email_draft.html", context, status=status)


@router.get("/{draft_id}", response_model=None)
def email_draft_page(
    draft_id: str,
    request: Request,
    viewer: SecretariatDep,
    session: SessionDep,
    settings: SettingsDep,
    q: str = "",
) -> Response:
    """One e-mailed complaint, and the complaint form prefilled from it; ``q`` searches the
    covenant's companies and production locations."""
    try:
        view = email_drafts.read_draft(session=session, viewer=viewer, draft_id=draft_id)
    except Problem as error:
        return error_page(request, status_of(error))
    values = {**_prefilled(view), "q": q[:200]}
    return _draft_page(request, session, settings, viewer, view, values)


def _values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {name: forms.text(form, name) for name in FIELDS}
    values.update(
        language=forms.text(form, "language"),
        respondent=forms.text(form, "respondent"),
        evidence_visibility=forms.text(form, "evidence_visibility"),
        issues=[v for v in form.getlist("issues") if isinstance(v, str)],
        confidential=forms.checked(form, "confidential"),
        urgent=forms.checked(form, "urgent"),
        q="",
    )
    return values


def _body(covenant: str, values: dict[str, Any]) -> dict[str, Any]:
    company, _, location = str(values["respondent"]).partition("|")
    return {
        "covenant": covenant,
        "respondent": {"company": company or None, "production_location": location or None},
        "complainant": {
            "name": values["name"],
            "organisation": values["organisation"] or None,
            "email": values["email"] or None,
            "language": values["language"] if values["language"] in LANGUAGES else "en",
            "confidential": values["confidential"],
        },
        "subject": values["subject"],
        "description": values["description"],
        "issues": values["issues"],
        "remedy_sought": values["remedy_sought"],
        "urgent": values["urgent"],
    }


@router.post("/{draft_id}/file", response_model=None)
async def file_email_draft(
    draft_id: str,
    request: Request,
    viewer: SecretariatDep,
    session: SessionDep,
    settings: SettingsDep,
    client: ClientDep,
    form: forms.CheckedForm,
) -> Response:
    """File the completed complaint; the case page, or the form again with what was wrong."""
    try:
        view = email_drafts.read_draft(session=session, viewer=viewer, draft_id=draft_id)
    except Problem as error:
        return error_page(request, status_of(error))
    values = _values(form)
    visibility = forms.visibility(values["evidence_visibility"])
    try:
        body = FileComplaintInput.model_validate(_body(view.draft.covenant, values))
        filed = await email_drafts.file_draft(
            session=session,
            client=client,
            settings=settings,
            throttle=throttle_of(request),
            viewer=viewer,
            draft_id=draft_id,
            body=body,
            visibility=visibility,
        )
    except ValidationError as invalid:
        problem = forms.problem_text(invalid, request)
        return _draft_page(
            request, session, settings, viewer, view, values, problem=problem, status=422
        )
    except Problem as error:
        problem = forms.problem_text(error, request)
        status = status_of(error)
        return _draft_page(
            request, session, settings, viewer, view, values, problem=problem, status=status
        )
    reference = filed.answer.reference
    return RedirectResponse(f"/portal/cases/{reference}", status_code=303)


@router.post("/{draft_id}/discard", response_model=None)
async def discard_email_draft(
    draft_id: str,
    request: Request,
    viewer: SecretariatDep,
    session: SessionDep,
    settings: SettingsDep,
    form: forms.CheckedForm,
) -> Response:
    """Discard the e-mailed complaint with a reason; back to the list."""
    try:
        email_drafts.discard_draft(
            session=session,
            settings=settings,
            viewer=viewer,
            draft_id=draft_id,
            reason=forms.text(form, "reason"),
        )
    except Problem as error:
        return error_page(request, status_of(error))
    return RedirectResponse("/portal/email-drafts?done=discarded", status_code=303)
