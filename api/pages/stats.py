"""``/portal/stats``: the statistics page for staff (filters, charts each with its table,
the committee's lessons) and its CSV and XLSX downloads."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from babel import Locale
from fastapi import APIRouter, Query, Request, Response
from sqlmodel import Session

from api.deps import SessionDep, SettingsDep
from api.pages import labels
from api.pages.errors import error_page
from api.pages.i18n import negotiate
from api.pages.labels import N_, Gettext
from api.pages.portal_base import PortalViewerDep, gettext_for
from api.pages.stats_charts import Series, bar_chart, number
from api.pages.templating import render
from domain.enums import Stage
from services.access import Viewer
from services.statistics import Statistics, compute
from services.statistics_export import download, may_read, statistics_scope
from store.covenants import list_covenants
from store.lessons import LessonRow, lessons

router = APIRouter()
TOP_COMPANIES = 10
AGES = {
    "0-30": N_("0–30 days"),
    "31-90": N_("31–90 days"),
    "91-180": N_("91–180 days"),
    "181-365": N_("181–365 days"),
    "over 365": N_("More than 365 days"),
}
ORDERS = {
    "on_time": N_("Complied with by the due date"),
    "late": N_("Complied with after the due date"),
    "open": N_("Not yet verified"),
}
ADDRESSEES = {
    "covenant": N_("The covenant's parties"),
    "companies": N_("Companies"),
    "mechanism": N_("The mechanism itself"),
}
MEDIAN = Series("", "#0969da")
GREEN, RED, ORANGE = "#1a7f37", "#cf222e", "#bc4c00"


def _day(text: str | None) -> date | None:
    """A date from the form (YYYY-MM-DD), or None when empty or not a date."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _covenants(session: Session, viewer: Viewer) -> list[tuple[str, str]]:
    """(slug, name) of the covenants whose figures the viewer reads."""
    scope = statistics_scope(viewer)
    if scope is None:
        return []
    return [
        (c.slug, c.name)
        for c in list_covenants(session=session)
        if scope.covenants is None or c.slug in scope.covenants
    ]


def _figures(
    session: Session, viewer: Viewer, covenant: str | None, start: date | None, end: date | None
) -> Statistics | None:
    """The viewer's figures, or None when the covenant is not theirs (or they read none)."""
    scope = statistics_scope(viewer)
    if scope is None or not may_read(viewer):
        return None
    if covenant and covenant not in {slug for slug, _ in _covenants(session, viewer)}:
        return None
    return compute(session, covenant or None, start, end, scope=scope)


def _chart(
    key: str,
    title: str,
    columns: list[str],
    rows: list[list[str]],
    values: list[list[float | None]],
    **options: Any,
) -> dict[str, Any]:
    """A chart and its table: the same rows, the first column the label."""
    described = "; ".join(", ".join(r) for r in rows)
    svg = bar_chart(key, title, [r[0] for r in rows], values, description=described, **options)
    return {"key": key, "title": title, "svg": svg, "columns": columns, "rows": rows}


def _counts(
    key: str,
    title: str,
    found: dict[str, int],
    names: dict[str, str],
    gettext: Gettext,
    counted: str | None = None,
) -> dict[str, Any]:
    """A chart of counts (of cases, else of ``counted``) by a word of the engine, in the
    order of ``names`` then the rest."""
    order = [k for k in names if k in found] + sorted(k for k in found if k not in names)
    rows = [[labels.word(names, k, gettext), str(found[k])] for k in order]
    values: list[list[float | None]] = [[float(found[k])] for k in order]
    return _chart(key, title, [gettext("What"), counted or gettext("Cases")], rows, values)


def _country(code: str, language: str) -> str:
    """The country's name in the page's language (the code when unknown)."""
    return str(Locale.parse(language).territories.get(code, code))


def charts(figures: Statistics, gettext: Gettext, language: str) -> list[dict[str, Any]]:
    """Every chart of the page with its table."""
    _ = gettext
    countries = {c: _country(c, language) for c in figures.by_country}
    found = [
        _counts("stage", _("Cases by stage"), figures.by_stage, labels.STAGES, _),
        _counts("kind", _("Cases by kind"), figures.by_kind, labels.KINDS, _),
        _counts("outcome", _("Closed cases by outcome"), figures.by_outcome, labels.OUTCOMES, _),
        _counts("issue", _("Cases by issue"), figures.by_issue, labels.ISSUES, _),
        _counts("country", _("Cases by country"), figures.by_country, countries, _),
    ]
    companies = figures.by_company[:TOP_COMPANIES]
    found.append(
        _chart(
            "company",
            _("Cases by company (the ten with most)"),
            [_("Company"), _("Cases")],
            [[c.name, str(c.cases)] for c in companies],
            [[float(c.cases)] for c in companies],
        )
    )
    stages = [s.value for s in Stage if s.value in figures.durations]
    shown = [s for s in stages if figures.durations[s].cases]
    d = figures.durations
    median, p90 = _("Median"), _("90th percentile")
    found.append(
        _chart(
            "durations",
            _("Days in each stage against the target"),
            [_("Stage"), median, p90, _("Target"), _("Cases")],
            [
                [
                    labels.word(labels.STAGES, s, _),
                    number(d[s].median_days),
                    number(d[s].p90_days),
                    number(d[s].target_days),
                    str(d[s].cases),
                ]
                for s in shown
            ],
            [[d[s].median_days, d[s].p90_days] for s in shown],
            series=[Series(median, MEDIAN.colour), Series(p90, ORANGE)],
            markers=[d[s].target_days for s in shown],
            marker_name=_("Target"),
        )
    )
    parties = figures.deadlines_by_party
    met, missed = _("Met"), _("Missed")
    found.append(
        _chart(
            "deadlines",
            _("Deadlines met and missed, by whose they were"),
            [_("Whose"), met, missed],
            [
                [labels.word(labels.OWNERS, p, _), str(c.met), str(c.missed)]
                for p, c in parties.items()
            ],
            [[float(c.met), float(c.missed)] for c in parties.values()],
            series=[Series(met, GREEN), Series(missed, RED)],
        )
    )
    found.append(_counts("age", _("Open cases by age"), figures.open_by_age, AGES, _))
    found.append(
        _counts(
            "finding", _("Decisions by finding"), figures.decisions.by_finding, labels.FINDINGS, _
        )
    )
    orders = figures.orders.model_dump()
    found.append(_counts("orders", _("Remediation orders"), orders, ORDERS, _))
    channels = _("Filings and the parties' actions, by the way they came")
    found.append(_counts("channel", channels, figures.by_channel, labels.CHANNELS, _, _("Entries")))
    return found


