"""The secretariat's registry page: upload a company's supplier lists, see what happened."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse
from sqlmodel import Session
from starlette.datastructures import FormData, UploadFile

from api.body_limit import refuse_oversized
from api.deps import SessionDep, SettingsDep
from api.pages import forms
from api.pages.errors import error_page
from api.pages.labels import Gettext
from api.pages.portal_base import PortalViewerDep, PortalViewerOf, gettext_for
from api.pages.templating import render
from core.settings import Settings
from domain.enums import Role
from domain.problems import Problem
from services.access import Viewer
from services.uploads import MAX_BYTES
from store import covenants as covenant_store
from store.supplier_lists import (
    ImportReport,
    UnreadableList,
    company_for_import,
    import_list,
    parse_tables,
    read_table,
)
from store.tables import Organisation

router = APIRouter()
MAX_FILES = 10
IMPORTERS = (Role.SECRETARIAT, Role.ADMIN)


def _page(
    request: Request,
    settings: Settings,
    viewer: Viewer,
    session: Session,
    status: int = 200,
    **extra: Any,
) -> HTMLResponse:
    covenants = covenant_store.list_covenants(session=session)
    context = {"covenants": covenants, "form": {}, "errors": {}, "report": None, **extra}
    return render(request, settings, viewer, "portal/registry.html", context, status=status)


def _import(
    session: Session,
    values: dict[str, str],
    files: list[tuple[str, bytes]],
    errors: dict[str, str],
    _: Gettext,
) -> tuple[ImportReport, Organisation, bool] | None:
    """Check and import the lists (blocking); None with ``errors`` filled when refused."""
    if covenant_store.latest_covenant(session=session, slug=values["covenant"]) is None:
        errors["covenant"] = _("Choose a covenant.")
    if errors:
        return None
    try:
        tables = [
            (name, read_table(name, data, values["encoding"] or None)) for name, data in files
        ]
        rows, rejected = parse_tables(tables)
    except (UnreadableList, LookupError) as exc:
        errors["files"] = str(exc)
        return None
    company, created = company_for_import(
        session=session, covenant=values["covenant"], key=values["company"]
    )
    report = import_list(
        session=session,
        covenant=values["covenant"],
        company_id=company.id,
        rows=rows,
        now=datetime.now(UTC),
        confidential=bool(values["confidential"]),
    )
    report.rejected = rejected
    session.commit()
    return report, company, created


@router.get("/registry", response_model=None)
def registry_form(
    request: Request, viewer: PortalViewerDep, session: SessionDep, settings: SettingsDep
) -> Response:
    """The upload form for a company's published supplier lists."""
    if viewer.role not in IMPORTERS:
        return error_page(request, 404)
    return _page(request, settings, viewer, session)


@router.post("/registry", response_model=None)
async def import_supplier_lists(
    request: Request,
    viewer: Annotated[Viewer, Depends(PortalViewerOf(*IMPORTERS))],
    session: SessionDep,
    settings: SettingsDep,
    form: Annotated[FormData | None, Depends(forms.CsrfCheckedUpload(max_files=forms.ANY_FILES))],
) -> Response:
    """Import uploaded lists for one company with the same importer as the command line."""
    _ = gettext_for(request)
    try:
        refuse_oversized(request)
    except Problem as error:
        return _page(request, settings, viewer, session, 413, errors={"files": error.message})
    assert form is not None  # None only when the body is too large, as said above
    fields = ("covenant", "company", "encoding", "confidential")
    values = {k: str(form.get(k) or "").strip() for k in fields}
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    errors: dict[str, str] = {}
    if not values["company"]:
        errors["company"] = _("Name the company whose lists these are.")
    if not uploads:
        errors["files"] = _("Choose one or more CSV or XLSX files.")
    elif len(uploads) > MAX_FILES:
        errors["files"] = _("At most %(n)d files at a time.") % {"n": MAX_FILES}
    files: list[tuple[str, bytes]] = []
    for upload in uploads if not errors else []:
        data = await upload.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            errors["files"] = _("%(name)s is larger than 20 MB.") % {"name": upload.filename}
            break
        files.append((str(upload.filename), data))
    # Parsing up to 200 MB of lists and writing them is work for a thread, not the event loop.
    imported = await asyncio.to_thread(_import, session, values, files, errors, _)
    if imported is None:
        return _page(request, settings, viewer, session, 422, form=values, errors=errors)
    report, company, created = imported
    return _page(
        request,
        settings,
        viewer,
        session,
        form=values,
        report=report,
        company=company,
        created=created,
        reasons=sorted(report.rejected_by_reason().items()),
    )
