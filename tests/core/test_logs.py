"""Log lines: the redaction safety net, the JSON and text formats, the case reference in play,
and the one configuration every process (and uvicorn's loggers) follows."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import temporalio.activity
import temporalio.workflow
import uvicorn
from temporalio.testing import ActivityEnvironment
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput

from core.log_context import (
    CaseActivityContext,
    bind_reference,
    case_context,
    current_reference,
    reference_of,
)
from core.logs import (
    EMAIL_MASK,
    SECRET_MASK,
    Redact,
    configure_logging,
    log_handler,
    redact,
    uvicorn_log_config,
)
from core.security import new_secret, new_totp_secret
from core.settings import Settings

JSON = Settings(log_format="json", secret_key="logs-tests-secret-key-0123456789")
TEXT = Settings(log_format="text", secret_key="logs-tests-secret-key-0123456789")


def test_redact_masks_addresses_bearer_tokens_and_access_codes() -> None:
    code, totp = new_secret(), new_totp_secret()
    text = redact(
        f"mail to Rahima.Khatun+cases@workers.example, code {code}, "
        f"Authorization: Bearer abc.def-ghi, X-Access-Code: short1, access_code=xyz, "
        f"token={code[:10]} secret {totp}"
    )
    for secret in ("Rahima", "workers.example", code, "abc.def-ghi", "short1", "xyz", totp):
        assert secret not in text, secret
    assert text.count(EMAIL_MASK) == 1 and SECRET_MASK in text


def test_redact_keeps_what_operators_need() -> None:
    kept = (
        "case-GT-2026-AB3CD notice 7 of GT-2026-AB3CD: 2 mail(s) sent, "
        "run 0193a0b2-1234-7abc-8def-0123456789ab, digest "
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08, "
        "<0123456789abcdef0123456789abcdef01234567@redress.localhost>, "
        "TracingWorkflowInboundInterceptor REDRESS_WORKER_METRICS_ADDRESS "
        "redress_http_request_duration_seconds"
    )
    assert redact(kept) == kept


def test_the_filter_masks_the_message_and_its_args() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "sent to %s with %s", ("a.b@c.example", new_secret()), None
    )
    assert Redact().filter(record)
    assert record.getMessage() == f"sent to {EMAIL_MASK} with {SECRET_MASK}"
    by_name = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "%(who)s", ({"who": "a.b@c.example"},), None
    )
    Redact().filter(by_name)
    assert by_name.getMessage() == EMAIL_MASK


@pytest.fixture
def logged() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing JSON through the process's handler into a buffer."""
    stream = io.StringIO()
    logger = logging.getLogger("tests.core.logs")
    handler = log_handler("json", stream)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    """Each line of ``stream`` parsed as one JSON object."""
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_lines_carry_time_level_logger_message_reference_and_fields(
    logged: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = logged
    with case_context("GT-2026-AB3CD"):
        logger.debug("projected seq %d", 4, extra={"seq": 4, "who": {"to": "x@y.example"}})
    logger.info("no case here")
    try:
        raise ValueError("refused rahima@workers.example")
    except ValueError:
        logger.exception("send failed")
    first, second, third = lines(stream)
    moment = datetime.fromisoformat(first["time"].replace("Z", "+00:00"))
    assert first["time"].endswith("Z") and abs(datetime.now(UTC) - moment).total_seconds() < 60
    assert first["level"] == "DEBUG" and first["logger"] == "tests.core.logs"
    assert first["message"] == "projected seq 4" and first["reference"] == "GT-2026-AB3CD"
    assert first["seq"] == 4 and first["who"] == {"to": EMAIL_MASK}
    assert "reference" not in second
    assert third["error"] == "ValueError" and "ValueError" in third["traceback"]
    assert "rahima" not in stream.getvalue()


def test_the_reference_comes_from_the_temporal_workflow_that_logged(
    logged: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = logged
    details = {"workflow_id": "case-GT-2026-ZZ9ZZ", "workflow_type": "CaseWorkflow"}
    logger.info("stage changed", extra={"temporal_workflow": details})
    logger.info("not a case", extra={"temporal_activity": {"workflow_id": "notice-retry"}})
    case, other = lines(stream)
    assert case["reference"] == "GT-2026-ZZ9ZZ" and case["temporal_workflow"] == details
    assert "reference" not in other


def test_text_lines_name_the_case_after_the_message() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("tests.core.logs.text")
    logger.addHandler(log_handler("text", stream))
    logger.propagate = False
    with case_context("GT-2026-AB3CD"):
        logger.warning("mail to %s refused", "a@b.example")
    assert (
        stream.getvalue()
        .rstrip()
        .endswith(f"WARNING tests.core.logs.text: mail to {EMAIL_MASK} refused [GT-2026-AB3CD]")
    )


async def test_a_reference_is_bound_only_inside_a_case_context() -> None:
    bind_reference("GT-2026-OUT00")
    assert current_reference() is None  # outside a request or activity: nothing stays behind
    with case_context() as context:

        async def filing() -> None:  # a task of its own: a copy of the context
            bind_reference("GT-2026-IN000")

        await asyncio.create_task(filing())
        assert current_reference() == "GT-2026-IN000" and context.reference == "GT-2026-IN000"
    assert current_reference() is None
    assert reference_of("case-GT-2026-IN000") == "GT-2026-IN000"
    assert reference_of("notice-retry-1") is None and reference_of(None) is None


class _Reporting(ActivityInboundInterceptor):
    """The end of the chain: an activity that says which case its log lines would carry."""

    def __init__(self) -> None:
        pass

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        return current_reference()


async def test_each_activity_runs_in_its_cases_context() -> None:
    env = ActivityEnvironment()
    env.info = dataclasses.replace(env.info, workflow_id="case-GT-2026-ACT01")
    chain = CaseActivityContext().intercept_activity(_Reporting())
    attempt = ExecuteActivityInput(fn=lambda: None, args=[], executor=None, headers={})

    async def run() -> Any:
        return await chain.execute_activity(attempt)

    assert await env.run(run) == "GT-2026-ACT01"
    assert current_reference() is None


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """Put the process's logging back as it was after a test configures it."""
    names = ("", "uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")
    saved = {
        n: (
            logging.getLogger(n).handlers[:],
            logging.getLogger(n).level,
            logging.getLogger(n).propagate,
        )
        for n in names
    }
    flags = (
        temporalio.activity.logger.activity_info_on_message,
        temporalio.workflow.logger.workflow_info_on_message,
    )
    try:
        yield
    finally:
        for name, (handlers, level, propagate) in saved.items():
            logger = logging.getLogger(name)
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate = propagate
        temporalio.activity.logger.activity_info_on_message = flags[0]
        temporalio.workflow.logger.workflow_info_on_message = flags[1]


def test_uvicorn_logs_through_the_same_json_handler_and_its_access_lines_are_off(
    restored_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(JSON, verbose=True)
    assert logging.getLogger().level == logging.DEBUG
    assert temporalio.activity.logger.activity_info_on_message is False  # fields, in JSON
    # uvicorn applies its log_config itself, in each of its worker processes too.
    uvicorn.Config(lambda scope, receive, send: None, log_config=uvicorn_log_config(JSON))
    logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "10.0.0.7:5000", "GET", "/reset/secret", "1.1", 200
    )
    logging.getLogger("redress.api").debug("purged %d tokens", 3)
    out = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(line["logger"], line["level"], line["message"]) for line in out] == [
        ("uvicorn.error", "INFO", "Started server process [42]"),
        ("redress.api", "DEBUG", "purged 3 tokens"),
    ]


def test_text_is_the_default_format(
    restored_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(TEXT)
    assert logging.getLogger().level == logging.INFO
    logging.getLogger("redress.api").info("hello")
    logging.getLogger("redress.api").debug("not shown")
    err = capsys.readouterr().err
    assert err.rstrip().endswith("INFO redress.api: hello") and "not shown" not in err
