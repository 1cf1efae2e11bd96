"""``/portal/mail`` (local mode only): the mail the local SMTP sink received.

Staff see every message; a party's user sees those addressed to them or their organisation,
so a company never reads the complainant's own receipt.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request, Response
from sqlmodel import Session

from api.deps import SessionDep, SettingsDep
from api.pages.errors import error_page
from api.pages.portal_base import PortalViewerDep, is_staff
from api.pages.templating import render
from core.settings import Settings
from notifications.mailbox import MailStore, MessageSummary, body_parts, summarize
from services.access import Viewer
from store import organisations

router = APIRouter(prefix="/mail", include_in_schema=False)
LIMIT = 200


def mail_store(settings: Settings) -> MailStore:
    """The sink's store: ``.eml`` files under the data directory."""
    return MailStore(Path(settings.data_dir) / "mail")


def _addresses(session: Session, viewer: Viewer) -> set[str] | None:
    """The addresses whose mail this viewer may read; None for all of it."""
    if is_staff(viewer):
        return None
    found = {viewer.email or ""}
    if viewer.organisation_id:
        contacts = organisations.organisation_contacts(
            session=session, organisation_id=viewer.organisation_id
        )
        found.update(c.email for c in contacts)
    return {a.strip().lower() for a in found if a.strip()}


def _readable(summary: MessageSummary, addresses: set[str] | None) -> bool:
    if addresses is None:
        return True
    to = summary.to.lower()
    return any(address in to for address in addresses)


def _not_here(request: Request) -> Response:
    return error_page(request, 404)


@router.get("", response_model=None)
def list_mail(
    request: Request, viewer: PortalViewerDep, session: SessionDep, settings: SettingsDep
) -> Response:
    """The messages the sink received, newest first."""
    if not settings.local_mode:
        return _not_here(request)
    addresses = _addresses(session, viewer)
    messages = [s for s in mail_store(settings).summaries(LIMIT) if _readable(s, addresses)]
    context = {"messages": messages, "everything": addresses is None}
    return render(request, settings, viewer, "portal/mail_list.html", context)


@router.get("/{message_id}", response_model=None)
def read_mail(
    message_id: str,
    request: Request,
    viewer: PortalViewerDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """One received message: its headers, text part and (sandboxed) HTML part."""
    if not settings.local_mode:
        return _not_here(request)
    message = mail_store(settings).load(message_id)
    if message is None:
        return _not_here(request)
    summary = summarize(message_id, message)
    if not _readable(summary, _addresses(session, viewer)):
        return _not_here(request)
    text, html_body = body_parts(message)
    context = {"summary": summary, "text": text, "html": html_body}
    return render(request, settings, viewer, "portal/mail_message.html", context)
