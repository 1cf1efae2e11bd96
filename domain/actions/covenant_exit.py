"""Leaving the covenant: after a dispute's dialogue period, a party withdraws (forest)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from domain.actions.base import PARTIES, REASON, ActionModel, Reason, Spec
from domain.cases import CaseState
from domain.enums import CaseKind, NoticeKind, Stage
from domain.words import N_

# After the dialogue, until a decision is issued.
AFTER_DIALOGUE = frozenset({Stage.HEARING, Stage.DECISION})


def withdrawal_refusal(state: CaseState, now: datetime) -> str | None:
    """Why no party may withdraw from the covenant now, or None: only a dispute under a
    covenant whose procedure allows it, once its dialogue period has run its course."""
    if state.kind is not CaseKind.DISPUTE:
        return "only a party to a dispute may withdraw from the covenant"
    if not state.procedure.withdrawal_after_dialogue:
        return "this covenant's procedure has no withdrawal: the dispute is decided"
    dialogue = next((d for d in state.deadlines if d.name == "dialogue"), None)
    if dialogue is not None and now < dialogue.due:
        return (
            "a party may withdraw from the covenant only after the dialogue period, "
            f"which ends on {dialogue.due.date().isoformat()}"
        )
    return None


class WithdrawFromCovenant(ActionModel):
    """A party leaves the covenant after the dialogue period: the dispute closes with that
    outcome (the covenant's procedure says whether it may: ``withdrawal_after_dialogue``)."""

    spec = Spec(
        label=N_("Withdraw from the covenant"),
        who=PARTIES,
        stages=AFTER_DIALOGUE,
        refusal=withdrawal_refusal,
        events={"closed"},
        notices={NoticeKind.CLOSED},
        form=(REASON,),
    )

    action: Literal["withdraw_from_covenant"]
    reason: Reason


CovenantExitAction = WithdrawFromCovenant
