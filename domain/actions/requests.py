"""Requests a party makes of the committee at any open stage: an extension of a deadline
(the chair answers), follow-up or a meeting with the companies' representatives (the
complainant asks, the secretariat answers)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, Field

from domain.actions.base import (
    PARTIES,
    REASON,
    REASONS,
    ActionModel,
    FormField,
    Note,
    Placement,
    Reason,
    Spec,
)
from domain.cases import Actor, CaseState, Text
from domain.deadlines import Deadline
from domain.enums import Audience, NoticeKind, Role, Side
from domain.errors import InvalidAction
from domain.party_requests import ExtensionAsk, PartyRequest, RequestKind
from domain.words import N_

# Periods both parties work in: either may ask for more time.
SHARED_DEADLINES = frozenset({"mediation", "dialogue"})
EXTENSION_ID = r"^extension-[1-9][0-9]{0,5}$"
REQUEST_ID = r"^request-[1-9][0-9]{0,5}$"


def askable(state: CaseState, actor: Actor) -> list[Deadline]:
    """The open deadlines this party may ask to extend: its own, or one both parties share."""
    found = []
    for d in state.open_deadlines():
        if d.name in SHARED_DEADLINES:
            found.append(d)
        elif actor.side is Side.COMPLAINANT and d.owner is Audience.COMPLAINANT:
            found.append(d)
        elif (
            actor.side is Side.RESPONDENT
            and d.owner is Audience.RESPONDENTS
            and d.party in (None, actor.organisation_id)
        ):
            found.append(d)
    return found


def _parties_deadline(state: CaseState, now: datetime) -> str | None:
    owners = (Audience.COMPLAINANT, Audience.RESPONDENTS)
    if any(d.owner in owners or d.name in SHARED_DEADLINES for d in state.open_deadlines()):
        return None
    return "no deadline of a party is open"


def pending_extensions(state: CaseState) -> list[ExtensionAsk]:
    """Extension requests awaiting the chair's answer."""
    return [r for r in state.extension_requests if r.answer is None]


def pending_requests(state: CaseState) -> list[PartyRequest]:
    """Requests for follow-up or a meeting awaiting the secretariat's answer."""
    return [r for r in state.party_requests if r.answered_at is None]


def _listed(ids: list[str]) -> str:
    return ", ".join(ids) or "none"


def asked_already(state: CaseState, actor: Actor, kind: RequestKind) -> str | None:
    """Why this complainant may not ask again: its request of this kind still awaits the
    secretariat's answer (each opens a deadline and e-mails the secretariat), or None.

    An actor that names no complainant was recorded before complainants were told apart
    (``Actor.complainant``): its request is taken as then, so old histories replay alike."""
    if actor.complainant is None:
        return None
    waiting = [
        r.id
        for r in pending_requests(state)
        if r.kind is kind and r.complainant in (None, actor.complainant)
    ]
    if not waiting:
        return None
    what = "a meeting" if kind is RequestKind.MEETING else "follow-up"
    return f"you already asked for {what} ({waiting[0]}); ask again once it is answered"


class RequestExtension(ActionModel):
    """A party asks the chair for more time for a deadline it owns or shares."""

    spec = Spec(
        label=N_("Ask for more time"),
        who=PARTIES,
        while_suspended=True,  # a question asked of a party runs while the clock is stopped
        refusal=_parties_deadline,
        actor_refusal=lambda s, actor: (
            None if askable(s, actor) else "you have no open deadline to ask more time for"
        ),
        events={"extension_requested"},
        notices={NoticeKind.MESSAGE},
        form=(
            FormField(
                "deadline", N_("Deadline"), kind="select", required=True, choices="party_deadlines"
            ),
            FormField("until", N_("Until (the day you ask for)"), kind="date", required=True),
            REASONS,
        ),
        page=Placement.ANY_TIME,
        tracking=("deadline", "until", "reasons"),
    )

    action: Literal["request_extension"]
    deadline: str = Field(min_length=1, max_length=64)
    until: AwareDatetime
    reasons: Reason

    def asked_of(self, state: CaseState, actor: Actor) -> Deadline:
        """The deadline the request names, among those this party may ask about."""
        mine = askable(state, actor)
        deadline = next((d for d in mine if self.deadline in (d.id, d.name)), None)
        if deadline is None:
            names = ", ".join(d.name for d in mine) or "none"
            raise InvalidAction(
                f"deadline: no open deadline '{self.deadline}' you may ask more time for; "
                f"yours: {names}",
                field="deadline",
            )
        return deadline

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        deadline = self.asked_of(state, actor)
        if self.until <= deadline.due:
            raise InvalidAction(
                f"until: the deadline already runs until {deadline.due.date()}; ask for a "
                "later day",
                field="until",
            )
        for asked in pending_extensions(state):
            same_asker = (asked.side, asked.organisation_id) == (actor.side, actor.organisation_id)
            if asked.deadline_id == deadline.id and same_asker:
                raise InvalidAction(
                    f"deadline: you already asked more time for it ({asked.id}); the chair "
                    "has yet to answer",
                    field="deadline",
                )