def facts(figures: Statistics, gettext: Gettext) -> list[tuple[str, str]]:
    """The key figures, as (what, how many)."""
    _, days = gettext, gettext("%(days)s days")
    ttc = figures.time_to_close
    share = figures.reopened.share
    return [
        (_("Cases filed"), str(figures.total)),
        (_("Cases closed in the period"), str(figures.closed_in_period)),
        (_("Decisions"), str(figures.decisions.total)),
        (_("Findings of non-compliance"), str(figures.decisions.non_compliance_findings)),
        (_("Cases reopened"), str(figures.reopened.cases)),
        (_("Share of closed cases reopened"), f"{share:.1%}" if share is not None else "–"),
        (_("Average time to close"), days % {"days": number(ttc.average_days)}),
        (_("Median time to close"), days % {"days": number(ttc.median_days)}),
        (_("Deadlines met"), str(figures.deadlines.met)),
        (_("Deadlines missed"), str(figures.deadlines.missed)),
    ]


def _lessons(
    session: Session, covenants: list[str], start: date | None, end: date | None
) -> list[LessonRow]:
    after = datetime.combine(start, time(), tzinfo=UTC) if start else None
    before = datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC) if end else None
    found = lessons(session, start=after, end=before)
    return [lesson for lesson in found if lesson.covenant in covenants]


@router.get("/stats", response_model=None)
def statistics_page(
    request: Request,
    viewer: PortalViewerDep,
    session: SessionDep,
    settings: SettingsDep,
    covenant: Annotated[str | None, Query(max_length=64)] = None,
    start: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=10)] = None,
) -> Response:
    """The figures of the cases filed in the period, charts beside their tables."""
    if not may_read(viewer):
        return error_page(request, 404)
    first, last = _day(start), _day(end)
    figures = _figures(session, viewer, covenant, first, last)
    if figures is None:
        return error_page(request, 404)
    gettext = gettext_for(request)
    choices = _covenants(session, viewer)
    query = {"covenant": covenant or "", "from": first or "", "to": last or ""}
    query_text = urlencode({k: v for k, v in query.items() if v})
    in_scope = [slug for slug, _ in choices if not covenant or slug == covenant]
    context = {
        "covenants": choices,
        "chosen": {"covenant": covenant or "", "from": first or "", "to": last or ""},
        "facts": facts(figures, gettext),
        "charts": charts(figures, gettext, negotiate(request)),
        "lessons": [
            {**vars(lesson), "to": labels.word(ADDRESSEES, lesson.addressed_to, gettext)}
            for lesson in _lessons(session, in_scope, first, last)
        ],
        "csv_link": "/portal/stats.csv" + (f"?{query_text}" if query_text else ""),
        "xlsx_link": "/portal/stats.xlsx" + (f"?{query_text}" if query_text else ""),
    }
    return render(request, settings, viewer, "portal/stats.html", context)


@router.get("/stats.csv", response_model=None)
def statistics_csv(
    request: Request,
    viewer: PortalViewerDep,
    session: SessionDep,
    covenant: Annotated[str | None, Query(max_length=64)] = None,
    start: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=10)] = None,
) -> Response:
    """The page's figures as CSV (``GET /api/v1/stats.csv``'s rows)."""
    figures = _figures(session, viewer, covenant, _day(start), _day(end))
    if figures is None:
        return error_page(request, 404)
    content, media_type, headers = download(figures, "csv")
    return Response(content, media_type=media_type, headers=headers)


@router.get("/stats.xlsx", response_model=None)
def statistics_xlsx(
    request: Request,
    viewer: PortalViewerDep,
    session: SessionDep,
    covenant: Annotated[str | None, Query(max_length=64)] = None,
    start: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=10)] = None,
) -> Response:
    """The page's figures as an XLSX workbook."""
    figures = _figures(session, viewer, covenant, _day(start), _day(end))
    if figures is None:
        return error_page(request, 404)
    content, media_type, headers = download(figures, "xlsx")
    return Response(content, media_type=media_type, headers=headers)
