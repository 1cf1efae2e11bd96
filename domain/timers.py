"""What happens when time passes: reminders, escalations, lapsed dialogue periods (pure)."""

from __future__ import annotations

from datetime import datetime

from domain import status_updates
from domain.cases import CaseState
from domain.deadlines import Deadline
from domain.effects import Builder, Transition
from domain.enums import Audience, CaseStatus, NoticeKind, Visibility
from domain.next_steps import follow
from domain.schedule import RUNS_WHILE_SUSPENDED


def _running(state: CaseState) -> list[Deadline]:
    if state.status is CaseStatus.CLOSED:
        return []
    deadlines = state.open_deadlines()
    if state.status is CaseStatus.SUSPENDED:
        return [d for d in deadlines if d.name in RUNS_WHILE_SUSPENDED]
    return deadlines


def _milestones(d: Deadline) -> list[datetime]:
    pending = []
    if not d.reminded:
        pending.append(d.remind_at)
    if not d.escalated:
        pending.append(d.due)
    if not d.escalated_again:
        pending.append(d.second_escalation_at)
    return pending


def next_wake(state: CaseState) -> datetime | None:
    """The next moment a reminder or escalation falls due, if any."""
    moments = [m for d in _running(state) for m in _milestones(d)]
    moments += status_updates.wakes(state)
    return min(moments, default=None)


def fire(state: CaseState, now: datetime, *, next_step: bool = True) -> Transition:
    """Send the reminders and escalations that are due by ``now``; a response period that
    has passed hands the next step to the secretariat (``next_step`` False: not opened)."""
    b = Builder(state, now, None)
    for d in _running(b.s):
        if d.name == "dialogue" and now >= d.due:
            d.escalated = d.reminded = d.escalated_again = True
            b.meet("dialogue")
            b.event("dialogue_lapsed", "The dialogue period ended without settlement")
            b.hearing(f"Referred to the {b.s.deciding_body.replace('_', ' ')} for a hearing")
            continue
        if not d.reminded and now >= d.remind_at:
            d.reminded = True
            if now < d.due:
                b.event(
                    "reminder",
                    f"Reminder: {d.label} due {d.due.date()}",
                    visibility=Visibility.COMMITTEE,
                )
                b.notify(NoticeKind.REMINDER, [d.owner], deadline=d.name, party=d.party)
        if not d.escalated and now >= d.due:
            d.escalated = True
            b.event("deadline_missed", f"Deadline missed: {d.label}; the case is overdue")
            # ``party`` picks this company's deadline for the label and date; staff get it.
            staff = [Audience.CHAIR, Audience.SECRETARIAT]
            b.notify(NoticeKind.ESCALATION, staff, deadline=d.name, party=d.party)
            if d.owner not in (Audience.CHAIR, Audience.SECRETARIAT):
                overdue = f"{d.label}: the deadline has passed. Please act as soon as possible."
                b.notify(
                    NoticeKind.MESSAGE, [d.owner], deadline=d.name, text=overdue, party=d.party
                )
        if d.escalated and not d.escalated_again and now >= d.second_escalation_at:
            d.escalated_again = True
            b.event(
                "second_escalation",
                f"Still missed after the grace period: {d.label}; escalated to the steering group",
            )
            b.notify(
                NoticeKind.SECOND_ESCALATION,
                [Audience.STEERING_GROUP, Audience.CHAIR],
                deadline=d.name,
                party=d.party,
            )
    status_updates.send_due(b)
    follow(b, opens=next_step)
    return b.t
