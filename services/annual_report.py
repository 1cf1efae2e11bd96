"""A covenant's annual report, as a steering group publishes one: the year's cases received
and closed, outcomes, durations against the targets, deadlines kept, remediation achieved,
findings of non-compliance, and the committee's recommendations (the lessons log).

Every figure is ``services.statistics.compute``'s for the cases filed in the year (and its
``closed_in_period``: cases closed in the year, whenever filed); this module only lays them
out. No complainant's identity reaches it: statistics are counts, and the lessons are
quoted as a published report may (``services.register.published_lessons``: redacted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlmodel import Session

from domain.enums import Finding
from domain.problems import NotFound
from notifications.annual_report import Report, Section, Table, render_html, render_pdf_pages
from services.register import published_lessons
from services.statistics import Statistics, compute
from store.covenants import latest_covenant

ADDRESSED = {
    "covenant": "To the covenant's parties",
    "companies": "To companies",
    "mechanism": "To the mechanism itself",
}


def number(value: float | int | None) -> str:
    """A figure as the report prints it: whole numbers plain, others to one decimal."""
    if value is None:
        return "–"
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


def share(part: int, whole: int) -> str:
    """A percentage, or a dash when there is nothing to divide by."""
    return f"{round(100 * part / whole)}%" if whole else "–"


def words(value: str) -> str:
    """An enum value as words: ``partly_founded`` → "partly founded"."""
    return value.replace("_", " ")


@dataclass(frozen=True)
class AnnualReport:
    """The figures and the report built from them."""

    covenant: str
    year: int
    statistics: Statistics
    report: Report


def build(
    session: Session, *, covenant: str, year: int, now: datetime | None = None
) -> AnnualReport:
    """The covenant's report for ``year``; ``NotFound`` for an unknown covenant."""
    now = now or datetime.now(UTC)
    found = latest_covenant(session=session, slug=covenant)
    if found is None:
        raise NotFound(f"no covenant {covenant!r}")
    figures = compute(session, covenant, date(year, 1, 1), date(year, 12, 31), now=now)
    lessons = published_lessons(
        session,
        covenant=covenant,
        start=datetime(year, 1, 1, tzinfo=UTC),
        end=datetime(year + 1, 1, 1, tzinfo=UTC),
    )
    target = found.procedure.duration_target
    report = Report(
        title=f"{found.name}: annual report {year}",
        subtitle=f"The complaints and disputes mechanism in {year}",
        generated=f"Figures as of {now:%Y-%m-%d %H:%M} UTC, from the case records.",
        sections=[
            _received(figures, year),
            _durations(figures, f"{target.amount} {words(target.unit.value)}"),
            _deadlines(figures),
            _remediation(figures),
            _findings(figures),
            Section(
                title="Recommendations of the committee",
                intro=(
                    f"{len(lessons)} recommendations and lessons recorded in {year}."
                    if lessons
                    else f"No recommendations were recorded in {year}."
                ),
                items=[
                    f"{ADDRESSED.get(row.addressed_to, row.addressed_to)}: {row.text} "
                    f"({row.reference}, {row.recorded_at:%Y-%m-%d})"
                    for key in ADDRESSED
                    for row in lessons
                    if row.addressed_to == key
                ],
            ),
        ],
    )
    return AnnualReport(covenant=covenant, year=year, statistics=figures, report=report)


def _counts(title: str, counts: dict[str, int]) -> Table:
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return Table((title, "Cases"), [(words(key), number(n)) for key, n in rows])


def _received(s: Statistics, year: int) -> Section:
    closed_now = s.by_stage.get("closed", 0)
    rows = [
        (f"Cases received in {year}", number(s.total)),
        *((f"of which {words(kind)}s", number(n)) for kind, n in sorted(s.by_kind.items())),
        (f"Cases closed in {year} (whenever received)", number(s.closed_in_period)),
        (f"Cases received in {year} and still open", number(s.total - closed_now)),
        ("Cases reopened after closing", number(s.reopened.cases)),
    ]
    tables = [Table(("Cases", "Number"), rows)]
    if s.by_outcome:
        tables.append(_counts("Outcome of the closed cases", s.by_outcome))
    if s.by_issue:
        tables.append(_counts("Issue raised", s.by_issue))
    if s.by_country:
        tables.append(_counts("Country", s.by_country))
    return Section(title="Cases received and closed", tables=tables)


def _durations(s: Statistics, target: str) -> Section:
    rows = [
        (
            words(stage),
            number(d.cases),
            number(d.median_days),
            number(d.p90_days),
            number(d.target_days),
        )
        for stage, d in s.durations.items()
        if d.cases or d.target_days is not None
    ]
    close = s.time_to_close
    return Section(
        title="Durations against targets",
        intro=(
            f"{number(close.cases)} of the cases received are closed: on average "
            f"{number(close.average_days)} days from filing to closing (median "
            f"{number(close.median_days)} days), against the procedure's target of {target}. "
            "Each stage in days:"
        ),
        tables=[Table(("Stage", "Cases", "Median", "90th percentile", "Target"), rows)],
    )


def _deadlines(s: Statistics) -> Section:
    rows = [
        (words(party), number(c.met), number(c.missed), share(c.met, c.met + c.missed))
        for party, c in s.deadlines_by_party.items()
    ]
    total = s.deadlines
    rows.append(
        ("All", number(total.met), number(total.missed), share(total.met, total.met + total.missed))
    )
    return Section(
        title="Deadlines kept",
        intro="Deadlines met before they fell due, and missed, by who had to act.",
        tables=[Table(("Party", "Met", "Missed", "Kept"), rows)],
    )


def _remediation(s: Statistics) -> Section:
    o = s.orders
    orders = o.on_time + o.late + o.open
    return Section(
        title="Remediation achieved",
        intro=(
            f"{number(o.on_time)} of {number(orders)} remediation orders were complied with "
            f"on time ({share(o.on_time, orders)})."
        ),
        tables=[
            Table(
                ("Remediation orders", "Number"),
                [
                    ("Complied with on time", number(o.on_time)),
                    ("Complied with late", number(o.late)),
                    ("Not yet complied with", number(o.open)),
                ],
            )
        ],
    )


def _findings(s: Statistics) -> Section:
    d = s.decisions
    rows = [(words(f.value), number(d.by_finding.get(f.value, 0))) for f in Finding]
    return Section(
        title="Decisions and findings of non-compliance",
        intro=(
            f"{number(d.total)} decisions issued. {number(d.non_compliance_findings)} findings "
            f"of non-compliance with an order, in {number(d.non_compliance_cases)} cases."
        ),
        tables=[Table(("Finding", "Decisions"), rows)],
    )


def write(annual: AnnualReport, out: Path) -> tuple[Path, Path, int]:
    """Write the report's HTML and PDF into ``out``: their paths and the PDF's page count."""
    out.mkdir(parents=True, exist_ok=True)
    stem = f"annual-report-{annual.covenant}-{annual.year}"
    html, pdf = out / f"{stem}.html", out / f"{stem}.pdf"
    document, pages = render_pdf_pages(annual.report)
    html.write_text(render_html(annual.report), encoding="utf-8")
    pdf.write_bytes(document)
    return html, pdf, pages
