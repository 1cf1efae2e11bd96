"""The case's timeline as a picture: each stage a bar against its deadline, and the target.

Pure: built from the case state, the moment ``now`` and a gettext function; the result is
inline SVG with a title, a description and text labels, so it reads without the picture.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from api.pages.labels import N_
from domain.cases import CaseState
from domain.deadlines import Deadline
from domain.enums import DeadlineState
from domain.signals import FORWARD_LABEL

Gettext = Callable[[str], str]

# The stage each deadline belongs to (English message ids, translated by the caller's gettext).
STAGE_OF_DEADLINE = {
    "register": N_("Screening"),
    "admissibility": N_("Admissibility"),
    "response": N_("Company response"),
    "mediation": N_("Mediation"),
    "dialogue": N_("Direct dialogue"),
    "hearing": N_("Hearing"),
    "decision": N_("Decision"),
    "remediation_plan": N_("Remediation plan"),
    "progress_report": N_("Progress reports"),
    "information": N_("Request for information"),
    "due_diligence": N_("Due diligence"),
    "next_step": N_("Next step"),  # whichever step it is: one row in every language
}
SIGNAL_ROW = N_("Signal")
ORDER_ROW = N_("Order %(number)s")
STATUS_WORDS = {
    "open": N_("open"),
    "overdue": N_("overdue"),
    "met": N_("met on time"),
    "late": N_("met late"),
    "cancelled": N_("ended"),
}
COLOURS = {
    "open": "#0b5cad",
    "overdue": "#9a3412",
    "met": "#166534",
    "late": "#9a3412",
    "cancelled": "#6e7781",
}
WIDTH, LABELS, RIGHT, TOP, ROW, BOTTOM = 760, 190, 24, 34, 26, 40
PLOT = WIDTH - LABELS - RIGHT
ZONE = ZoneInfo("Europe/Amsterdam")
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class Segment:
    """One deadline drawn: its period, its due moment, where it ended and how."""

    start: datetime
    due: datetime
    end: datetime
    status: str  # a key of STATUS_WORDS


@dataclass(frozen=True)
class Row:
    """One line of the picture: a stage (or order) and its deadlines."""

    label: str
    segments: tuple[Segment, ...]

    @property
    def status(self) -> str:
        """The row's status: that of its latest deadline."""
        return self.segments[-1].status


def segment(deadline: Deadline, now: datetime) -> Segment:
    """How one deadline went, or is going."""
    if deadline.state is DeadlineState.OPEN:
        end = max(now, deadline.opened_at)
        late = deadline.escalated or now > deadline.due
        return Segment(deadline.opened_at, deadline.due, end, "overdue" if late else "open")
    end = deadline.closed_at or deadline.due
    if deadline.state is DeadlineState.CANCELLED:
        status = "cancelled"
    else:
        status = "late" if end > deadline.due else "met"
    return Segment(deadline.opened_at, deadline.due, max(end, deadline.opened_at), status)


def _label(deadline: Deadline, state: CaseState, gettext: Gettext) -> str:
    name = deadline.name
    if name.startswith("order-"):
        return gettext(ORDER_ROW) % {"number": name.removeprefix("order-")}
    if name == "register" and deadline.label == FORWARD_LABEL:
        return gettext(SIGNAL_ROW)
    label = gettext(STAGE_OF_DEADLINE.get(name, deadline.label))
    companies = {p.organisation_id: p.name for p in state.respondents}
    if deadline.party is not None and len(companies) > 1:
        # Each company answers for itself: one row per company, named.
        return f"{label}: {companies.get(deadline.party, deadline.party)}"
    return label


def rows(state: CaseState, now: datetime, gettext: Gettext) -> list[Row]:
    """The picture's rows in the order the stages began; repeated deadlines share a row."""
    found: dict[str, list[Segment]] = {}
    for deadline in sorted(state.deadlines, key=lambda d: (d.opened_at, d.id)):
        found.setdefault(_label(deadline, state, gettext), []).append(segment(deadline, now))
    return [Row(label, tuple(segments)) for label, segments in found.items()]


def _day(moment: datetime) -> str:
    return moment.astimezone(ZONE).strftime("%Y-%m-%d")


def _describe(row: Row, gettext: Gettext) -> str:
    parts = [
        gettext("from %(start)s, due %(due)s, %(status)s")
        % {
            "start": _day(s.start),
            "due": _day(s.due),
            "status": gettext(STATUS_WORDS[s.status]),
        }
        for s in row.segments
    ]
    return f"{row.label}: {'; '.join(parts)}."


class _Scale:
    """Maps moments to x positions on the plot."""

    def __init__(self, start: datetime, end: datetime) -> None:
        self.start = start
        self.span = max((end - start).total_seconds(), 1.0)

    def x(self, moment: datetime) -> float:
        """The x coordinate of a moment, clamped to the plot."""
        share = (moment - self.start).total_seconds() / self.span
        return round(LABELS + min(max(share, 0.0), 1.0) * PLOT, 1)


