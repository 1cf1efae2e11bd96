"""Sending one notice, with bounded retries, parking it for staff when it cannot go out.

Sandbox-safe: imports only temporalio and the pure domain. The case workflow sends its
notices with ``send_or_park``; a notice staff send again from the parked list runs as a
``NoticeRetryWorkflow`` of its own (the case may have closed since).
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain.notices import NoticeRequest, ParkedNotice

QUICK = timedelta(seconds=30)
SEND_TIMEOUT = timedelta(minutes=2)
# About two hours of tries (a mail server down for a while), then the notice is parked for
# staff to see and retry, and the case's later notices go on.
NOTICE_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=5),
    maximum_interval=timedelta(minutes=30),
    maximum_attempts=12,
)


async def send_or_park(request: NoticeRequest, retry: RetryPolicy = NOTICE_RETRY) -> bool:
    """Send the notice; when that is given up on, park it. True when it went out."""
    try:
        await workflow.execute_activity(
            "send_notice", request, start_to_close_timeout=SEND_TIMEOUT, retry_policy=retry
        )
        return True
    except ActivityError as error:
        reason = str(error.cause or error)
        await workflow.execute_local_activity(
            "park_notice",
            ParkedNotice(request=request, error=reason, at=workflow.now()),
            start_to_close_timeout=QUICK,
        )
        return False


@workflow.defn
class NoticeRetryWorkflow:
    """A parked notice sent again at staff's request; parked again if it still fails."""

    @workflow.run
    async def run(self, request: NoticeRequest) -> bool:
        """True when the notice went out."""
        return await send_or_park(request)
