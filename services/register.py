"""The public register as anyone may read it, and the lessons log as a report may quote it.

What the public sees of an entry is built when it is read: the case's covenant, disclosed
companies, dates, stage, outcome, finding and findings of non-compliance from the read
model, and the summary with every redaction term removed as the terms are now, together
with the identity of every complainant not named (a confidential one never is) and the
names of companies routed to through a confidential supplier list.

The actions that write the register's content, and the redaction terms the secretariat
keeps, are ``services.register_actions``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from domain.cases import Party
from domain.problems import NotFound
from services.redaction import redact
from store import lessons
from store import register as rows
from store.tables import CaseRow, Complainant
from store.tables.register import RegisterEntry

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class NonComplianceShown:
    """A finding that a company did not comply with an order (its reasons are not shown)."""

    company: str
    order: int
    at: datetime


@dataclass(frozen=True)
class PublicEntry:
    """One register entry as anyone may read it: anonymised and redacted."""

    reference: str
    covenant: str
    covenant_name: str
    kind: str
    complainant: str  # the pseudonym, or the complainant's name when it agreed to be named
    named: bool
    companies: list[str]
    filed_at: datetime
    closed_at: datetime | None
    stage: str
    status: str
    outcome: str | None
    finding: str | None
    non_compliance: list[NonComplianceShown]
    summary: str
    published_at: datetime

    def as_json(self) -> dict[str, Any]:
        """The entry as the API answers it."""
        return {
            "reference": self.reference,
            "covenant": self.covenant,
            "covenant_name": self.covenant_name,
            "kind": self.kind,
            "complainant": self.complainant,
            "named": self.named,
            "companies": self.companies,
            "filed_at": self.filed_at,
            "closed_at": self.closed_at,
            "stage": self.stage,
            "status": self.status,
            "outcome": self.outcome,
            "finding": self.finding,
            "non_compliance": [
                {"company": n.company, "order": n.order, "at": n.at} for n in self.non_compliance
            ],
            "summary": self.summary,
            "published_at": self.published_at,
        }


@dataclass(frozen=True)
class UnpublishedCount:
    """How many cases of a covenant filed in a year have no entry: a count, nothing more."""

    covenant: str
    year: int
    count: int


@dataclass(frozen=True)
class RegisterFilter:
    """What the register's reader asks for: words, covenant, year filed, outcome, company."""

    q: str | None = None
    covenant: str | None = None
    year: int | None = None
    outcome: str | None = None
    company: str | None = None


@dataclass(frozen=True)
class RegisterPage:
    """A page of entries, how many match in all, and the unpublished cases as counts."""

    items: list[PublicEntry]
    total: int
    page: int
    page_size: int
    unpublished: list[UnpublishedCount] = field(default_factory=list)


class _DecisionShown(BaseModel):
    finding: str


class _NonComplianceRow(BaseModel):
    respondent: str
    order: int
    at: datetime


class _CaseShown(BaseModel):
    """What an entry shows of the projected case: read from its snapshot, the rest (texts,
    procedure, deadlines) skipped, which makes a search over every entry several times
    quicker than parsing whole states."""

    model_config = ConfigDict(extra="ignore")

    reference: str
    kind: str
    covenant: str
    covenant_name: str
    stage: str
    status: str
    outcome: str | None = None
    confidential: bool
    pseudonym: str
    respondents: list[Party]
    filed_at: datetime
    closed_at: datetime | None = None
    decision: _DecisionShown | None = None
    non_compliance: list[_NonComplianceRow] = Field(default_factory=list)


def _identity(complainant: Complainant) -> list[str]:
    values = [complainant.name, complainant.organisation, complainant.email, complainant.phone]
    return [v for v in values if v]


def _public_entry(
    entry: RegisterEntry,
    case: CaseRow,
    complainants: list[Complainant],
    consented: bool,
    case_terms: list[str],
) -> PublicEntry:
    state = _CaseShown.model_validate_json(case.snapshot)
    filer = next((c for c in complainants if c.number == 1), None)
    named = (
        entry.named
        and consented
        and not state.confidential
        and filer is not None
        and not filer.confidential
    )
    shown = (filer.organisation or filer.name) if named and filer is not None else state.pseudonym
    hidden = [value for c in complainants if not (named and c is filer) for value in _identity(c)]
    companies = [p.name for p in state.respondents if p.disclosed]
    hidden += [p.name for p in state.respondents if not p.disclosed]
    names = {p.organisation_id: p.name for p in state.respondents if p.disclosed}
    decision = state.decision
    return PublicEntry(
        reference=state.reference,
        covenant=state.covenant,
        covenant_name=state.covenant_name,
        kind=state.kind,
        complainant=shown,
        named=named,
        companies=companies,
        filed_at=state.filed_at,
        closed_at=state.closed_at,
        stage=state.stage,
        status=state.status,
        outcome=state.outcome,
        finding=decision.finding if decision else None,
        non_compliance=[
            NonComplianceShown(company=names[n.respondent], order=n.order, at=n.at)
            for n in state.non_compliance
            if n.respondent in names
        ],
        summary=redact(entry.summary, [*case_terms, *hidden]),
        published_at=entry.published_at,
    )


