"""``/portal/dispute``: a signed-in user of a covenant party brings a dispute against another
party to the same covenant, through the API's filing service (``submit_dispute``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session
from starlette.datastructures import FormData

from api.deps import SessionDep, SettingsDep, get_client
from api.errors import status_of
from api.pages import filing_form, forms, labels
from api.pages.i18n import negotiate
from api.pages.portal_base import PortalViewerDep, case_for, gettext_for, not_found_page
from api.pages.templating import render
from core.settings import Settings
from domain.enums import Channel
from domain.filing import FileDisputeInput
from domain.problems import Problem
from domain.procedure import Covenant
from services.access import Viewer
from services.intake import submit_dispute
from store import covenants as covenant_store
from store import organisations
from store.tables import Organisation

router = APIRouter()

TEXT_FIELDS = ("respondent", "subject", "description", "remedy_sought", "language")


@dataclass(frozen=True)
class PartyCovenant:
    """A covenant the viewer's organisation is a party to, and its other parties."""

    covenant: Covenant
    others: list[Organisation]


def party_covenants(session: Session, viewer: Viewer) -> list[PartyCovenant]:
    """The covenants the viewer's organisation is a party to, each with the parties it may
    bring a dispute against; empty for anyone else."""
    own = viewer.organisation_id
    if not viewer.signed_in or own is None:
        return []
    found = []
    for covenant in covenant_store.list_covenants(session=session):
        if organisations.is_covenant_party(
            session=session, covenant=covenant.slug, organisation_id=own
        ):
            parties = organisations.covenant_parties(session=session, covenant=covenant.slug)
            found.append(PartyCovenant(covenant, [p for p in parties if p.id != own]))
    return found


def may_dispute(session: Session, viewer: Viewer) -> bool:
    """Whether the portal offers the viewer the dispute form."""
    return bool(party_covenants(session, viewer))


def _form_page(
    request: Request,
    session: Session,
    settings: Settings,
    viewer: Viewer,
    *,
    values: dict[str, Any],
    errors: forms.Errors | None = None,
    problem: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    choices = party_covenants(session, viewer)
    own = (
        organisations.get_organisation(session=session, organisation_id=viewer.organisation_id)
        if viewer.organisation_id
        else None
    )
    context = {
        "choices": choices,
        "own": own,
        "values": values,
        "errors": errors or {},
        "problem": problem,
    }
    if not choices and status == 200:
        status = 403  # the page says why: only a party brings a dispute
    return render(request, settings, viewer, "portal/dispute.html", context, status=status)


@router.get("/dispute", response_class=HTMLResponse)
def dispute_form(
    request: Request, viewer: PortalViewerDep, session: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    """The dispute form, or why this user's organisation cannot bring one."""
    values = {"language": negotiate(request)}
    return _form_page(request, session, settings, viewer, values=values)


def _values(form: FormData) -> dict[str, Any]:
    return {name: forms.text(form, name) for name in TEXT_FIELDS}


def _body(values: dict[str, Any]) -> dict[str, Any]:
    covenant, _, organisation = str(values["respondent"]).partition("|")
    return {
        "covenant": covenant,
        "respondent": {"organisation": organisation},
        "subject": values["subject"],
        "description": values["description"],
        "remedy_sought": values["remedy_sought"],
        "language": filing_form.language(values),
    }


_field_of = partial(filing_form.field_of, covenant="respondent")


def _service_word(own: bool) -> Callable[[list[str], str], forms.FieldError | None]:
    """The filing service's unknown party, or the filer's own organisation (``own``)."""

    def word(loc: list[str], name: str) -> forms.FieldError | None:
        if name == "respondent":
            return forms.FieldError("own_party" if own else "unknown_party")
        return None

    return word


@router.post("/dispute", response_class=HTMLResponse)
async def send_dispute(
    viewer: PortalViewerDep,
    form: forms.CheckedForm,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """File the dispute; the form again, saying what is wrong, when it is refused."""
    values = _values(form)

    def again(errors: forms.Errors, problem: str | None = None, status: int = 422) -> Response:
        return _form_page(
            request, session, settings, viewer, values=values, errors=errors, problem=problem,
            status=status,
        )  # fmt: skip

    if not may_dispute(session, viewer):  # the same refusal as the service's, sooner
        return again({}, "not_party", status=403)
    try:
        body = FileDisputeInput.model_validate(_body(values))
    except ValidationError as invalid:
        errors = forms.validation_errors(invalid, _field_of)
        filing_form.unfilled(errors, values)
        if "respondent" in errors:
            errors["respondent"] = forms.FieldError("choose_party")
        return again(errors)
    try:
        filed = await submit_dispute(
            body=body,
            viewer=viewer,
            session=session,
            client=await get_client(request),
            settings=settings,
            channel=Channel.WEB,
        )
    except Problem as error:
        status = status_of(error)
        if status == 422:
            own = body.respondent.organisation == viewer.organisation_id
            return again(filing_form.service_errors(error, _field_of, _service_word(own)))
        return again({}, {403: "not_party"}.get(status, "engine"), status=status)
    reference = filed.answer.reference
    if not filed.confirmed:  # not projected yet: the case page would not find it
        return _filed_page(request, session, settings, viewer, reference, status=202)
    return RedirectResponse(f"/portal/dispute/filed/{reference}", status_code=303)


def _filed_page(
    request: Request,
    session: Session,
    settings: Settings,
    viewer: Viewer,
    reference: str,
    *,
    status: int = 200,
) -> HTMLResponse:
    case = case_for(reference, session, viewer)
    state = case.state if case else None
    gettext = gettext_for(request)
    first = state.open_deadlines()[0] if state and state.open_deadlines() else None
    context = {
        "reference": reference,
        "state": state,
        "stage": labels.word(labels.STAGES, state.stage, gettext) if state else None,
        "next": (
            {"label": labels.deadline_label(first.name, first.label, gettext), "due": first.due}
            if first
            else None
        ),
    }
    return render(request, settings, viewer, "portal/dispute_filed.html", context, status=status)


@router.get("/dispute/filed/{reference}", response_class=HTMLResponse)
def dispute_filed(
    reference: str,
    request: Request,
    viewer: PortalViewerDep,
    session: SessionDep,
    settings: SettingsDep,
) -> HTMLResponse:
    """The dispute just filed: its reference, stage and next step."""
    if case_for(reference, session, viewer) is None:
        return not_found_page(request, settings, viewer)
    return _filed_page(request, session, settings, viewer, reference)
