"""Track my case: reference and access code, then the case as its complainant sees it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData

from api.deps import (
    SessionDep,
    SettingsDep,
    get_client,
    guessed_code,
)
from api.errors import status_of
from api.files import attachment
from api.pages import forms, labels, request_choices
from api.pages.cookies import TRACK_COOKIE, PageViewerDep, track_case, tracked_case
from api.pages.errors import PageError
from api.pages.i18n import negotiate, reader_of, translations
from api.pages.templating import render
from api.pages.timeline import progress
from api.pages.tracking_drafts import draft_page
from api.throttle import throttle_of
from core.access_codes import canonical
from core.settings import Settings
from domain.actions import REGISTRY, ActionName, AddDocument, Placement, action_adapter
from domain.cases import CaseState, DocumentRef, Event
from domain.enums import CaseStatus, Channel, Side
from domain.merging import remaining_complainants
from domain.problems import Problem
from services import audit
from services.access import (
    Standing,
    Viewer,
    VisibleCase,
    as_complainant,
    may_see,
    standing,
    tracked_holder,
    withdrawn,
)
from services.acting import act_on_case, allowed_now
from services.reading import identity_of
from services.sms_notices import notice_choice
from services.uploads import ACCEPT, MAX_BYTES, add_document, document_file
from store import case_content, cases

router = APIRouter(include_in_schema=False)

# What the tracking page lets a complainant do, each through the API's action service, and
# the fields it posts: as each action's declaration says (``Spec.tracking``).
FIELDS = {
    name: model.spec.tracking for name, model in REGISTRY.items() if model.spec.tracking is not None
}
PAGE_ACTIONS = tuple(FIELDS)
# Offered on the page by its upload form rather than an action form.
UPLOADS = tuple(name for name, model in REGISTRY.items() if model.spec.page is Placement.UPLOAD)


@router.get("/track", response_class=HTMLResponse)
def track_form(
    request: Request, settings: SettingsDep, viewer: PageViewerDep, reference: str = ""
) -> HTMLResponse:
    """The form asking for the case's reference and access code."""
    context = {"reference": reference[:32], "problem": None}
    return render(request, settings, viewer, "public/track.html", context)


@router.post("/track", response_class=HTMLResponse)
async def open_case(
    form: forms.CheckedForm,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
) -> Response:
    """Check reference and code; remember them in an HttpOnly cookie and show the case."""
    reference = forms.text(form, "reference").upper()[:32]
    # As issued, however typed: "4831 0927 …", with dashes, or in Bengali digits; the track
    # cookie is made from the code as issued (``track_case``).
    code = canonical(forms.text(form, "code")[:128])
    state = case_content.load_state(session=session, reference=reference) if reference else None
    if state is None and reference and code:  # an e-mailed complaint not filed yet?
        drafted = draft_page(request, session, settings, viewer, reference, code)
        if drafted is not None:
            return drafted
    # A wrong code counts, also for an unknown reference: probing references is guessing too.
    holder = guessed_code(request, session, settings, reference, code) if code else None
    if state is None or holder is None or standing(holder, state) is None:
        # The same answer for an unknown reference and a wrong code.
        context = {"reference": reference, "problem": "not_found"}
        return render(request, settings, viewer, "public/track.html", context, status=404)
    redirect = RedirectResponse(f"/track/{reference}", status_code=303)
    track_case(redirect, request, settings, reference, code)
    return redirect


@router.post("/track/forget")
async def forget_case(form: forms.CheckedForm) -> Response:
    """Stop tracking on this device: the cookie with the code is removed."""
    redirect = RedirectResponse("/track", status_code=303)
    redirect.delete_cookie(TRACK_COOKIE, path="/")
    return redirect


def tracked(
    request: Request, session: Session, settings: Settings, viewer: Viewer, reference: str
) -> VisibleCase:
    """The case as its complainant sees it: by the tracked code, or a union's own case."""
    state = case_content.load_state(session=session, reference=reference)
    if state is None:
        raise PageError(404, "case")
    remembered = tracked_case(request)
    if remembered is not None and remembered[0] == reference:
        holder = tracked_holder(session, settings, reference, remembered[1])
        if standing(holder, state) is Standing.COMPLAINANT:
            return VisibleCase.seen(state, Standing.COMPLAINANT, holder)
    if viewer.signed_in and standing(viewer, state) is Standing.COMPLAINANT:
        # A union's user acts and reads as its organisation's complainant record.
        own = as_complainant(session, viewer, state)
        return VisibleCase.seen(state, Standing.COMPLAINANT, own)
    raise PageError(404, "case")


