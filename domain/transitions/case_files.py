"""Transitions of merging a case into another and reopening a closed one (pure)."""

from __future__ import annotations

from typing import assert_never

from domain import actions as a
from domain.cases import Actor
from domain.effects import Builder
from domain.enums import Outcome
from domain.reopening import reopen


def apply(b: Builder, actor: Actor, action: a.CaseFileAction) -> None:
    """The effect of merging a case into another, or of reopening a closed case."""
    match action:
        case a.MergeInto(target=target, reason=reason):
            b.s.merged_into = target
            b.event("merged_into", f"Merged into case {target}, which goes on", text=reason)
            b.close(Outcome.MERGED, f"Closed: the complaint goes on as case {target}", reason)
        case a.Reopen(stage=stage, reason=reason):
            reopen(b, stage, reason)
        case _:
            assert_never(action)
