"""Logging for every process, configured in one place: text for a terminal or one JSON object
per line for a collector (``REDRESS_LOG_FORMAT``), each line with the case reference when one
is in play (``core.log_context``), and a redaction safety net over every line.

What a line may carry: the time, level, logger, message, the case reference, and structured
fields (HTTP method, route template, status, duration; Temporal's ids). Never an identity or a
message text: the code logs references, ids and error types, and the ``Redact`` filter masks
whatever slips through that looks like an e-mail address, a bearer token or an access code.
"""

from __future__ import annotations

import json
import logging
import logging.config
import re
import sys
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any

from core.log_context import current_reference, reference_of

if TYPE_CHECKING:
    from core.settings import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# An address, unless it is a Message-ID (``<hash@domain>``: a digest, not a person).
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_MESSAGE_ID_LOCAL = re.compile(r"[0-9a-f]{32,}")
# What follows "Bearer", or a key that names a secret ("access_code=…", "token: …").
_BEARER = re.compile(r"(?i)\b(bearer)\s+[^\s,;'\"]+")
_SECRET_KEY = re.compile(
    r"(?i)\b(access[_ -]?code|x-access-code|token|password|secret|authorization)"
    r"(['\"]?\s*[=:]\s*['\"]?)(?!\[)[^\s,;'\"&]+"
)
# Our secrets are 32 URL-safe base64 characters (``secrets.token_urlsafe(24)``), and
# authenticator secrets 32 base32 ones: a long run of those characters mixing upper and lower
# case, or of base32 with digits, is masked. Lowercase runs (hex digests, UUIDs, snake_case
# names), CamelCase words (class names) and CONSTANT_NAMES are kept.
_RANDOMISH = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])")
_CAMEL_CASE = re.compile(r"(?:[A-Z][a-z]+)+")
_BASE32 = re.compile(r"(?=.*[2-7])[A-Z2-7]{24,}")

EMAIL_MASK = "[e-mail]"
SECRET_MASK = "[secret]"


def _email(match: re.Match[str]) -> str:
    text = match.group(0)
    start, end = match.span()
    local = text.split("@", 1)[0]
    source = match.string
    if start > 0 and source[start - 1] == "<" and source[end : end + 1] == ">":
        if _MESSAGE_ID_LOCAL.fullmatch(local):
            return text
    return EMAIL_MASK


def _randomish(match: re.Match[str]) -> str:
    text = match.group(0)
    mixed = any(c.isupper() for c in text) and any(c.islower() for c in text)
    if (mixed and not _CAMEL_CASE.fullmatch(text)) or _BASE32.fullmatch(text):
        return SECRET_MASK
    return text


def redact(text: str) -> str:
    """``text`` with e-mail addresses, bearer tokens and secret-looking strings masked."""
    if not text:
        return text
    text = _EMAIL.sub(_email, text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {SECRET_MASK}", text)
    text = _SECRET_KEY.sub(lambda m: f"{m.group(1)}{m.group(2)}{SECRET_MASK}", text)
    return _RANDOMISH.sub(_randomish, text)


class Redact(logging.Filter):
    """Masks e-mail addresses, tokens and access codes in a record's message and its args
    (merged into the message), whatever logger wrote it: a safety net, not a licence."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message redacted; never drops a record."""
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: the handler reports it as logging does
            return True
        record.msg = redact(message)
        record.args = None
        return True


class CaseReference(logging.Filter):
    """Sets ``record.reference``: given explicitly (``extra``), the one in play in this
    request or activity, or the one of the Temporal workflow that logged it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Attach the reference (or None); never drops a record."""
        given = getattr(record, "reference", None)
        if not isinstance(given, str) or not given:
            given = current_reference()
        if given is None:
            for key in ("temporal_workflow", "temporal_activity"):
                details = getattr(record, key, None)
                if isinstance(details, dict):
                    given = reference_of(str(details.get("workflow_id", "")))
                    if given:
                        break
        record.reference = given
        return True


# Attributes every LogRecord has: anything else on a record came from ``extra``.
_STANDARD = frozenset(
    set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__)
    | {"message", "asctime", "taskName", "reference", "color_message"}
)
_PLAIN = (str, int, float, bool, type(None))


