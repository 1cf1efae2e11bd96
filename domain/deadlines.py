"""A case's deadlines: how each is held in the workflow's state, and how one is asked for."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from domain.enums import Audience, DeadlineState


class Extension(BaseModel):
    """A recorded extension of a deadline."""

    at: datetime
    until: datetime
    reason: str
    by: str


class Deadline(BaseModel):
    """A durable deadline with its reminder and escalation moments; ``id`` keys it.

    ``fixed`` deadlines (a decision's order dates) are not moved by a suspension.
    """

    id: str
    name: str
    label: str
    owner: Audience
    opened_at: datetime
    due: datetime
    remind_at: datetime
    second_escalation_at: datetime
    state: DeadlineState = DeadlineState.OPEN
    fixed: bool = False
    party: str | None = None  # the respondent organisation it is for, when only one
    reminded: bool = False
    escalated: bool = False
    escalated_again: bool = False
    closed_at: datetime | None = None
    extensions: list[Extension] = Field(default_factory=list)

    @property
    def overdue(self) -> bool:
        """Missed and not yet met."""
        return self.state is DeadlineState.OPEN and self.escalated


class DeadlineRequest(BaseModel):
    """A deadline to open: a named procedure period from ``start``, or a fixed ``due``."""

    name: str
    label: str
    owner: Audience
    start: datetime
    period: str | None = None
    due_date: date | None = None
    party: str | None = None
