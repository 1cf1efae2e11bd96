"""The company's response to an admitted complaint."""

from __future__ import annotations

from typing import Literal

from domain.actions.base import ActionModel, FormField, Spec
from domain.cases import Actor, CaseState, Text
from domain.enums import NoticeKind, Side, Stage
from domain.words import N_


def _responded(state: CaseState, actor: Actor) -> str | None:
    if actor.organisation_id in state.responses:
        return "your organisation's response was already submitted"
    return None


class SubmitResponse(ActionModel):
    spec = Spec(
        label=N_("Submit the company's response"),
        who={Side.RESPONDENT},
        stages={Stage.RESPONSE},
        refusal=lambda s, now: (
            "every respondent has responded" if s.response_submitted_at else None
        ),
        actor_refusal=_responded,
        events={"response_submitted"},
        notices={NoticeKind.MESSAGE},
        form=(FormField("text", N_("Your response to the complaint"), required=True),),
    )

    action: Literal["submit_response"]
    text: Text


ResponseAction = SubmitResponse