def _safe(value: Any, depth: int = 0) -> Any:
    """A JSON-safe copy of an ``extra`` value, strings redacted; other objects left out
    (their repr could quote anything)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, _PLAIN):
        return value
    if depth < 3 and isinstance(value, dict):
        kept = {str(k): _safe(v, depth + 1) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v is not _DROP}
    if depth < 3 and isinstance(value, list | tuple):
        return [v for v in (_safe(v, depth + 1) for v in value) if v is not _DROP]
    return _DROP


_DROP = object()


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (ISO-8601, UTC), level, logger, message, reference,
    the record's structured fields, and the error's type and traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        moment = datetime.fromtimestamp(record.created, UTC)
        line: dict[str, Any] = {
            "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        reference = getattr(record, "reference", None)
        if reference:
            line["reference"] = reference
        for key, value in record.__dict__.items():
            if key in _STANDARD or key.startswith("_") or key in line:
                continue
            kept = _safe(value)
            if kept is not _DROP:
                line[key] = kept
        if record.exc_info and record.exc_info[0] is not None:
            line["error"] = record.exc_info[0].__name__
            line["traceback"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            line["traceback"] = redact(record.exc_text)
        if record.stack_info:
            line["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The terminal's line, with ``[reference]`` after the message when one is in play and
    the traceback redacted."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        """The record as text."""
        text = super().format(record)
        reference = getattr(record, "reference", None)
        head, newline, rest = text.partition("\n")
        if reference and f"[{reference}]" not in head:
            head = f"{head} [{reference}]"
        return head + newline + (redact(rest) if rest else "")


def log_handler(log_format: str, stream: IO[str] | None = None) -> logging.Handler:
    """A stream handler (stderr by default) in ``log_format`` ("text" or "json") with the
    case-reference and redaction filters."""
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(CaseReference())
    handler.addFilter(Redact())
    return handler


def logging_config(settings: Settings, level: int | str) -> dict[str, Any]:
    """The ``logging.config.dictConfig`` of a Redress process: the root logger at ``level``
    through ``log_handler``, uvicorn's loggers through the root, and uvicorn's access lines
    off (``RequestLog`` writes them with the route template instead of the path, which can
    carry a search term or a token, and without the client's address). Pass it to uvicorn as
    ``log_config`` so that its worker processes log the same way."""
    level_name = level if isinstance(level, str) else logging.getLevelName(level)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {
            "redress": {
                "()": "core.logs.log_handler",
                "log_format": settings.log_format,
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": level_name, "handlers": ["redress"]},
        "loggers": {
            # At the process's level, whatever an embedded server set before (devserver).
            "uvicorn": {"handlers": [], "propagate": True, "level": level_name},
            "uvicorn.error": {"handlers": [], "propagate": True, "level": level_name},
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
        },
    }


def uvicorn_log_config(settings: Settings) -> dict[str, Any]:
    """``logging_config`` at the level this process already logs at (the CLI's ``-v``)."""
    return logging_config(settings, logging.getLogger().getEffectiveLevel())


def configure_logging(settings: Settings, verbose: bool = False) -> None:
    """Configure this process's logging (INFO, or DEBUG when ``verbose``)."""
    logging.config.dictConfig(logging_config(settings, logging.DEBUG if verbose else logging.INFO))
    if settings.log_format == "json":
        # The SDK's loggers repeat the workflow's or activity's details in the message; in
        # JSON they are fields already (``temporal_workflow``, ``temporal_activity``).
        import temporalio.activity
        import temporalio.workflow

        temporalio.activity.logger.activity_info_on_message = False
        temporalio.workflow.logger.workflow_info_on_message = False
