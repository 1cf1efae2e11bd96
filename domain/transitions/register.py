"""Transitions of the register's actions (pure): none of them changes the case's state.

Publishing a summary, recording a lesson and a complainant's agreement to be named are
content: ``services.register_actions`` writes them to the read model and the audit trail, and the
case's workflow never receives them (``domain.actions.register``). Their arm here keeps the
dispatch exhaustive and says so: the stage machine, its deadlines and notices stay as they are.
"""

from __future__ import annotations

from typing import assert_never

from domain import actions as a
from domain.cases import Actor
from domain.effects import Builder


def apply(b: Builder, actor: Actor, action: a.RegisterAction) -> None:
    """Nothing of the case's state changes: the record is the register's (content)."""
    match action:
        case a.PublishSummary() | a.RecordLesson() | a.ConsentToNaming():
            return
        case _:
            assert_never(action)
