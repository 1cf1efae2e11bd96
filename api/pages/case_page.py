"""``/portal/cases/{reference}``: the case page, its action forms, uploads and downloads."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Request, Response
from fastapi import UploadFile as FastApiUpload
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData, UploadFile

from api.body_limit import refuse_oversized
from api.deps import SessionDep, SettingsDep, get_client
from api.errors import status_of
from api.files import attachment
from api.pages import forms
from api.pages.action_forms import FORM_ERROR, FormErrors, parse_action
from api.pages.case_page_context import case_context
from api.pages.errors import error_page
from api.pages.i18n import reader_of
from api.pages.labels import ACTIONS
from api.pages.portal_base import CaseRoute, PortalCaseDep, PortalViewerDep, gettext_for
from api.pages.templating import render
from api.throttle import throttle_of
from core.settings import Settings
from domain.actions import ActionName
from domain.enums import Channel, Visibility
from domain.problems import Problem
from services import audit
from services.access import VisibleCase
from services.acting import act_on_case
from services.uploads import add_document, document_file
from store import case_content

router = APIRouter(prefix="/cases", include_in_schema=False, route_class=CaseRoute)


def _case_page(
    request: Request,
    settings: Settings,
    session: SessionDep,
    case: VisibleCase,
    *,
    status: int = 200,
    posted: dict[str, Any] | None = None,
    notice: str | None = None,
    refusal: str | None = None,
) -> HTMLResponse:
    gettext = gettext_for(request)
    context = case_context(
        case=case,
        session=session,
        settings=settings,
        gettext=gettext,
        now=datetime.now(UTC),
        posted=posted,
        reader=reader_of(request),
    )
    context.update(notice=notice, refusal=refusal)
    return render(request, settings, case.viewer, "portal/case.html", context, status=status)


@router.get("/{reference}", response_class=HTMLResponse)
def read_case_page(
    request: Request,
    viewer: PortalViewerDep,
    session: SessionDep,
    settings: SettingsDep,
    case: PortalCaseDep,
) -> HTMLResponse:
    """The case as the signed-in user may see it, with a form for each action open to them."""
    _ = gettext_for(request)
    notice = None
    done = request.query_params.get("done")
    if done in ACTIONS:
        notice = _("Done: %(action)s.") % {"action": _(ACTIONS[done])}
    elif request.query_params.get("uploaded"):
        notice = _("The document was added to the case.")
    if request.query_params.get("all"):
        case_content.with_whole_timeline(session=session, state=case.state)
    audit.record_read(session, viewer, case.state, case.standing, "portal")
    return _case_page(request, settings, session, case, notice=notice)


def _refusal_text(error: Problem, request: Request) -> str:
    _ = gettext_for(request)
    if status_of(error) == 403:
        lead = _("You may not take this action.")
    elif status_of(error) == 409:
        lead = _("This action is not possible now.")
    elif status_of(error) >= 500:
        lead = _("The case engine did not answer; nothing was changed. Try again shortly.")
        return lead
    else:
        lead = _("The action was refused.")
    return f"{lead} {error.message}"


@router.post("/{reference}/actions", response_model=None)
async def take_action_from_form(
    reference: str,
    request: Request,
    viewer: PortalViewerDep,
    session: SessionDep,
    settings: SettingsDep,
    form: Annotated[FormData, Depends(forms.CsrfChecked(max_files=forms.ANY_FILES))],
    case: PortalCaseDep,
) -> Response:
    """Parse an action's form, take it through the same service as the API, show the result."""
    values = {key: value for key, value in form.items() if isinstance(value, str)}
    _ = gettext_for(request)
    try:
        name = ActionName(values.get("action", ""))
    except ValueError:
        refusal = _("Unknown action; nothing was changed.")
        return _case_page(request, settings, session, case, status=422, refusal=refusal)
    posted: dict[str, Any] = {"action": name.value, "values": values, "errors": {}}
    try:
        action = parse_action(name, values, _)
    except FormErrors as invalid:
        posted["errors"] = invalid.errors
        refusal = _("Some fields need attention; nothing was changed.")
        return _case_page(
            request, settings, session, case, status=422, posted=posted, refusal=refusal
        )
    try:
        client = await get_client(request)
        await act_on_case(
            case=case, action=action, session=session, client=client, channel=Channel.WEB
        )
    except Problem as error:
        fields = error.extra.get("errors") or []
        for item in fields:
            loc = item.get("loc") or []
            posted["errors"][str(loc[-1]) if loc else FORM_ERROR] = str(item.get("msg"))
        if not fields:
            posted["errors"][FORM_ERROR] = str(error.message)
        return _case_page(
            request,
            settings,
            session,
            case,
            status=status_of(error),
            posted=posted,
            refusal=_refusal_text(error, request),
        )
    return RedirectResponse(f"/portal/cases/{reference}?done={name.value}#result", 303)


@router.post("/{reference}/documents", response_model=None)
async def upload_document_from_form(
    reference: str,
    request: Request,
    viewer: PortalViewerDep,
    session: SessionDep,
    settings: SettingsDep,
    form: Annotated[FormData | None, Depends(forms.CsrfCheckedUpload(max_files=forms.ANY_FILES))],
    case: PortalCaseDep,
) -> Response:
    """Add an uploaded document to the case, through the same checks as the API."""
    _ = gettext_for(request)
    try:
        refuse_oversized(request)
    except Problem as error:
        posted = {"upload_error": error.message}
        return _case_page(request, settings, session, case, status=413, posted=posted)
    assert form is not None  # None only when the body is too large, as said above
    upload = form.get("file")
    try:
        visibility = Visibility(str(form.get("visibility", Visibility.PARTIES.value)))
    except ValueError:
        visibility = Visibility.PARTIES
    chosen = form.get("party")
    party = chosen.strip() or None if isinstance(chosen, str) else None  # staff only
    if not isinstance(upload, UploadFile) or not upload.filename:
        posted = {"upload_error": _("Choose a file to upload.")}
        return _case_page(request, settings, session, case, status=422, posted=posted)
    try:
        client = await get_client(request)
        await add_document(
            case=case,
            upload=cast(FastApiUpload, upload),  # the form's file; the same interface
            visibility=visibility,
            party=party,
            session=session,
            client=client,
            settings=settings,
            throttle=throttle_of(request),
            channel=Channel.WEB,
        )
    except Problem as error:
        posted = {"upload_error": _refusal_text(error, request)}
        return _case_page(request, settings, session, case, status=status_of(error), posted=posted)
    return RedirectResponse(f"/portal/cases/{reference}?uploaded=1#documents", 303)


@router.get("/{reference}/documents/{document_id}", response_model=None)
def download_document_page(
    document_id: str,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    case: PortalCaseDep,
) -> Response:
    """A document of the case as an attachment, if the signed-in user may see it."""
    try:
        return attachment(
            document_file(case=case, document_id=document_id, session=session, settings=settings)
        )
    except Problem:
        return error_page(request, 404, "document")
