"""The case's progress against its deadlines, as an ordered list a phone reads at any width.

Each stage (or order) is an item: its name, how it went, and for each of its deadlines the
day it opened, the day it was due and how it ended. A small bar under the words places the
deadline on the case's course (the time allowed, the time taken, the part late); it carries
no text, so nothing in it has to be read at a phone's width. The words are translated and
the dates written by the template (``public/_progress.html``) in the reader's language and
zone. Pure: built from the case state, the moment ``now`` and a gettext function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

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
# How a deadline went (message ids; the template translates them).
STATUS_WORDS = {
    "open": N_("open"),
    "overdue": N_("overdue"),
    "met": N_("met on time"),
    "late": N_("met late"),
    "cancelled": N_("ended"),
}


@dataclass(frozen=True)
class Segment:
    """One deadline: its period, its due moment, where it ended and how."""

    start: datetime
    due: datetime
    end: datetime
    status: str  # a key of STATUS_WORDS

    @property
    def status_word(self) -> str:
        """How it went, as a message id."""
        return STATUS_WORDS[self.status]


@dataclass(frozen=True)
class Bar:
    """Where one deadline sits on the case's course, in per cent of the course's width."""

    start: float
    allowed: float  # from the start to the due moment
    taken: float  # from the start to where it ended (or now), up to the due moment
    late: float  # past the due moment
    due: float
    status: str


@dataclass(frozen=True)
class Row:
    """One item of the list: a stage (or order) and its deadlines."""

    label: str
    segments: tuple[Segment, ...]
    numbered: bool = False  # an order's label: its only digits are the order's number
    bars: tuple[Bar, ...] = ()

    @property
    def status(self) -> str:
        """The row's status: that of its latest deadline."""
        return self.segments[-1].status

    @property
    def status_word(self) -> str:
        """The row's status as a message id."""
        return STATUS_WORDS[self.status]


@dataclass(frozen=True)
class Progress:
    """The whole list: its rows, when the case was filed and its target."""

    rows: tuple[Row, ...]
    filed: datetime
    target: datetime | None


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


def _label(deadline: Deadline, state: CaseState, gettext: Gettext) -> tuple[str, bool]:
    name = deadline.name
    if name.startswith("order-"):
        return gettext(ORDER_ROW) % {"number": name.removeprefix("order-")}, True
    if name == "register" and deadline.label == FORWARD_LABEL:
        return gettext(SIGNAL_ROW), False
    label = gettext(STAGE_OF_DEADLINE.get(name, deadline.label))
    companies = {p.organisation_id: p.name for p in state.respondents}
    if deadline.party is not None and len(companies) > 1:
        # Each company answers for itself: one row per company, named.
        return f"{label}: {companies.get(deadline.party, deadline.party)}", False
    return label, False


def rows(state: CaseState, now: datetime, gettext: Gettext) -> list[Row]:
    """The rows in the order the stages began; repeated deadlines share a row."""
    found: dict[tuple[str, bool], list[Segment]] = {}
    for deadline in sorted(state.deadlines, key=lambda d: (d.opened_at, d.id)):
        found.setdefault(_label(deadline, state, gettext), []).append(segment(deadline, now))
    return [Row(label, tuple(segments), numbered) for (label, numbered), segments in found.items()]


class _Scale:
    """Maps moments to per cent of the case's course, from filing to a little past the end."""

    def __init__(self, start: datetime, end: datetime) -> None:
        self.start = start
        self.span = max((end - start).total_seconds(), 1.0)

    def at(self, moment: datetime) -> float:
        """Where a moment falls, clamped to the course."""
        share = (moment - self.start).total_seconds() / self.span
        return round(min(max(share, 0.0), 1.0) * 100, 2)

    def bar(self, s: Segment) -> Bar:
        """One deadline's bar."""
        start, due, end = self.at(s.start), self.at(s.due), self.at(s.end)
        taken = min(end, due) - start
        return Bar(start, due - start, max(taken, 0.0), max(end - due, 0.0), due, s.status)


def _course(state: CaseState, now: datetime, rows_: list[Row]) -> _Scale:
    start = state.filed_at
    ends = [now, state.target_at or start + timedelta(days=365)]
    ends += [m for r in rows_ for s in r.segments for m in (s.due, s.end)]
    end = max(ends)
    return _Scale(start, end + (end - start) * 0.03)


def progress(state: CaseState, *, now: datetime, gettext: Gettext = lambda text: text) -> Progress:
    """The case's deadlines as the list shows them, with their bars on one course."""
    found = rows(state, now, gettext)
    scale = _course(state, now, found)
    placed = tuple(
        Row(r.label, r.segments, r.numbered, tuple(scale.bar(s) for s in r.segments)) for r in found
    )
    return Progress(rows=placed, filed=state.filed_at, target=state.target_at)
