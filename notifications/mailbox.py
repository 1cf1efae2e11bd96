"""The mail a local SMTP sink received, kept as ``.eml`` files: stored, listed and read.

The development sink (``devserver.mailsink``) writes it; the portal's mail page reads it.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

_STAMP = "%Y%m%dT%H%M%S.%fZ"
_UNSAFE = re.compile(r"[^A-Za-z0-9._@+=-]+")
_VALID_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+=-]*$")
_HTML_LANG = re.compile(r"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z-]+)", re.IGNORECASE)


def sanitize(text: str, limit: int = 100) -> str:
    """File-name-safe form of a Message-ID (angle brackets and odd characters removed)."""
    cleaned = _UNSAFE.sub("_", text.strip().strip("<>")).strip("._")
    return cleaned[:limit] or "no-message-id"


@dataclass(frozen=True)
class MessageSummary:
    """What the list view and ``/api/messages`` show of one stored message."""

    id: str
    received: datetime
    date: datetime
    mail_from: str
    to: str
    subject: str
    message_id: str
    language: str

    def as_json(self) -> dict[str, str]:
        """JSON-ready dict with ISO dates."""
        data = asdict(self)
        return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in data.items()}


def body_parts(message: EmailMessage) -> tuple[str | None, str | None]:
    """The plain-text and HTML bodies of a message, where present."""
    parts: list[str | None] = []
    for kind in ("plain", "html"):
        part = message.get_body(preferencelist=(kind,))
        content: str | None = None
        if part is not None:
            with contextlib.suppress(LookupError, ValueError):
                content = str(part.get_content())
        parts.append(content)
    return parts[0], parts[1]


def message_language(message: EmailMessage) -> str:
    """Content-Language header, else the ``lang`` of the HTML part, else empty."""
    header = str(message.get("Content-Language", "")).strip()
    if header:
        return header
    _, html_body = body_parts(message)
    found = _HTML_LANG.search(html_body or "")
    return found.group(1) if found else ""


class MailStore:
    """A directory of ``<received-utc>_<message-id>.eml`` files, newest name sorts last."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def save(self, content: bytes, *, mail_from: str, rcpt_tos: list[str]) -> Path:
        """Store one received message with its envelope; a redelivery gets its own file."""
        self.directory.mkdir(parents=True, exist_ok=True)
        headers = BytesParser(policy=policy.default).parsebytes(content, headersonly=True)
        stem = (
            f"{datetime.now(UTC).strftime(_STAMP)}_{sanitize(str(headers.get('Message-ID', '')))}"
        )
        envelope = (
            f"X-Envelope-From: {mail_from}\r\nX-Envelope-To: {', '.join(rcpt_tos)}\r\n".encode()
        )
        for attempt in range(1, 100):
            path = self.directory / (f"{stem}.eml" if attempt == 1 else f"{stem}-{attempt}.eml")
            try:
                with path.open("xb") as fh:
                    fh.write(envelope + content)
                return path
            except FileExistsError:
                continue
        raise RuntimeError(f"could not find a free file name for {stem}")

    def _path(self, message_id: str) -> Path | None:
        if not _VALID_ID.match(message_id):
            return None
        path = self.directory / f"{message_id}.eml"
        return path if path.is_file() else None

    def raw(self, message_id: str) -> bytes | None:
        """The stored bytes of one message, or None."""
        path = self._path(message_id)
        return path.read_bytes() if path is not None else None

    def load(self, message_id: str) -> EmailMessage | None:
        """One stored message parsed, or None."""
        raw = self.raw(message_id)
        if raw is None:
            return None
        parsed = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(parsed, EmailMessage)
        return parsed

    def ids(self) -> list[str]:
        """Stored message ids, newest first."""
        if not self.directory.is_dir():
            return []
        return sorted((p.stem for p in self.directory.glob("*.eml")), reverse=True)

    def summaries(self, limit: int = 500) -> list[MessageSummary]:
        """Summaries of the newest ``limit`` messages, newest first."""
        result = []
        for message_id in self.ids()[:limit]:
            message = self.load(message_id)
            if message is not None:
                result.append(summarize(message_id, message))
        return result


def _received_at(message_id: str) -> datetime:
    try:
        return datetime.strptime(message_id.split("_", 1)[0], _STAMP).replace(tzinfo=UTC)
    except ValueError:
        return datetime.fromtimestamp(0, UTC)


def summarize(message_id: str, message: EmailMessage) -> MessageSummary:
    """The list-view facts of one parsed message."""
    received = _received_at(message_id)
    date: datetime = received
    date_header = message.get("Date")
    with contextlib.suppress(AttributeError, TypeError, ValueError):
        if date_header is not None and date_header.datetime is not None:
            date = date_header.datetime
    to = str(message.get("To", "")) or str(message.get("X-Envelope-To", ""))
    return MessageSummary(
        id=message_id,
        received=received,
        date=date,
        mail_from=str(message.get("From", "")),
        to=to,
        subject=str(message.get("Subject", "")),
        message_id=str(message.get("Message-ID", "")),
        language=message_language(message),
    )
