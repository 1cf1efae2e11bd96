"""``/api/v1/register``: the public register of anonymised decisions (JSON and Atom), one
entry, and the secretariat's redaction list of a case."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Response
from pydantic import BaseModel, Field

from api.deps import SessionDep, SettingsDep, VisibleCaseDep
from api.schemas import CASE, INVALID, MAX_PAGE, ErrorOut, responses
from domain.problems import NotPermitted
from services import audit, register_actions
from services import register as register_service
from services.access import Standing
from services.register import MAX_PAGE_SIZE, PublicEntry, RegisterFilter

router = APIRouter(prefix="/api/v1", tags=["register"], responses=INVALID)
ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class NonComplianceOut(BaseModel):
    """A finding that a company did not comply with an order."""

    company: str
    order: int
    at: datetime


class RegisterEntryOut(BaseModel):
    """A case in the public register: anonymised, its summary redacted."""

    reference: str
    covenant: str
    covenant_name: str
    kind: str
    complainant: str = Field(description="the pseudonym, unless the complainant agreed to be named")
    named: bool
    companies: list[str]
    filed_at: datetime
    closed_at: datetime | None
    stage: str
    status: str
    outcome: str | None
    finding: str | None
    non_compliance: list[NonComplianceOut]
    summary: str
    published_at: datetime


class UnpublishedOut(BaseModel):
    """Cases of a covenant filed in a year and not published: a count only."""

    covenant: str
    year: int
    count: int


class RegisterPageOut(BaseModel):
    """A page of register entries, how many match, and the unpublished cases as counts."""

    items: list[RegisterEntryOut]
    total: int
    page: int
    page_size: int
    unpublished: list[UnpublishedOut]


class TermIn(BaseModel):
    """A name or term to remove from the case's published text (or every case's of its
    covenant)."""

    term: str = Field(min_length=2, max_length=200)
    scope: str = Field(default="case", pattern="^(case|covenant)$")


class TermOut(BaseModel):
    """A redaction term."""

    id: int
    term: str
    scope: str
    added_at: datetime
    added_by: str


class TermsOut(BaseModel):
    """The case's redaction list: its own terms, then its covenant's."""

    items: list[TermOut]


def _out(entry: PublicEntry) -> RegisterEntryOut:
    return RegisterEntryOut.model_validate(entry.as_json())


Q = Annotated[str | None, Query(max_length=200, description="words of the entry")]
COVENANT = Annotated[str | None, Query(max_length=64, description="covenant slug")]
YEAR = Annotated[int | None, Query(ge=1900, le=9999, description="year the case was filed")]
OUTCOME = Annotated[str | None, Query(max_length=32, description="outcome or finding")]
COMPANY = Annotated[str | None, Query(max_length=200, description="company name (part of)")]


@router.get("/register", response_model=RegisterPageOut)
def read_register(
    session: SessionDep,
    q: Q = None,
    covenant: COVENANT = None,
    year: YEAR = None,
    outcome: OUTCOME = None,
    company: COMPANY = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> RegisterPageOut:
    """The public register: published cases, anonymised; the others as counts only."""
    wanted = RegisterFilter(q=q, covenant=covenant, year=year, outcome=outcome, company=company)
    found = register_service.register_page(session, wanted=wanted, page=page, page_size=page_size)
    return RegisterPageOut(
        items=[_out(e) for e in found.items],
        total=found.total,
        page=found.page,
        page_size=found.page_size,
        unpublished=[
            UnpublishedOut(covenant=u.covenant, year=u.year, count=u.count)
            for u in found.unpublished
        ],
    )


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def atom_feed(entries: list[PublicEntry], *, base: str) -> bytes:
    """The entries as an Atom feed (RFC 4287): ids and links are the entries' pages."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", f"{base}/register")
    sub(feed, "title", "Redress: public register of complaints and decisions")
    updated = max((e.published_at for e in entries), default=EPOCH)
    sub(feed, "updated", _stamp(updated))
    author = sub(feed, "author")
    sub(author, "name", "Redress")
    sub(feed, "link", rel="self", href=f"{base}/api/v1/register.atom")
    sub(feed, "link", rel="alternate", type="text/html", href=f"{base}/register")
    for e in entries:
        item = sub(feed, "entry")
        sub(item, "id", f"{base}/register/{e.reference}")
        companies = ", ".join(e.companies)
        sub(item, "title", f"{e.reference}: {e.covenant_name}, {companies}")
        sub(item, "updated", _stamp(e.published_at))
        sub(item, "published", _stamp(e.published_at))
        sub(item, "link", rel="alternate", type="text/html", href=f"{base}/register/{e.reference}")
        sub(item, "category", term=e.finding or e.outcome or e.stage)
        sub(item, "summary", e.summary, type="text")
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body


