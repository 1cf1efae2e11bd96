"""Sending a parked notice again, for the portal and the command line alike."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlmodel import Session
from temporalio.client import Client
from temporalio.service import RPCError

from domain.notices import NoticeRequest
from domain.problems import Conflict, NotFound, Unavailable
from services.engine import ENGINE_DOWN
from store import outbox
from workflows.notice_retry import NoticeRetryWorkflow


async def resend_parked(
    *, session: Session, client: Client, task_queue: str, key: str, by: str
) -> NoticeRequest:
    """Send the parked notice again (in the worker, with the usual retries); ``NotFound`` or
    ``Conflict`` if not.

    Its mails already sent are not sent twice (the outbox); it is parked again if it fails.
    """
    parked = outbox.get_parked(session=session, key=key)
    if parked is None:
        raise NotFound(f"no parked notice '{key}'")
    if parked.retried_at is not None:
        raise Conflict(f"notice '{key}' was already sent again by {parked.retried_by}")
    request = NoticeRequest.model_validate_json(parked.request)
    try:
        await client.start_workflow(
            NoticeRetryWorkflow.run,
            request,
            id=f"notice-retry-{uuid.uuid4().hex}",
            task_queue=task_queue,
        )
    except RPCError:
        raise Unavailable(ENGINE_DOWN) from None
    outbox.mark_retried(session=session, notice=parked, by=by, at=datetime.now(UTC))
    session.commit()
    return request
