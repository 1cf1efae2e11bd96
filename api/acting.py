"""Taking an action on a case, for the JSON API and the pages alike: check, then run it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session
from temporalio.client import Client

from api.access import actor_for
from api.deps import VisibleCase
from api.names import check_named_people
from api.workflow import refused, run_action
from domain import rules
from domain.actions import ActionInput, ActionRequest
from domain.cases import CaseState
from domain.enums import ActionName
from domain.errors import ActionRefused


def allowed_now(case: VisibleCase) -> list[ActionName]:
    """The actions this caller may take on the case now."""
    actor = actor_for(case.viewer, case.standing)
    return rules.allowed_actions(case.state, actor, datetime.now(UTC))


async def act_on_case(
    *, case: VisibleCase, action: ActionInput, session: Session, client: Client
) -> CaseState:
    """Check the action against the pure rules, then run it as a workflow update.

    Raises ``ApiError`` (403, 409, 422, 503) when refused; nothing changes then.
    """
    actor = actor_for(case.viewer, case.standing)
    try:
        rules.check(case.state, actor, action, datetime.now(UTC))
    except ActionRefused as error:
        raise refused(error) from None
    # After the role check, so only those who may take the action learn who exists.
    check_named_people(session=session, action=action)
    session.commit()  # end the read transaction: the worker writes while we wait
    request = ActionRequest(actor=actor, action=action)
    return await run_action(
        client, session=session, reference=case.state.reference, request=request
    )
