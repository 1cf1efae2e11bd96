"""Deadline arithmetic for a case: open, shift after a suspension, extend (pure).

The workflow runs this in an activity: holiday calendars change between package
releases, and a recorded activity result keeps replays identical.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from domain.calendar import (
    END_OF_DAY,
    add_duration,
    shift_by_business_days,
    subtract_duration,
    suspended_business_days,
)
from domain.deadlines import Deadline, DeadlineRequest, Extension
from domain.enums import DeadlineState
from domain.procedure import Procedure

# Runs while the case is suspended: it is the clock of the question that suspended it.
RUNS_WHILE_SUSPENDED = frozenset({"information"})


class ExtendRequest(BaseModel):
    deadline_id: str
    until: datetime
    reason: str
    by: str


class ScheduleInput(BaseModel):
    """The case's deadlines and what to change about them."""

    procedure: Procedure
    urgent: bool = False
    now: datetime
    deadlines: list[Deadline] = Field(default_factory=list)
    opens: list[DeadlineRequest] = Field(default_factory=list)
    resumed_from: datetime | None = None
    extend: ExtendRequest | None = None
    target_from: datetime | None = None


class Schedule(BaseModel):
    deadlines: list[Deadline]
    target_at: datetime | None = None


def plan(inp: ScheduleInput) -> Schedule:
    """Apply shifts, an extension and new deadlines; returns the full updated list."""
    p = inp.procedure
    deadlines = [d.model_copy(deep=True) for d in inp.deadlines]
    if inp.resumed_from is not None:
        days = suspended_business_days(inp.resumed_from, inp.now, p.seat_country, p.timezone)
        for d in deadlines:
            moves = d.name not in RUNS_WHILE_SUSPENDED and not d.fixed
            if d.state is DeadlineState.OPEN and moves and days:
                _set_due(d, shift_by_business_days(d.due, days, p.seat_country, p.timezone), p)
    if inp.extend is not None:
        ext = inp.extend
        d = next(d for d in deadlines if d.id == ext.deadline_id)
        d.extensions.append(Extension(at=inp.now, until=ext.until, reason=ext.reason, by=ext.by))
        _set_due(d, ext.until, p)
        d.escalated = d.escalated_again = False
        d.reminded = d.remind_at <= inp.now
    for req in inp.opens:
        deadlines.append(_open(req, p, inp.urgent, len(deadlines) + 1))
    target = None
    if inp.target_from is not None:
        target = add_duration(inp.target_from, p.duration_target, p.seat_country, p.timezone)
    return Schedule(deadlines=deadlines, target_at=target)


def _open(req: DeadlineRequest, p: Procedure, urgent: bool, number: int) -> Deadline:
    if req.due_date is not None:
        due = datetime.combine(req.due_date, END_OF_DAY, tzinfo=ZoneInfo(p.timezone))
    else:
        assert req.period is not None
        due = add_duration(
            req.start, p.deadline(req.period, urgent=urgent), p.seat_country, p.timezone
        )
    d = Deadline(
        fixed=req.due_date is not None,
        party=req.party,
        id=f"{req.name}-{number}",
        name=req.name,
        label=req.label,
        owner=req.owner,
        opened_at=req.start,
        due=due,
        remind_at=due,
        second_escalation_at=due,
    )
    _set_due(d, due, p)
    return d


def _set_due(d: Deadline, due: datetime, p: Procedure) -> None:
    """Move a deadline and the reminder and second escalation that hang off it."""
    d.due = due
    remind = subtract_duration(due, p.reminder_lead, p.seat_country, p.timezone)
    # A period shorter than the reminder lead is reminded half-way instead.
    d.remind_at = remind if remind > d.opened_at else d.opened_at + (due - d.opened_at) / 2
    d.second_escalation_at = add_duration(due, p.escalation_grace, p.seat_country, p.timezone)