def case_in_path(
    reference: str,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
) -> VisibleCase:
    """The case in the path as its complainant sees it (the 404 page otherwise)."""
    return tracked(request, session, settings, viewer, reference)


# The events of the complainant's requests, whose summaries begin with the request's id.
FILER = 1  # the number of the complainant record of whoever filed the case
REQUEST_EVENTS = frozenset({"follow_up_requested", "meeting_requested", "request_answered"})

TrackedCaseDep = Annotated[VisibleCase, Depends(case_in_path)]


def case_page(
    request: Request,
    session: Session,
    settings: Settings,
    viewer: Viewer,
    case: VisibleCase,
    *,
    errors: forms.Errors | None = None,
    failed: str | None = None,
    problem: str | None = None,
    posted: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The tracking page of a case, with a form for each thing its complainant may do now."""
    state = case.state
    organisation = case.viewer.organisation_id

    def seen(item: Event | DocumentRef) -> bool:
        return may_see(case.standing, item.visibility, party=item.party, organisation=organisation)

    # Besides what parties may see, the complainant sees what it sent to the committee alone,
    # and the secretariat's answers to its requests (``request_answered``: for it alone). On
    # a case others were merged into, it sees only what is recorded as its own
    # (``Event.complainant``, its requests' ``PartyRequest.complainant``): what another
    # complainant wrote to the committee (it may name workers, or itself) never.
    several = len(cases.case_complainants(session=session, reference=state.reference)) > 1
    me = case.viewer.complainant

    def own(item: Event | DocumentRef) -> bool:
        if several:
            return isinstance(item, Event) and me is not None and whose(state, item) == me
        if isinstance(item, DocumentRef):
            return item.by_side is Side.COMPLAINANT
        return item.actor_role == Side.COMPLAINANT.value or item.type == "request_answered"

    events = [e for e in state.events if seen(e) or own(e)]
    allowed = set(allowed_now(case))
    asked = state.information_request
    now = datetime.now(UTC)
    gettext = translations(negotiate(request)).gettext
    context: dict[str, Any] = {
        "state": state,
        "events": [e for e in events if e.type != "message"],
        "messages": [e for e in events if e.type == "message"],
        "earlier": case_content.has_earlier_events(state),
        "documents": [(d, seen(d)) for d in state.documents if seen(d) or own(d)],
        "identity": identity_of(
            session=session,
            state=state,
            standing=case.standing,
            complainant=case.viewer.complainant,
        ),
        "next": state.open_deadlines()[0] if state.open_deadlines() else None,
        "question": asked if asked and asked.from_side is Side.COMPLAINANT else None,
        # A consent given stands until mediation starts: the page says so, not offers it again
        # (on a case with several complainants, this complainant's own consent).
        "consented": Side.COMPLAINANT in state.mediation.consents
        or (me is not None and me in state.mediation.complainants and awaited(state)),
        "mediation_started": state.mediation.started_at is not None,
        # A complainant that withdrew from a case others go on with reads it, no more.
        "withdrew": withdrawn(case.viewer, state) and state.status is not CaseStatus.CLOSED,
        "may": {name.value: name in allowed for name in (*PAGE_ACTIONS, *UPLOADS)},
        **request_choices.tracking_context(case, gettext, reader_of(request)),
        "progress": progress(state, now=now, gettext=gettext),
        "pseudonym": labels.pseudonym(state.pseudonym, gettext),
        "visibilities": forms.VISIBILITIES,
        "accept": ACCEPT,
        "max_mb": MAX_BYTES // 2**20,
        "done": request.query_params.get("done"),
        "errors": errors or {},
        "failed": failed,
        "problem": problem,
        "posted": posted or {},
        # Notices by e-mail only, or also by SMS: the complainant's own choice.
        "notices": notice_choice(session=session, case=case),
    }
    response = render(request, settings, viewer, "public/case.html", context, status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def awaited(state: CaseState) -> bool:
    """Whether a complainant still in the case has yet to consent to mediation (if the last
    one awaited withdrew instead, one that consented confirms it and mediation can start)."""
    agreed = set(state.mediation.complainants)
    return any(n not in agreed for n in remaining_complainants(state))


def whose(state: CaseState, event: Event) -> int | None:
    """The complainant an event is recorded as of or for, on a case with several: its own
    field, else (a request, or its answer) the complainant that asked (``request-<n>: ...``).
    What a complainant wrote before any other joined the case, unnumbered, is the filer's
    (record 1): the others' earlier writing stayed on the cases merged in."""
    if event.complainant is not None:
        return event.complainant
    if event.type in REQUEST_EVENTS:
        asked = event.summary.split(":", 1)[0].split(" ", 1)[0]
        request = next((r for r in state.party_requests if r.id == asked), None)
        return None if request is None else request.complainant or FILER
    return FILER if event.actor_role == Side.COMPLAINANT.value else None


@router.get("/track/{reference}", response_class=HTMLResponse)
def read_tracked_case(
    case: TrackedCaseDep,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
) -> HTMLResponse:
    """Stage, next step and its due date, timeline, messages, documents and forms."""
    if request.query_params.get("all"):
        case_content.with_whole_timeline(session=session, state=case.state)
    audit.record_read(session, case.viewer, case.state, case.standing, "tracking")
    return case_page(request, session, settings, viewer, case)


def _refusal(error: Problem) -> str:
    return {403: "forbidden", 409: "wrong_stage", 422: "invalid", 413: "file_size"}.get(
        status_of(error), "engine"
    )


@router.post("/track/{reference}/actions", response_class=HTMLResponse)
async def act_on_tracked_case(
    reference: str,
    form: forms.CheckedForm,
    case: TrackedCaseDep,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
) -> Response:
    """Answer a request for information, send a message, consent to or decline mediation, or
    withdraw: the API's action service."""
    try:
        name = ActionName(forms.text(form, "action"))
    except ValueError:
        raise PageError(400) from None
    if name not in PAGE_ACTIONS:
        raise PageError(400)
    posted = {field: forms.text(form, field) for field in FIELDS[name]}
    fields: dict[str, str] = dict(posted)
    if "until" in fields:  # a day on the form: its end, at the seat, as the API takes it
        fields["until"] = request_choices.end_of_day(fields["until"])
    if "visibility" in posted:
        posted["visibility"] = forms.visibility(posted["visibility"]).value
    try:
        action = action_adapter.validate_python({"action": name.value, **fields})
    except ValidationError as invalid:
        errors = forms.validation_errors(invalid, lambda loc: str(loc[-1]) if loc else "form")
        return case_page(
            request, session, settings, viewer, case, errors=errors, failed=name, posted=posted,
            status=422,
        )  # fmt: skip
    try:
        client = await get_client(request)
        await act_on_case(
            case=case, action=action, session=session, client=client, channel=Channel.WEB
        )
    except Problem as error:
        return case_page(
            request, session, settings, viewer, case, failed=name, problem=_refusal(error),
            posted=posted, status=status_of(error),
        )  # fmt: skip
    return RedirectResponse(f"/track/{reference}?done={name.value}", status_code=303)


@router.post("/track/{reference}/documents", response_class=HTMLResponse)
async def add_tracked_document(
    reference: str,
    form: Annotated[FormData, Depends(forms.CsrfChecked(max_files=1))],
    case: TrackedCaseDep,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
) -> Response:
    """Add a document to the case through the API's upload service."""
    uploads = forms.files(form, "file")
    visibility = forms.visibility(forms.text(form, "visibility"))
    failed = AddDocument.spec.name
    problems = forms.upload_errors(uploads, max_files=1)
    if not uploads or problems:
        errors = {"file": problems[0] if problems else forms.FieldError("required")}
        return case_page(
            request, session, settings, viewer, case, errors=errors, failed=failed, status=422
        )
    try:
        client = await get_client(request)
        await add_document(
            case=case,
            upload=uploads[0],
            visibility=visibility,
            session=session,
            client=client,
            settings=settings,
            throttle=throttle_of(request),
            channel=Channel.WEB,
        )
    except Problem as error:
        return case_page(
            request, session, settings, viewer, case, failed=failed, problem=_refusal(error),
            status=status_of(error),
        )  # fmt: skip
    return RedirectResponse(f"/track/{reference}?done={failed}", status_code=303)


@router.get("/track/{reference}/documents/{document_id}")
def download_tracked_document(
    document_id: str,
    case: TrackedCaseDep,
    session: SessionDep,
    settings: SettingsDep,
) -> FileResponse:
    """A document of the case the complainant may see, as an attachment."""
    try:
        return attachment(
            document_file(case=case, document_id=document_id, session=session, settings=settings)
        )
    except Problem:
        raise PageError(404, "document") from None
