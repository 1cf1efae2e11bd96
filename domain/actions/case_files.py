"""Actions on the case file itself: merging a complaint into another case, reopening one."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from domain.actions.base import REASON, ActionModel, FormField, Placement, Reason, Spec
from domain.cases import Actor, CaseState
from domain.enums import NoticeKind, Role, Stage
from domain.errors import InvalidAction
from domain.merging import MERGEABLE, merge_refusal
from domain.reopening import reopen_refusal, stage_refusal
from domain.words import N_


class MergeInto(ActionModel):
    """Merge this complaint into another case about the same matter, which goes on."""

    spec = Spec(
        label=N_("Merge into another case about the same matter"),
        who={Role.SECRETARIAT},
        stages=MERGEABLE,
        refusal=lambda s, now: merge_refusal(s),
        events={"merged_into", "closed"},
        notices={NoticeKind.CLOSED},
        form=(
            FormField(
                "target",
                N_("Reference of the case that goes on"),
                kind="text",
                required=True,
                hint=N_("An open complaint under the same covenant."),
            ),
            REASON,
        ),
        page=Placement.ANY_TIME,
    )

    action: Literal["merge_into"]
    target: str = Field(min_length=1, max_length=32)
    reason: Reason

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        if self.target == state.reference:
            raise InvalidAction("a case cannot be merged into itself", field="target")


class Reopen(ActionModel):
    """Reopen a closed case to an open stage, with a reason."""

    spec = Spec(
        label=N_("Reopen the case"),
        who={Role.CHAIR},
        stages={Stage.CLOSED},
        refusal=lambda s, now: reopen_refusal(s),
        events={"reopened", "stage_changed"},
        notices={NoticeKind.STAGE_CHANGED},
        form=(
            FormField(
                "stage",
                N_("Stage to reopen the case to"),
                kind="select",
                required=True,
                choices="reopen_stage",
            ),
            REASON,
        ),
    )

    action: Literal["reopen"]
    stage: Stage
    reason: Reason

    def check_fields(self, state: CaseState, actor: Actor, now: datetime) -> None:
        refusal = stage_refusal(state, self.stage)
        if refusal is not None:
            raise InvalidAction(refusal, field="stage")


CaseFileAction = MergeInto | Reopen
