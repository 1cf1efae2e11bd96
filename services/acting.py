"""Taking an action on a case, for the JSON API and the pages alike: check, then run it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlmodel import Session
from temporalio.client import Client

from domain import rules
from domain.actions import ActionInput, ActionName, ActionRequest
from domain.cases import Actor, CaseState
from domain.enums import Channel
from domain.errors import ActionRefused
from domain.problems import NotPermitted, Problem
from services import audit, idempotency
from services.access import VisibleCase, actor_for, withdrawn
from services.engine import EngineTimeout, refused, run_action
from services.names import check_named_people
from store import case_content
from store.tables import IdempotencyKey

# An action's answer carries the case with its latest events up to this many bytes of text
# (a long case's 50 latest messages can pass 3 MB); the rest are paged like a read's.
REPLY_EVENT_BYTES = 256 * 1024


def allowed_now(case: VisibleCase) -> list[ActionName]:
    """The actions this caller may take on the case now."""
    if withdrawn(case.viewer, case.state):
        return []  # a complainant that withdrew reads the case, no more
    actor = actor_for(case.viewer, case.standing)
    return rules.allowed_actions(case.state, actor, datetime.now(UTC))


async def act_on_case(
    *,
    case: VisibleCase,
    action: ActionInput,
    session: Session,
    client: Client,
    channel: Channel,
    idempotency_key: str | None = None,
) -> CaseState:
    """Check the action against the pure rules, run it as a workflow update, and return the
    case as the read model now holds it (projected before the update answered).

    Raises a ``Problem`` (not permitted, conflict, invalid, unavailable) when refused;
    nothing changes then. With an idempotency key, a retry of an action taken answers
    without taking it again. ``channel`` is how the action came: its events record it.
    """
    if withdrawn(case.viewer, case.state):
        raise NotPermitted("you have withdrawn from this case")
    actor = actor_for(case.viewer, case.standing).model_copy(update={"channel": channel})
    reference = case.state.reference
    record, new = None, True
    if idempotency_key is not None:
        record, new = await asyncio.to_thread(
            idempotency.claim,
            session,
            reference=reference,
            caller=actor.user,
            key=idempotency_key,
            request_digest=idempotency.digest(action.model_dump_json()),
        )
    if record is None or not record.done:
        await _act(case, actor, action, session, client, record, checked=new)
        await asyncio.to_thread(audit.record, session, case.viewer, reference, action.action)
    return await asyncio.to_thread(_reread, session, reference)


def _reread(session: Session, reference: str) -> CaseState:
    """The case as the read model holds it now (blocking)."""
    session.expire_all()
    state = case_content.load_state(session=session, reference=reference)
    assert state is not None, "an acted-on case is in the read model"
    return state


async def _act(
    case: VisibleCase,
    actor: Actor,
    action: ActionInput,
    session: Session,
    client: Client,
    record: IdempotencyKey | None,
    *,
    checked: bool,
) -> None:
    """Check (unless a retry) and run the action, keeping the key's record up to date.

    A retry of a request the engine did not answer in time may find the case moved on by
    its own first try: the workflow, which knows the update id, answers it.
    """
    try:
        if checked:
            rules.check(case.state, actor, action, datetime.now(UTC))
            # After the role check, so only those who may take the action learn who exists.
            await asyncio.to_thread(check_named_people, session=session, action=action)
        # End the read transaction: the worker writes while we wait.
        await asyncio.to_thread(session.commit)
        await run_action(
            client,
            session=session,
            reference=case.state.reference,
            request=ActionRequest(actor=actor, action=action),
            idempotency_key=record.key if record else None,
        )
    except ActionRefused as error:
        if record is not None:
            await asyncio.to_thread(idempotency.release, session, record)
        raise refused(error) from None
    except EngineTimeout:
        raise  # it may still take effect: the key stays, a retry is answered once
    except Problem:
        if record is not None:
            await asyncio.to_thread(idempotency.release, session, record)
        raise
    if record is not None:
        await asyncio.to_thread(idempotency.finish, session, record)