def _range(state: CaseState, now: datetime, rows_: list[Row]) -> tuple[datetime, datetime]:
    start = state.filed_at
    ends = [now, state.target_at or start + timedelta(days=365)]
    ends += [m for r in rows_ for s in r.segments for m in (s.due, s.end)]
    end = max(ends)
    return start, end + (end - start) * 0.03


def _bar(row: Row, index: int, scale: _Scale, pattern: str, gettext: Gettext) -> str:
    y = TOP + index * ROW
    colour = COLOURS[row.status]
    label_colour = "#9a3412" if row.status in ("overdue", "late") else "#1b1f23"
    weight = ' font-weight="700"' if row.status == "overdue" else ""
    status = escape(gettext(STATUS_WORDS[row.status]))
    parts = [
        f'<g class="row row-{row.status}"><title>{escape(_describe(row, gettext))}</title>',
        f'<text x="8" y="{y + 12}" fill="{label_colour}" font-size="12"{weight}>'
        f"{escape(row.label)}</text>",
        f'<text x="8" y="{y + 23}" fill="{label_colour}" font-size="10">{status}</text>',
    ]
    for s in row.segments:
        x0, due, x1 = scale.x(s.start), scale.x(s.due), scale.x(s.end)
        parts.append(
            f'<rect class="allowed" x="{x0}" y="{y + 4}" width="{max(due - x0, 2)}" '
            f'height="16" fill="#f6f8fa" stroke="#8c959f" stroke-width="1"/>'
        )
        on_time = min(x1, due)
        parts.append(
            f'<rect class="bar bar-{s.status}" x="{x0}" y="{y + 7}" '
            f'width="{max(on_time - x0, 2)}" height="10" fill="{COLOURS[s.status]}"/>'
        )
        if x1 > due:
            parts.append(
                f'<rect class="bar-late-part" x="{due}" y="{y + 7}" width="{x1 - due}" '
                f'height="10" fill="url(#{pattern})" stroke="{colour}"/>'
            )
        parts.append(f'<path class="due" d="M{due} {y + 1}v22" stroke="#1b1f23" stroke-width="2"/>')
    parts.append("</g>")
    return "".join(parts)


def timeline_svg(
    state: CaseState, *, now: datetime, gettext: Gettext = lambda text: text
) -> Markup:
    """Inline SVG of the case's stages against their deadlines and the overall target."""
    rows_ = rows(state, now, gettext)
    start, end = _range(state, now, rows_)
    scale = _Scale(start, end)
    key = _UNSAFE_ID.sub("-", state.reference)
    ids = {name: f"timeline-{name}-{key}" for name in ("title", "desc", "late")}
    height = TOP + max(len(rows_), 1) * ROW + BOTTOM
    bottom = height - BOTTOM
    title = gettext("Timeline of case %(reference)s") % {"reference": state.reference}
    summary = [_describe(r, gettext) for r in rows_] or [gettext("No deadlines yet.")]
    if state.target_at is not None:
        summary.append(
            gettext("Target for the whole case: %(date)s.") % {"date": _day(state.target_at)}
        )
    # Translated outside the f-strings below, where Babel's extractor would not see them.
    filed = gettext("Filed %(date)s") % {"date": _day(start)}
    today_label = gettext("Today")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{ids["title"]} {ids["desc"]}" font-family="system-ui, sans-serif">',
        f'<title id="{ids["title"]}">{escape(title)}</title>',
        f'<desc id="{ids["desc"]}">{escape(" ".join(summary))}</desc>',
        f'<defs><pattern id="{ids["late"]}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fed7aa"/>'
        f'<path d="M0 0v6" stroke="#9a3412" stroke-width="3"/></pattern></defs>',
        f'<path class="axis" d="M{LABELS} {bottom}H{LABELS + PLOT}" stroke="#57606a"/>',
        f'<text x="{LABELS}" y="{bottom + 16}" font-size="11" fill="#57606a">'
        f"{escape(filed)}</text>",
    ]
    legend = gettext("Box: time allowed · bar: time taken · line: deadline")
    parts.append(
        f'<text x="{LABELS + PLOT}" y="{bottom + 16}" font-size="11" fill="#57606a" '
        f'text-anchor="end">{escape(legend)}</text>'
    )
    for index, row in enumerate(rows_):
        parts.append(_bar(row, index, scale, ids["late"], gettext))
    today = scale.x(now)
    parts.append(
        f'<g class="today"><path d="M{today} {TOP - 6}V{bottom}" stroke="#57606a" '
        f'stroke-dasharray="2 3"/><text x="{today}" y="{bottom + 30}" font-size="11" '
        f'fill="#57606a" text-anchor="middle">{escape(today_label)}</text></g>'
    )
    if state.target_at is not None:
        target = scale.x(state.target_at)
        label = gettext("Target %(date)s") % {"date": _day(state.target_at)}
        parts.append(
            f'<g class="target" data-x="{target}"><path d="M{target} {TOP - 14}V{bottom}" '
            f'stroke="#6639ba" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{target}" y="{TOP - 18}" font-size="11" fill="#6639ba" '
            f'text-anchor="end">{escape(label)}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
