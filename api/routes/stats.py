"""``/api/v1/stats``: the figures for the annual report, as JSON, CSV and XLSX (staff only)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from sqlmodel import Session

from api.deps import SessionDep, SignedInDep
from api.schemas import INVALID, SIGNED_IN, ErrorOut, responses
from domain.problems import NotFound, NotPermitted, invalid_field
from services.access import Viewer
from services.statistics import Statistics, compute
from services.statistics_export import XLSX_TYPE as XLSX
from services.statistics_export import download, statistics_scope
from store.covenants import list_covenants

router = APIRouter(prefix="/api/v1", tags=["statistics"], responses=INVALID)
STAFF_ONLY = responses(
    {
        403: {"model": ErrorOut, "description": "only staff read statistics"},
        404: {"model": ErrorOut, "description": "no such covenant, or not the caller's"},
    },
    SIGNED_IN,
)
Covenant = Annotated[str | None, Query(max_length=64, description="a covenant's slug")]
DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
From = Annotated[
    str | None, Query(alias="from", pattern=DAY, description="filed on or after (UTC), YYYY-MM-DD")
]
To = Annotated[
    str | None, Query(alias="to", pattern=DAY, description="filed on or before (UTC), YYYY-MM-DD")
]


def day(value: str | None, field: str) -> date | None:
    """A query's date, or None; 422 for one that is no day of the calendar."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise invalid_field(["query", field], "not a date (YYYY-MM-DD)") from None


def figures(
    session: Session, viewer: Viewer, covenant: str | None, first: str | None, last: str | None
) -> Statistics:
    """The statistics the caller may read (403 for others; 404 for a covenant not theirs)."""
    scope = statistics_scope(viewer)
    if scope is None:
        raise NotPermitted("only staff read statistics")
    known = {c.slug for c in list_covenants(session=session)}
    theirs = known if scope.covenants is None else known & scope.covenants
    if covenant is not None and covenant not in theirs:
        raise NotFound("no such covenant")
    start, end = day(first, "from"), day(last, "to")
    if start is not None and end is not None and end < start:
        raise invalid_field(["query", "to"], "to is before from")
    return compute(session, covenant, start, end, scope=scope)


@router.get("/stats", response_model=Statistics, responses=STAFF_ONLY)
def read_statistics(
    viewer: SignedInDep,
    session: SessionDep,
    covenant: Covenant = None,
    start: From = None,
    end: To = None,
) -> Any:
    """Cases filed in the period (all covenants the caller works on, or one): counts by
    stage, outcome, issue, country, kind and company; stage durations against targets;
    deadlines met and missed; orders, decisions, reopened cases and time to close."""
    found = figures(session, viewer, covenant, start, end)
    return found.model_dump(mode="json", by_alias=True)


@router.get(
    "/stats.csv",
    response_class=Response,
    responses={**STAFF_ONLY, 200: {"content": {"text/csv": {}}, "description": "the figures"}},
)
def export_statistics_csv(
    viewer: SignedInDep,
    session: SessionDep,
    covenant: Covenant = None,
    start: From = None,
    end: To = None,
) -> Response:
    """The same figures as CSV: ``figure,key,measure,value`` a line."""
    found = figures(session, viewer, covenant, start, end)
    content, media_type, headers = download(found, "csv")
    return Response(content, media_type=media_type, headers=headers)


@router.get(
    "/stats.xlsx",
    response_class=Response,
    responses={**STAFF_ONLY, 200: {"content": {XLSX: {}}, "description": "the figures"}},
)
def export_statistics_xlsx(
    viewer: SignedInDep,
    session: SessionDep,
    covenant: Covenant = None,
    start: From = None,
    end: To = None,
) -> Response:
    """The same figures as an XLSX workbook (the CSV's rows on one sheet)."""
    found = figures(session, viewer, covenant, start, end)
    content, media_type, headers = download(found, "xlsx")
    return Response(content, media_type=media_type, headers=headers)
