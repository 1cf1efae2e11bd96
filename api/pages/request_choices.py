"""The options of the parties' request forms: the deadlines a party may ask more time for,
and the requests awaiting the chair's or the secretariat's answer (case and tracking pages)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from api.pages import labels
from api.pages.action_forms import ZONE
from api.pages.i18n import Reader
from api.pages.labels import Gettext
from domain.actions.requests import askable, pending_extensions, pending_requests
from domain.calendar import END_OF_DAY
from domain.cases import Actor, CaseState
from domain.deadlines import Deadline
from domain.enums import Side
from domain.party_requests import RequestKind
from domain.words import EVENTS
from services.access import Standing, VisibleCase

# The select of a form (``FormField.choices``) each function below fills.
REQUEST_CHOICES = frozenset({"party_deadlines", "extension_requests", "party_requests"})
SIDES = {Standing.COMPLAINANT: Side.COMPLAINANT, Standing.RESPONDENT: Side.RESPONDENT}
ASKED_FOR = {
    RequestKind.FOLLOW_UP: EVENTS["follow_up_requested"],
    RequestKind.MEETING: EVENTS["meeting_requested"],
}


def own_deadlines(case: VisibleCase) -> list[Deadline]:
    """The open deadlines the viewer's side may ask more time for (none for staff)."""
    side = SIDES.get(case.standing)
    if side is None:
        return []
    actor = Actor(user="", side=side, organisation_id=case.viewer.organisation_id)
    return askable(case.state, actor)


def deadline_option(d: Deadline, gettext: Gettext, reader: Reader) -> tuple[str, str]:
    """A deadline as a select offers it: its label and its due day, for the reader."""
    label = labels.deadline_label(d.name, d.label, gettext, reader.digits)
    return d.id, f"{label} ({reader.day(d.due)})"


def extension_options(state: CaseState, reader: Reader) -> list[tuple[str, str]]:
    """The extension requests awaiting the chair: what is asked for, until which day."""
    return [
        (r.id, f"{r.id}: {r.deadline_label} → {reader.day(r.until)}")
        for r in pending_extensions(state)
    ]


def request_options(state: CaseState, gettext: Gettext) -> list[tuple[str, str]]:
    """The complainant's requests awaiting the secretariat's answer."""
    return [(r.id, f"{r.id}: {gettext(ASKED_FOR[r.kind])}") for r in pending_requests(state)]


def options(
    name: str, case: VisibleCase, gettext: Gettext, reader: Reader
) -> list[tuple[str, str]]:
    """The options of one of ``REQUEST_CHOICES`` for this viewer, dates for the reader."""
    if name == "party_deadlines":
        return [deadline_option(d, gettext, reader) for d in own_deadlines(case)]
    if name == "extension_requests":
        return extension_options(case.state, reader)
    return request_options(case.state, gettext)


def tracking_context(case: VisibleCase, gettext: Gettext, reader: Reader) -> dict[str, Any]:
    """What the tracking page shows of the complainant's requests: the deadlines it may ask
    more time for, and its requests still awaiting an answer (with the answer's due date)."""
    state = case.state
    due = {d.id: d.due for d in state.open_deadlines()}
    # On a case with several complainants, each sees its own requests, not the others'.
    mine = case.viewer.complainant if state.complainants > 1 else None
    return {
        "own_deadlines": [deadline_option(d, gettext, reader) for d in own_deadlines(case)],
        "open_requests": [
            (r, due.get(r.answer_deadline_id or ""))
            for r in pending_requests(state)
            if state.complainants <= 1 or (mine is not None and r.complainant == mine)
        ],
        "open_extensions": [r for r in pending_extensions(state) if r.side is Side.COMPLAINANT],
    }


def end_of_day(raw: str) -> str:
    """A day posted by a form as the end of that day at the seat; anything else unchanged,
    for the action's validation to refuse."""
    try:
        day = date.fromisoformat(raw.strip())
    except ValueError:
        return raw
    return datetime.combine(day, END_OF_DAY, tzinfo=ZONE).isoformat()