def _entries(
    session: Session,
    reference: str | None = None,
    *,
    covenant: str | None = None,
    year: int | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[PublicEntry]:
    found = rows.published(
        session=session,
        reference=reference,
        covenant=covenant,
        year=year,
        offset=offset,
        limit=limit,
    )
    references = [entry.reference for entry, _ in found]
    consented = rows.consents(session=session, references=references)
    people: dict[str, list[Complainant]] = {}
    for c in rows.complainants_of(session=session, references=references):
        people.setdefault(c.reference, []).append(c)
    case_terms = rows.terms_for(
        session=session, cases=[(entry.reference, entry.covenant) for entry, _ in found]
    )
    return [
        _public_entry(
            entry,
            case,
            people.get(entry.reference, []),
            entry.reference in consented,
            case_terms.get(entry.reference, []),
        )
        for entry, case in found
    ]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _matches(entry: PublicEntry, wanted: RegisterFilter) -> bool:
    if wanted.covenant and entry.covenant != wanted.covenant:
        return False
    if wanted.year and entry.filed_at.year != wanted.year:
        return False
    if wanted.outcome and wanted.outcome not in (entry.outcome, entry.finding):
        return False
    if wanted.company and not any(_fold(wanted.company) in _fold(c) for c in entry.companies):
        return False
    if wanted.q:
        haystack = _fold(
            " ".join(
                [
                    entry.reference,
                    entry.covenant_name,
                    entry.complainant,
                    *entry.companies,
                    entry.summary,
                ]
            )
        )
        return all(word in haystack for word in _fold(wanted.q).split())
    return True


def register_page(
    session: Session, *, wanted: RegisterFilter, page: int = 1, page_size: int = 20
) -> RegisterPage:
    """The published entries that match, newest first, a page of them, and every unpublished
    case as a count per covenant and year filed (within the covenant and year asked)."""
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    start = (max(page, 1) - 1) * page_size
    if wanted.q or wanted.company or wanted.outcome:
        # Words, companies and outcomes are read from the shown (redacted) entries.
        matching = [e for e in _entries(session) if _matches(e, wanted)]
        items, total = matching[start : start + page_size], len(matching)
    else:  # the database pages: only the entries shown are built
        covenant, year = wanted.covenant, wanted.year
        items = _entries(session, covenant=covenant, year=year, offset=start, limit=page_size)
        total = rows.published_count(session=session, covenant=covenant, year=year)
    counts = [
        UnpublishedCount(covenant=c, year=y, count=n)
        for c, y, n in rows.unpublished_counts(session=session)
        if (not wanted.covenant or c == wanted.covenant) and (not wanted.year or y == wanted.year)
    ]
    return RegisterPage(
        items=items,
        total=total,
        page=page,
        page_size=page_size,
        unpublished=counts,
    )


def published_lessons(
    session: Session,
    *,
    covenant: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[lessons.LessonRow]:
    """The lessons of ``store.lessons.lessons`` as a published report may quote them: each
    redacted with its case's and covenant's terms and its complainants' identities (a lesson
    is the committee's own words, but may name someone all the same)."""
    found = lessons.lessons(session, covenant=covenant, start=start, end=end)
    references = {r.reference for r in found}
    case_terms = rows.terms_for(session=session, cases={(r.reference, r.covenant) for r in found})
    people: dict[str, list[str]] = {}
    for c in rows.complainants_of(session=session, references=references):
        people.setdefault(c.reference, []).extend(_identity(c))
    return [
        replace(
            r,
            text=redact(r.text, [*case_terms.get(r.reference, []), *people.get(r.reference, [])]),
        )
        for r in found
    ]


def public_entry(session: Session, *, reference: str) -> PublicEntry:
    """One published entry; ``NotFound`` for a case not in the register (unknown or not)."""
    found = _entries(session, reference)
    if not found:
        raise NotFound(f"no register entry {reference}")
    return found[0]
