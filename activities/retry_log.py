"""Every failed activity attempt in the log: which activity, which case, which attempt, which
kind of error, and whether Temporal tries it again. Never the error's text: a driver's or
mail server's message can quote what it was given (an address, a complainant's words)."""

from __future__ import annotations

import logging
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
)

log = logging.getLogger(__name__)


def _retried(error: BaseException) -> bool:
    """Whether Temporal's retry policy may try the activity again after this error."""
    return not (isinstance(error, ApplicationError) and error.non_retryable)


class _LogAttempts(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        info = activity.info()
        where = f"{info.activity_type} of {info.workflow_id or '-'}"
        if info.attempt > 1:
            log.info("%s: attempt %d", where, info.attempt)
        try:
            result = await super().execute_activity(input)
        except Exception as error:
            log.warning(
                "%s: attempt %d failed (%s); %s",
                where,
                info.attempt,
                type(error).__name__,
                "Temporal retries it with backoff" if _retried(error) else "not retried",
            )
            raise
        if info.attempt > 1:
            log.info("%s: attempt %d succeeded", where, info.attempt)
        return result


class RetryLog(Interceptor):
    """A worker interceptor that logs each activity attempt after the first, and each
    failure with its attempt number and error type (local activities included)."""

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        """Wrap the activity's execution with the attempt log."""
        return _LogAttempts(next)