@router.get(
    "/register.atom",
    response_class=Response,
    responses={200: {"content": {"application/atom+xml": {}}, "description": "an Atom feed"}},
)
def read_register_feed(
    session: SessionDep,
    settings: SettingsDep,
    q: Q = None,
    covenant: COVENANT = None,
    year: YEAR = None,
    outcome: OUTCOME = None,
    company: COMPANY = None,
) -> Response:
    """The register as an Atom feed: the latest published entries, newest first."""
    wanted = RegisterFilter(q=q, covenant=covenant, year=year, outcome=outcome, company=company)
    found = register_service.register_page(session, wanted=wanted, page_size=FEED_ENTRIES)
    body = atom_feed(found.items, base=settings.public_url.rstrip("/"))
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get(
    "/register/{reference}",
    response_model=RegisterEntryOut,
    responses={404: {"model": ErrorOut, "description": "not in the register"}},
)
def read_register_entry(
    session: SessionDep, reference: Annotated[str, Path(max_length=32)]
) -> RegisterEntryOut:
    """One published entry of the register."""
    return _out(register_service.public_entry(session, reference=reference))


def _staff(case: VisibleCaseDep) -> None:
    if case.standing is not Standing.STAFF:
        raise NotPermitted("only the committee's staff read a case's redaction list")


def _term_out(term: register_actions.Term) -> TermOut:
    return TermOut(
        id=term.id,
        term=term.term,
        scope=term.scope,
        added_at=term.added_at,
        added_by=term.added_by,
    )


STAFF_CASE = responses(CASE, {403: {"model": ErrorOut, "description": "not the case's staff"}})


@router.get("/cases/{reference}/redaction-terms", response_model=TermsOut, responses=STAFF_CASE)
def read_redaction_terms(case: VisibleCaseDep, session: SessionDep) -> TermsOut:
    """The names and terms removed from the case's published text (staff)."""
    _staff(case)
    found = register_actions.terms(session, state=case.state)
    return TermsOut(items=[_term_out(t) for t in found])


@router.post(
    "/cases/{reference}/redaction-terms",
    response_model=TermOut,
    status_code=201,
    responses=STAFF_CASE,
)
def add_redaction_term(
    case: VisibleCaseDep, session: SessionDep, body: Annotated[TermIn, Body()]
) -> TermOut:
    """Add a name or term to remove from the case's published text (secretariat, chair);
    every entry shown afterwards is redacted with it."""
    _staff(case)
    term = register_actions.add_term(
        session,
        who=audit.who(case.viewer),
        state=case.state,
        term=body.term,
        scope=body.scope,
    )
    return _term_out(term)


@router.delete(
    "/cases/{reference}/redaction-terms/{term_id}", status_code=204, responses=STAFF_CASE
)
def remove_redaction_term(
    case: VisibleCaseDep, session: SessionDep, term_id: Annotated[int, Path(ge=1)]
) -> Response:
    """Remove a term from the case's redaction list (secretariat, chair)."""
    _staff(case)
    register_actions.remove_term(
        session, who=audit.who(case.viewer), state=case.state, term_id=term_id
    )
    return Response(status_code=204)
