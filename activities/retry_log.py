"""Every failed activity attempt in the log: which activity, which case, which attempt, which
kind of error, and whether Temporal tries it again. Never the error's text: a driver's or
mail server's message can quote what it was given (an address, a complainant's words).

The same interceptor counts attempts and failures per activity type (prometheus-client's
default registry; the worker serves it at ``REDRESS_WORKER_APP_METRICS_ADDRESS``)."""

from __future__ import annotations

import logging
from typing import Any

from prometheus_client import Counter
from temporalio import activity
from temporalio.exceptions import ApplicationError
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
)

log = logging.getLogger(__name__)

ATTEMPTS = Counter(
    "redress_activity_attempts",
    "Activity attempts started, by activity type; retry is false for first attempts",
    ["activity_type", "retry"],
)
FAILURES = Counter(
    "redress_activity_failures",
    "Activity attempts that failed, by activity type, error type and whether Temporal retries",
    ["activity_type", "error", "retried"],
)


def _retried(error: BaseException) -> bool:
    """Whether Temporal's retry policy may try the activity again after this error."""
    return not (isinstance(error, ApplicationError) and error.non_retryable)


class _LogAttempts(ActivityInboundInterceptor):
    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        info = activity.info()
        where = f"{info.activity_type} of {info.workflow_id or '-'}"
        ATTEMPTS.labels(info.activity_type, str(info.attempt > 1).lower()).inc()
        if info.attempt > 1:
            log.info("%s: attempt %d", where, info.attempt)
        try:
            result = await super().execute_activity(input)
        except Exception as error:
            retried = _retried(error)
            # The error's type only: its text may quote case data.
            FAILURES.labels(info.activity_type, type(error).__name__, str(retried).lower()).inc()
            log.warning(
                "%s: attempt %d failed (%s); %s",
                where,
                info.attempt,
                type(error).__name__,
                "Temporal retries it with backoff" if retried else "not retried",
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
