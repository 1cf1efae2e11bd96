"""The public register's pages (/register, /register/{reference}) in the public languages,
and the secretariat's redaction list of a case (/portal/cases/{reference}/redaction).

Plain forms and links: search and filters work without JavaScript (a GET form), and the
redaction list is edited with CSRF-checked posts that redirect back (post/redirect/get).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from api.deps import SessionDep, SettingsDep
from api.pages import forms
from api.pages.cookies import PageViewerDep
from api.pages.errors import PageError
from api.pages.portal_base import CaseRoute, PortalCaseDep, PortalViewerDep, gettext_for
from api.pages.templating import render
from domain.problems import Problem
from domain.words import FINDINGS, KINDS, OUTCOMES, STAGES
from services import audit, register_actions
from services import register as register_service
from services.access import Standing, VisibleCase
from services.register import RegisterFilter
from store import covenants as covenant_store

PAGE_SIZE = 20

router = APIRouter(include_in_schema=False)
portal_router = APIRouter(prefix="/portal/cases", include_in_schema=False, route_class=CaseRoute)


def _words() -> dict[str, dict[str, str]]:
    return {"outcomes": OUTCOMES, "findings": FINDINGS, "stages": STAGES, "kinds": KINDS}


def _outcome_choices() -> list[tuple[str, str]]:
    return [*FINDINGS.items(), *OUTCOMES.items()]


@router.get("/register", response_class=HTMLResponse)
def register_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    covenant: Annotated[str | None, Query(max_length=64)] = None,
    year: Annotated[str | None, Query(max_length=4)] = None,
    outcome: Annotated[str | None, Query(max_length=32)] = None,
    company: Annotated[str | None, Query(max_length=200)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The public register: search and filters, the published entries, the rest as counts."""
    year_number = int(year) if year and year.isdigit() else None
    wanted = RegisterFilter(
        q=q or None,
        covenant=covenant or None,
        year=year_number,
        outcome=outcome or None,
        company=company or None,
    )
    found = register_service.register_page(session, wanted=wanted, page=page, page_size=PAGE_SIZE)
    asked = {
        k: v
        for k, v in {
            "q": q,
            "covenant": covenant,
            "year": year,
            "outcome": outcome,
            "company": company,
        }.items()
        if v
    }
    pages = max(1, -(-found.total // PAGE_SIZE))
    covenants = covenant_store.list_covenants(session=session)
    context = {
        "found": found,
        "asked": asked,
        "covenants": covenants,
        "covenant_names": {c.slug: c.name for c in covenants},
        "dutch_names": {c.slug: c.name_nl or c.name for c in covenants},
        "outcome_choices": _outcome_choices(),
        "previous": urlencode({**asked, "page": page - 1}) if page > 1 else None,
        "next": urlencode({**asked, "page": page + 1}) if page < pages else None,
        "pages": pages,
        "feed": "/api/v1/register.atom" + (f"?{urlencode(asked)}" if asked else ""),
        **_words(),
    }
    return render(request, settings, viewer, "public/register.html", context)


@router.get("/register/{reference}", response_class=HTMLResponse)
def register_entry_page(
    request: Request,
    reference: str,
    session: SessionDep,
    settings: SettingsDep,
    viewer: PageViewerDep,
) -> HTMLResponse:
    """One entry of the register."""
    try:
        entry = register_service.public_entry(session, reference=reference[:32])
    except Problem:
        raise PageError(404) from None
    context = {"entry": entry, **_words()}
    return render(request, settings, viewer, "public/register_entry.html", context)


# --- The secretariat's redaction list of a case ------------------------------------------


def _staff_case(case: PortalCaseDep) -> VisibleCase:
    if case.standing is not Standing.STAFF:
        raise PageError(404)
    return case


StaffCaseDep = Annotated[VisibleCase, Depends(_staff_case)]


def _terms_page(
    request: Request,
    settings: SettingsDep,
    session: SessionDep,
    case: VisibleCase,
    *,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    state = case.state
    preview = None
    try:
        preview = register_service.public_entry(session, reference=state.reference)
    except Problem:
        preview = None
    context = {
        "case": state,
        "terms": register_actions.terms(session, state=state),
        "keeper": case.viewer.role is not None
        and case.viewer.role.value in register_actions.KEEPERS,
        "preview": preview,
        "error": error,
        "notice": request.query_params.get("done"),
    }
    return render(
        request, settings, case.viewer, "public/register_terms.html", context, status=status
    )


@portal_router.get("/{reference}/redaction", response_class=HTMLResponse)
def redaction_page(
    request: Request,
    viewer: PortalViewerDep,
    session: SessionDep,
    settings: SettingsDep,
    case: StaffCaseDep,
) -> HTMLResponse:
    """The case's redaction list, and its register entry as the public sees it now."""
    return _terms_page(request, settings, session, case)


@portal_router.post("/{reference}/redaction", response_model=None)
def add_redaction_term_from_form(
    request: Request,
    viewer: PortalViewerDep,
    session: SessionDep,
    settings: SettingsDep,
    form: Annotated[FormData, Depends(forms.CsrfChecked())],
    case: StaffCaseDep,
) -> HTMLResponse | RedirectResponse:
    """Add a term (secretariat, chair); back to the list."""
    _ = gettext_for(request)
    term = str(form.get("term") or "")
    scope = "covenant" if form.get("scope") == "covenant" else "case"
    try:
        register_actions.add_term(
            session, who=audit.who(viewer), state=case.state, term=term, scope=scope
        )
    except Problem:
        message = _("Write a name or term of at least 2 characters.")
        if case.viewer.role is None or case.viewer.role.value not in register_actions.KEEPERS:
            message = _("Only the secretariat and the chair keep the redaction list.")
        return _terms_page(request, settings, session, case, error=message, status=422)
    return RedirectResponse(f"/portal/cases/{case.state.reference}/redaction?done=1", 303)


@portal_router.post("/{reference}/redaction/{term_id}/remove", response_model=None)
def remove_redaction_term_from_form(
    request: Request,
    term_id: int,
    viewer: PortalViewerDep,
    session: SessionDep,
    settings: SettingsDep,
    form: Annotated[FormData, Depends(forms.CsrfChecked())],
    case: StaffCaseDep,
) -> HTMLResponse | RedirectResponse:
    """Remove a term (secretariat, chair); back to the list."""
    _ = gettext_for(request)
    try:
        register_actions.remove_term(
            session, who=audit.who(viewer), state=case.state, term_id=term_id
        )
    except Problem:
        message = _("Only the secretariat and the chair keep the redaction list.")
        return _terms_page(request, settings, session, case, error=message, status=422)
    return RedirectResponse(f"/portal/cases/{case.state.reference}/redaction?done=1", 303)
