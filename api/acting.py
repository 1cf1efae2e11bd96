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
from store import case_content


def allowed_now(case: VisibleCase) -> list[ActionName]:
    """The actions this caller may take on the case now."""
    actor = actor_for(case.viewer, case.standing)
    return rules.allowed_actions(case.state, actor, datetime.now(UTC))


async def act_on_case(
    *,
    case: VisibleCase,
    action: ActionInput,
    session: Session,
    client: Client,
    idempotency_key: str | None = None,
) -> CaseState:
    """Check the action against the pure rules, run it as a workflow update, and return the
    case as the read model now holds it (projected before the update answered).

    Raises ``ApiError`` (403, 409, 422, 503) when refused; nothing changes then. With an
    idempotency key a refusal here may be a retry of an action already taken: the workflow,
    which remembers the key, answers that one.
    """
    actor = actor_for(case.viewer, case.standing)
    try:
        rules.check(case.state, actor, action, datetime.now(UTC))
        # After the role check, so only those who may take the action learn who exists.
        check_named_people(session=session, action=action)
    except ActionRefused as error:
        if idempotency_key is None:
            raise refused(error) from None
    session.commit()  # end the read transaction: the worker writes while we wait
    reference = case.state.reference
    request = ActionRequest(actor=actor, action=action)
    await run_action(
        client,
        session=session,
        reference=reference,
        request=request,
        idempotency_key=idempotency_key,
    )
    session.expire_all()
    state = case_content.load_state(session=session, reference=reference)
    assert state is not None, "an acted-on case is in the read model"
    return state
