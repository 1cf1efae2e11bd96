"""Messages and documents: anyone on the case writes; staff may mark one for one company."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from domain.actions.base import (
    CASE_STAFF,
    PARTIES,
    PARTY,
    ActionModel,
    FormField,
    Party,
    Placement,
    Spec,
)
from domain.cases import Actor, CaseState, Text
from domain.enums import NoticeKind, Visibility
from domain.errors import Forbidden, InvalidAction
from domain.words import N_

WRITES = PARTIES | CASE_STAFF
VISIBILITY = FormField("visibility", N_("Who may read it"), kind="select", choices="visibility")


def _check_party(state: CaseState, actor: Actor, party: str | None, visibility: Visibility) -> None:
    """An item for one respondent company: marked by staff only, for one of the case's."""
    if party is None:
        return
    if actor.side is not None or actor.role not in CASE_STAFF:
        raise Forbidden(
            "only the committee's staff (secretariat, chair, committee, mediator) may mark "
            "a message or document as concerning one company ('party')"
        )
    respondents = [p.organisation_id for p in state.respondents]
    if party not in respondents:
        raise InvalidAction(
            f"party: '{party}' is not a respondent of this case; "
            f"its respondents are: {', '.join(respondents)}",
            field="party",
        )
    if visibility is Visibility.PUBLIC:
        raise InvalidAction("party: an item for one company cannot be public", field="party")


class AddMessage(ActionModel):
    spec = Spec(
        label=N_("Send a message"),
        who=WRITES,
        while_suspended=True,
        events={"message"},
        notices={NoticeKind.MESSAGE},
        form=(FormField("text", N_("Message"), required=True), VISIBILITY, PARTY),
        page=Placement.MESSAGES,
        tracking=("text", "visibility"),
    )

    action: Literal["add_message"]
    text: Text
    visibility: Visibility = Visibility.PARTIES
    party: Party | None = None

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        _check_party(state, actor, self.party, self.visibility)


class AddDocument(ActionModel):
    spec = Spec(
        label=N_("Add a document"),
        who=WRITES,
        while_suspended=True,
        events={"document_added"},
        form=(VISIBILITY, PARTY),
        not_on_form={"document_id", "filename"},  # the upload form's file
        page=Placement.UPLOAD,
    )

    action: Literal["add_document"]
    document_id: str = Field(min_length=1, max_length=64)
    filename: str = Field(min_length=1, max_length=255)
    visibility: Visibility = Visibility.PARTIES
    party: Party | None = None

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        _check_party(state, actor, self.party, self.visibility)
