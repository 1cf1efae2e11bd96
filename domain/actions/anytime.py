"""Actions possible at any open stage: questions, the clock, people, messages and documents."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, Field, model_validator

from domain.actions.base import (
    CASE_STAFF,
    NOTE,
    PARTIES,
    REASON,
    ActionModel,
    FormField,
    Note,
    Placement,
    Reason,
    Spec,
)
from domain.actions.messages import AddDocument, AddMessage
from domain.cases import Actor, CaseState, Text
from domain.enums import CaseStatus, NoticeKind, Role, Side
from domain.errors import InvalidAction
from domain.splitting import split_refusal
from domain.words import N_

MANAGES_CLOCK = {Role.SECRETARIAT, Role.CHAIR}


class RequestInformation(ActionModel):
    spec = Spec(
        label=N_("Request information"),
        who=CASE_STAFF,
        refusal=lambda s, now: (
            "information was already requested" if s.information_request else None
        ),
        events={"suspended", "information_requested"},
        notices={NoticeKind.INFORMATION_REQUESTED},
        form=(
            FormField("from", N_("Ask"), kind="select", required=True, choices="side"),
            FormField("question", N_("Question"), required=True),
        ),
        page=Placement.ANY_TIME,
    )

    action: Literal["request_information"]
    from_: Side = Field(alias="from")
    question: Text


def _side_asked(state: CaseState) -> frozenset[Side]:
    asked = state.information_request
    return frozenset({asked.from_side}) if asked else frozenset(Side)


class ProvideInformation(ActionModel):
    spec = Spec(
        label=N_("Provide the requested information"),
        who=PARTIES,
        sides_now=_side_asked,  # only the side asked answers
        while_suspended=True,
        refusal=lambda s, now: None if s.information_request else "no information was requested",
        events={"information_provided", "resumed"},
        notices={NoticeKind.MESSAGE},
        form=(FormField("text", N_("Your answer"), required=True),),
        tracking=("text",),
    )

    action: Literal["provide_information"]
    text: Text


class Suspend(ActionModel):
    spec = Spec(
        label=N_("Suspend the case (stop the clock)"),
        who=MANAGES_CLOCK,
        events={"suspended"},
        notices={NoticeKind.MESSAGE},
        form=(REASON,),
        page=Placement.ANY_TIME,
    )

    action: Literal["suspend"]
    reason: Reason


class Resume(ActionModel):
    spec = Spec(
        label=N_("Resume the case (restart the clock)"),
        who=MANAGES_CLOCK,
        while_suspended=True,
        refusal=lambda s, now: (
            None if s.status is CaseStatus.SUSPENDED else "the case is not suspended"
        ),
        events={"resumed"},
        notices={NoticeKind.MESSAGE},
        form=(NOTE,),
        page=Placement.ANY_TIME,
    )

    action: Literal["resume"]
    note: Note = ""


class ExtendDeadline(ActionModel):
    spec = Spec(
        label=N_("Extend a deadline"),
        who={Role.CHAIR},
        while_suspended=True,
        refusal=lambda s, now: None if s.open_deadlines() else "the case has no open deadline",
        events={"deadline_extended"},
        notices={NoticeKind.MESSAGE},
        form=(
            FormField(
                "deadline", N_("Deadline"), kind="select", required=True, choices="deadlines"
            ),
            FormField("until", N_("New due date"), kind="date", required=True),
            REASON,
        ),
        page=Placement.ANY_TIME,
    )

    action: Literal["extend_deadline"]
    deadline: str = Field(min_length=1, max_length=64)
    until: AwareDatetime
    reason: Reason

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        open_ = state.open_deadlines()
        deadline = next((d for d in open_ if self.deadline in (d.id, d.name)), None)
        if deadline is None:
            names = ", ".join(d.name for d in open_)
            raise InvalidAction(f"no open deadline '{self.deadline}'; open deadlines: {names}")
        if self.until <= deadline.due:
            raise InvalidAction("an extension must end after the current due date")


def _withdrawn_already(state: CaseState, actor: Actor) -> str | None:
    """A complainant that withdrew from a case with several does not withdraw again."""
    if actor.complainant is not None and actor.complainant in state.withdrawn_complainants:
        return "you have withdrawn from this case"
    return None


class Withdraw(ActionModel):
    spec = Spec(
        label=N_("Withdraw the complaint"),
        who={Side.COMPLAINANT},
        while_suspended=True,
        actor_refusal=_withdrawn_already,
        # On a case with several complainants, the one acting withdraws alone until the last.
        events={"closed", "complainant_withdrawn"},
        notices={NoticeKind.CLOSED, NoticeKind.MESSAGE},
        form=(REASON,),
        page=Placement.ANY_TIME,
        tracking=("reason",),
    )

    action: Literal["withdraw"]
    reason: Reason


class Recuse(ActionModel):
    spec = Spec(
        label=N_("Recuse a committee member"),
        who={Role.CHAIR, Role.COMMITTEE},
        while_suspended=True,
        events={"recusal"},
        form=(
            FormField(
                "member", N_("Committee member"), kind="select", required=True, choices="members"
            ),
            REASON,
        ),
        page=Placement.ANY_TIME,
    )

    action: Literal["recuse"]
    member: str = Field(min_length=1, max_length=64)
    reason: Reason


class Assign(ActionModel):
    spec = Spec(
        label=N_("Assign a case officer or mediator"),
        who=MANAGES_CLOCK,
        while_suspended=True,
        events={"assigned"},
        notices={NoticeKind.MESSAGE},
        form=(
            FormField("officer", N_("Case officer"), kind="select", choices="officers"),
            FormField("mediator", N_("Mediator"), kind="select", choices="mediators"),
        ),
        page=Placement.ANY_TIME,
    )

    action: Literal["assign"]
    officer: str | None = Field(default=None, max_length=64)
    mediator: str | None = Field(default=None, max_length=64)

    @model_validator(mode="after")
    def _someone(self) -> Assign:
        if not self.officer and not self.mediator:
            raise ValueError("name an officer, a mediator or both")
        return self


class SplitCase(ActionModel):
    """Continue the complaint against one respondent company as a case of its own."""

    spec = Spec(
        label=N_("Split off one company's part as a case of its own"),
        who={Role.CHAIR, Role.SECRETARIAT},
        refusal=lambda s, now: split_refusal(s),
        events={"split"},
        notices={NoticeKind.MESSAGE},
        form=(
            FormField(
                "respondent",
                N_("The company whose part continues as a case of its own"),
                kind="select",
                required=True,
                choices="respondents",
            ),
        ),
    )

    action: Literal["split_case"]
    respondent: str = Field(min_length=1, max_length=64)

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        respondents = [p.organisation_id for p in state.respondents]
        if self.respondent not in respondents:
            names = ", ".join(respondents)
            raise InvalidAction(
                f"'{self.respondent}' is not a respondent of this case; respondents: {names}"
            )


AnytimeAction = (
    RequestInformation
    | ProvideInformation
    | Suspend
    | Resume
    | ExtendDeadline
    | Withdraw
    | Recuse
    | Assign
    | AddMessage
    | AddDocument
    | SplitCase
)
