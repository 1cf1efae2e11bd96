"""Transition of a party withdrawing from the covenant after a dispute's dialogue (pure)."""

from __future__ import annotations

from typing import assert_never

from domain import actions as a
from domain.cases import Actor
from domain.effects import Builder
from domain.enums import Outcome, Side

WHO = {Side.COMPLAINANT: "The party that brought the dispute", Side.RESPONDENT: "The other party"}


def apply(b: Builder, actor: Actor, action: a.CovenantExitAction) -> None:
    """Close the dispute: the acting party left the covenant (its reason recorded)."""
    match action:
        case a.WithdrawFromCovenant(reason=reason):
            who = WHO.get(actor.side or Side.COMPLAINANT, "A party")
            b.close(Outcome.WITHDREW_FROM_COVENANT, f"{who} withdrew from the covenant", reason)
        case _:
            assert_never(action)