def _check_extension(state: CaseState, request: str) -> ExtensionAsk:
    asked = next((r for r in state.extension_requests if r.id == request), None)
    waiting = [r.id for r in pending_extensions(state)]
    if asked is None:
        raise InvalidAction(
            f"request: no extension request '{request}'; awaiting an answer: {_listed(waiting)}",
            field="request",
        )
    if asked.answer is not None and asked.answered_at is not None:
        raise InvalidAction(
            f"request: {asked.id} was already answered ({asked.answer} on "
            f"{asked.answered_at.date()})",
            field="request",
        )
    return asked


def _no_extension_waits(state: CaseState, now: datetime) -> str | None:
    return None if pending_extensions(state) else "no extension request awaits an answer"


EXTENSION_REQUEST = FormField(
    "request", N_("Request"), kind="select", required=True, choices="extension_requests"
)


class GrantExtension(ActionModel):
    """The chair grants a party's request: the deadline moves to the day asked for."""

    spec = Spec(
        label=N_("Grant the extension asked for"),
        who={Role.CHAIR},
        while_suspended=True,
        refusal=_no_extension_waits,
        events={"extension_granted"},
        notices={NoticeKind.MESSAGE},
        form=(EXTENSION_REQUEST, FormField("reason", N_("Note (optional)"))),
        page=Placement.ANY_TIME,
    )

    action: Literal["grant_extension"]
    request: str = Field(pattern=EXTENSION_ID)
    reason: Note = ""

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        asked = _check_extension(state, self.request)
        deadline = next((d for d in state.open_deadlines() if d.id == asked.deadline_id), None)
        if deadline is None:
            raise InvalidAction(
                f"request: the deadline of {asked.id} ({asked.deadline_label}) has closed: "
                "there is nothing left to extend; refuse the request instead",
                field="request",
            )
        if asked.until <= deadline.due:
            raise InvalidAction(
                f"request: the deadline already runs until {deadline.due.date()}, past the "
                f"day {asked.id} asked for; refuse the request instead",
                field="request",
            )


class RefuseExtension(ActionModel):
    """The chair refuses a party's request: the deadline stays where it was."""

    spec = Spec(
        label=N_("Refuse the extension asked for"),
        who={Role.CHAIR},
        while_suspended=True,
        refusal=_no_extension_waits,
        events={"extension_refused"},
        notices={NoticeKind.MESSAGE},
        form=(EXTENSION_REQUEST, REASON),
        page=Placement.ANY_TIME,
    )

    action: Literal["refuse_extension"]
    request: str = Field(pattern=EXTENSION_ID)
    reason: Reason

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        _check_extension(state, self.request)


class RequestFollowUp(ActionModel):
    """The complainant asks the secretariat what is being done, and gets an answer by a day."""

    spec = Spec(
        label=N_("Ask for follow-up"),
        who={Side.COMPLAINANT},
        while_suspended=True,
        actor_refusal=lambda s, actor: asked_already(s, actor, RequestKind.FOLLOW_UP),
        events={"follow_up_requested"},
        notices={NoticeKind.MESSAGE},
        form=(FormField("text", N_("What would you like to know?"), required=True),),
        page=Placement.ANY_TIME,
        tracking=("text",),
    )

    action: Literal["request_follow_up"]
    text: Text


class RequestMeeting(ActionModel):
    """The complainant asks for a meeting with the companies' representatives."""

    spec = Spec(
        label=N_("Ask for a meeting with the company's representatives"),
        who={Side.COMPLAINANT},
        while_suspended=True,
        actor_refusal=lambda s, actor: asked_already(s, actor, RequestKind.MEETING),
        events={"meeting_requested"},
        notices={NoticeKind.MESSAGE},
        form=(FormField("text", N_("What the meeting should be about"), required=True),),
        page=Placement.ANY_TIME,
        tracking=("text",),
    )

    action: Literal["request_meeting"]
    text: Text


class AnswerRequest(ActionModel):
    """The secretariat answers the complainant's request for follow-up or a meeting."""

    spec = Spec(
        label=N_("Answer the complainant's request"),
        who={Role.SECRETARIAT},
        while_suspended=True,
        refusal=lambda s, now: None if pending_requests(s) else "no request awaits an answer",
        events={"request_answered"},
        notices={NoticeKind.MESSAGE},
        form=(
            FormField(
                "request", N_("Request"), kind="select", required=True, choices="party_requests"
            ),
            FormField("text", N_("Your answer"), required=True),
        ),
        page=Placement.ANY_TIME,
    )

    action: Literal["answer_request"]
    request: str = Field(pattern=REQUEST_ID)
    text: Text

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        asked = next((r for r in state.party_requests if r.id == self.request), None)
        if asked is None:
            waiting = [r.id for r in pending_requests(state)]
            raise InvalidAction(
                f"request: no request '{self.request}'; awaiting an answer: {_listed(waiting)}",
                field="request",
            )
        if asked.answered_at is not None:
            raise InvalidAction(
                f"request: {asked.id} was already answered on {asked.answered_at.date()}",
                field="request",
            )


RequestsAction = (
    RequestExtension
    | GrantExtension
    | RefuseExtension
    | RequestFollowUp
    | RequestMeeting
    | AnswerRequest
)
